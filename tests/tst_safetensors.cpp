// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkpoint/safetensors.h"
#include "common/error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include <cstring>
#include <initializer_list>

using namespace halfscope;

namespace {

/// Returns a safetensors file: the 8-byte little-endian header length, the
/// header and the data section.
QByteArray safetensorsBytes(const QByteArray &header, const QByteArray &data)
{
    QByteArray bytes(8, '\0');
    qToLittleEndian<quint64>(quint64(header.size()), bytes.data());
    return bytes + header + data;
}

/// Returns the little-endian bytes of values, as safetensors stores them.
template <typename T>
QByteArray littleEndianBytes(std::initializer_list<T> values)
{
    QByteArray bytes;
    for (const T value : values) {
        char buffer[sizeof(T)];
        qToLittleEndian<T>(value, buffer);
        bytes.append(buffer, sizeof(T));
    }
    return bytes;
}

QByteArray float32Bytes(std::initializer_list<float> values)
{
    QByteArray bytes;
    for (const float value : values) {
        quint32 bits = 0;
        std::memcpy(&bits, &value, sizeof(bits));
        bytes += littleEndianBytes<quint32>({ bits });
    }
    return bytes;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Keys are out of alphabetical order on purpose: entries must come back in
// the order of their bytes, not of their names.
const QByteArray kValidHeader = R"({
    "__metadata__": {"format": "pt", "note": "written by tst_safetensors"},
    "w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
    "h": {"dtype": "F16", "shape": [3], "data_offsets": [16, 22]},
    "b": {"dtype": "BF16", "shape": [1], "data_offsets": [22, 24]},
    "steps": {"dtype": "I64", "shape": [], "data_offsets": [24, 32]}
})";

QByteArray validData()
{
    return float32Bytes({ 1.0f, 2.0f, 3.0f, 4.0f })
        + littleEndianBytes<quint16>({ 0x3C00, 0xC000, 0x3800 }) // 1.0, -2.0, 0.5 in float16
        + littleEndianBytes<quint16>({ 0x3F80 })                 // 1.0 in bfloat16
        + littleEndianBytes<qint64>({ 42 });
}

/// Writes a single-tensor safetensors file with bytes of the given value.
QString writeShard(const QString &path, float value)
{
    const QByteArray header = R"({"x": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}})";
    return writeFile(path, safetensorsBytes(header, float32Bytes({ value }))) ? path : QString();
}

QString pythonPath()
{
    return QStringLiteral(HALFSCOPE_SOURCE_DIR "/.venv/bin/python");
}

} // namespace

class TestSafetensors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsEntriesInByteOrder();
    void readsMetadata();
    void readsTensorBytes();
    void mapsDtypes_data();
    void mapsDtypes();
    void acceptsValidLayouts_data();
    void acceptsValidLayouts();
    void rejectsInvalidHeader_data();
    void rejectsInvalidHeader();
    void rejectsInvalidFileLayout_data();
    void rejectsInvalidFileLayout();
    void rejectsMissingFile();
    void readDataRejectsChangedFile();
    void readsShardedIndex();
    void rejectsInvalidIndex_data();
    void rejectsInvalidIndex();
    void readsFileWrittenByPython();
};

void TestSafetensors::readsEntriesInByteOrder()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("valid.safetensors"));
    QVERIFY(writeFile(path, safetensorsBytes(kValidHeader, validData())));

    const SafetensorsHeader header = readSafetensorsHeader(path);

    QCOMPARE(header.dataOffset, qint64(8 + kValidHeader.size()));
    QCOMPARE(header.dataSize, qint64(32));
    QCOMPARE(header.entries.size(), size_t(4));

    const SafetensorsEntry &w = header.entries[0];
    QCOMPARE(w.name, QStringLiteral("w"));
    QCOMPARE(w.dtype, QStringLiteral("float32"));
    QCOMPARE(w.shape, (std::vector<int64_t> { 2, 2 }));
    QCOMPARE(w.elementCount, int64_t(4));
    QCOMPARE(w.dataBegin, int64_t(0));
    QCOMPARE(w.dataEnd, int64_t(16));

    const SafetensorsEntry &h = header.entries[1];
    QCOMPARE(h.name, QStringLiteral("h"));
    QCOMPARE(h.dtype, QStringLiteral("float16"));
    QCOMPARE(h.shape, (std::vector<int64_t> { 3 }));
    QCOMPARE(h.byteCount(), int64_t(6));

    const SafetensorsEntry &b = header.entries[2];
    QCOMPARE(b.name, QStringLiteral("b"));
    QCOMPARE(b.dtype, QStringLiteral("bfloat16"));
    QCOMPARE(b.dataBegin, int64_t(22));

    const SafetensorsEntry &steps = header.entries[3];
    QCOMPARE(steps.name, QStringLiteral("steps"));
    QCOMPARE(steps.dtype, QStringLiteral("int64"));
    QVERIFY(steps.shape.empty());
    QCOMPARE(steps.elementCount, int64_t(1));
    QCOMPARE(steps.dataEnd, int64_t(32));

    QCOMPARE(header.find(QStringLiteral("h")), &header.entries[1]);
    QVERIFY(!header.find(QStringLiteral("missing")));
}

void TestSafetensors::readsMetadata()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("valid.safetensors"));
    QVERIFY(writeFile(path, safetensorsBytes(kValidHeader, validData())));

    const SafetensorsHeader header = readSafetensorsHeader(path);

    QCOMPARE(header.metadata.size(), 2);
    QCOMPARE(header.metadata.value(QStringLiteral("format")), QStringLiteral("pt"));
    QCOMPARE(header.metadata.value(QStringLiteral("note")),
             QStringLiteral("written by tst_safetensors"));
    QVERIFY(!header.find(QStringLiteral("__metadata__")));
}

void TestSafetensors::readsTensorBytes()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("valid.safetensors"));
    const QByteArray data = validData();
    QVERIFY(writeFile(path, safetensorsBytes(kValidHeader, data)));
    const SafetensorsHeader header = readSafetensorsHeader(path);

    for (const SafetensorsEntry &entry : header.entries) {
        const QByteArray bytes = readSafetensorsData(path, header, entry);
        QCOMPARE(bytes, data.mid(entry.dataBegin, entry.byteCount()));
    }
    QCOMPARE(readSafetensorsData(path, header, header.entries[0]),
             float32Bytes({ 1.0f, 2.0f, 3.0f, 4.0f }));
    QCOMPARE(readSafetensorsData(path, header, header.entries[3]), littleEndianBytes<qint64>({ 42 }));
}

void TestSafetensors::mapsDtypes_data()
{
    QTest::addColumn<QString>("safetensorsDtype");
    QTest::addColumn<QString>("torchDtype");
    QTest::addColumn<int>("elementSize");

    QTest::newRow("F64") << QStringLiteral("F64") << QStringLiteral("float64") << 8;
    QTest::newRow("F32") << QStringLiteral("F32") << QStringLiteral("float32") << 4;
    QTest::newRow("F16") << QStringLiteral("F16") << QStringLiteral("float16") << 2;
    QTest::newRow("BF16") << QStringLiteral("BF16") << QStringLiteral("bfloat16") << 2;
    QTest::newRow("I64") << QStringLiteral("I64") << QStringLiteral("int64") << 8;
    QTest::newRow("I32") << QStringLiteral("I32") << QStringLiteral("int32") << 4;
    QTest::newRow("I16") << QStringLiteral("I16") << QStringLiteral("int16") << 2;
    QTest::newRow("I8") << QStringLiteral("I8") << QStringLiteral("int8") << 1;
    QTest::newRow("U8") << QStringLiteral("U8") << QStringLiteral("uint8") << 1;
    QTest::newRow("BOOL") << QStringLiteral("BOOL") << QStringLiteral("bool") << 1;
    QTest::newRow("F8_E4M3") << QStringLiteral("F8_E4M3") << QStringLiteral("float8_e4m3fn") << 1;
    QTest::newRow("F8_E5M2") << QStringLiteral("F8_E5M2") << QStringLiteral("float8_e5m2") << 1;
}

void TestSafetensors::mapsDtypes()
{
    QFETCH(QString, safetensorsDtype);
    QFETCH(QString, torchDtype);
    QFETCH(int, elementSize);

    const int byteCount = 3 * elementSize;
    const QByteArray header = QStringLiteral(R"({"t": {"dtype": "%1", "shape": [3], "data_offsets": [0, %2]}})")
                                  .arg(safetensorsDtype)
                                  .arg(byteCount)
                                  .toUtf8();

    const SafetensorsHeader parsed = parseSafetensorsHeader(header, byteCount, QStringLiteral("t.safetensors"));

    QCOMPARE(parsed.entries.size(), size_t(1));
    QCOMPARE(parsed.entries[0].dtype, torchDtype);
    QCOMPARE(parsed.entries[0].elementCount, int64_t(3));
    QCOMPARE(parsed.entries[0].byteCount(), int64_t(byteCount));
}

void TestSafetensors::acceptsValidLayouts_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("dataSize");
    QTest::addColumn<int>("entryCount");

    // Writers pad the header with spaces, which are JSON whitespace, to align the data.
    QTest::newRow("header padded with spaces")
        << QByteArray(R"({"a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]}}       )") << 2 << 1;
    QTest::newRow("no tensors") << QByteArray("{}") << 0 << 0;
    QTest::newRow("only metadata") << QByteArray(R"({"__metadata__": {}})") << 0 << 0;
    QTest::newRow("zero-size tensors at one offset")
        << QByteArray(R"({"a": {"dtype": "F32", "shape": [0, 4], "data_offsets": [0, 0]},
                          "b": {"dtype": "I8", "shape": [0], "data_offsets": [0, 0]},
                          "c": {"dtype": "I8", "shape": [1], "data_offsets": [0, 1]}})")
        << 1 << 3;
    QTest::newRow("unknown entry keys ignored")
        << QByteArray(R"({"a": {"dtype": "I8", "shape": [1], "data_offsets": [0, 1], "extra": 1}})")
        << 1 << 1;
    QTest::newRow("huge dimension next to zero")
        << QByteArray(R"({"a": {"dtype": "F64", "shape": [0, 1000000000000], "data_offsets": [0, 0]}})")
        << 0 << 1;
}

void TestSafetensors::acceptsValidLayouts()
{
    QFETCH(QByteArray, header);
    QFETCH(int, dataSize);
    QFETCH(int, entryCount);

    const SafetensorsHeader parsed = parseSafetensorsHeader(header, dataSize, QStringLiteral("t.safetensors"));

    QCOMPARE(int(parsed.entries.size()), entryCount);
    QCOMPARE(parsed.dataOffset, qint64(8 + header.size()));
    QCOMPARE(parsed.dataSize, qint64(dataSize));
}

void TestSafetensors::rejectsInvalidHeader_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("dataSize");
    QTest::addColumn<QString>("entryName");
    QTest::addColumn<QString>("expectedPhrase");

    QTest::newRow("invalid JSON") << QByteArray(R"({"w": )") << 0 << QString()
                                  << QStringLiteral("the header is not valid JSON");
    QTest::newRow("JSON array") << QByteArray("[1, 2]") << 0 << QString()
                                << QStringLiteral("the header is a JSON array, not an object");
    QTest::newRow("invalid UTF-8") << QByteArray("{\"w\xff\": 1}") << 0 << QString()
                                   << QStringLiteral("the header is not valid UTF-8");
    QTest::newRow("entry not an object") << QByteArray(R"({"w": 5})") << 0 << QStringLiteral("w")
                                         << QStringLiteral("is 5, but it must be a JSON object");

    QTest::newRow("unknown dtype")
        << QByteArray(R"({"w": {"dtype": "Q4", "shape": [1], "data_offsets": [0, 1]}})") << 1
        << QStringLiteral("w") << QStringLiteral("has dtype \"Q4\", which HalfScope does not read");
    QTest::newRow("dtype not a string")
        << QByteArray(R"({"w": {"dtype": 4, "shape": [1], "data_offsets": [0, 4]}})") << 4
        << QStringLiteral("w") << QStringLiteral("has \"dtype\" 4, which is not a string");
    QTest::newRow("missing dtype") << QByteArray(R"({"w": {"shape": [1], "data_offsets": [0, 4]}})")
                                   << 4 << QStringLiteral("w") << QStringLiteral("has no \"dtype\"");

    QTest::newRow("negative shape")
        << QByteArray(R"({"w": {"dtype": "F32", "shape": [2, -1], "data_offsets": [0, 0]}})") << 0
        << QStringLiteral("w") << QStringLiteral("has dimension 1 of \"shape\" equal to -1");
    QTest::newRow("fractional shape")
        << QByteArray(R"({"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}})") << 4
        << QStringLiteral("w") << QStringLiteral("has dimension 0 of \"shape\" equal to 1.5");
    QTest::newRow("shape not a list")
        << QByteArray(R"({"w": {"dtype": "F32", "shape": 4, "data_offsets": [0, 16]}})") << 16
        << QStringLiteral("w") << QStringLiteral("has \"shape\" 4, which is not a list");
    QTest::newRow("missing shape") << QByteArray(R"({"w": {"dtype": "F32", "data_offsets": [0, 4]}})")
                                   << 4 << QStringLiteral("w") << QStringLiteral("has no \"shape\"");
    QTest::newRow("element count overflow")
        << QByteArray(R"({"w": {"dtype": "U8", "shape": [4294967296, 4294967296], "data_offsets": [0, 0]}})")
        << 0 << QStringLiteral("w") << QStringLiteral("element count does not fit in a 64-bit integer");

    QTest::newRow("offsets past the end")
        << QByteArray(R"({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})") << 8
        << QStringLiteral("w") << QStringLiteral("which end past the data section of 8 bytes");
    QTest::newRow("offsets reversed")
        << QByteArray(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}})") << 8
        << QStringLiteral("w") << QStringLiteral("whose begin is after its end");
    QTest::newRow("offsets not a pair")
        << QByteArray(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0]}})") << 4
        << QStringLiteral("w") << QStringLiteral("but it must be [begin, end]");
    QTest::newRow("negative offset")
        << QByteArray(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}})") << 4
        << QStringLiteral("w") << QStringLiteral("two non-negative integers");
    QTest::newRow("missing offsets") << QByteArray(R"({"w": {"dtype": "F32", "shape": [1]}})") << 4
                                     << QStringLiteral("w") << QStringLiteral("has no \"data_offsets\"");

    QTest::newRow("byte length differs from shape")
        << QByteArray(R"({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}})") << 8
        << QStringLiteral("w")
        << QStringLiteral("has 8 bytes of data (data_offsets [0, 8]), but dtype F32 and shape [3] "
                          "need 3 elements of 4 bytes");
    QTest::newRow("overlapping entries")
        << QByteArray(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                          "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})")
        << 12 << QStringLiteral("b") << QStringLiteral("overlap tensor \"a\" at [0, 8]");
    QTest::newRow("gap between entries")
        << QByteArray(R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                          "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}})")
        << 12 << QStringLiteral("b") << QStringLiteral("leaves bytes 4 to 8 after tensor \"a\" unused");
    QTest::newRow("gap at the start")
        << QByteArray(R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})") << 8
        << QStringLiteral("a") << QStringLiteral("leaves bytes 0 to 4 at the start of the data section");
    QTest::newRow("unused bytes at the end")
        << QByteArray(R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}})") << 8
        << QString() << QStringLiteral("the data section has 8 bytes, but the tensors end at byte 4");

    QTest::newRow("metadata not an object") << QByteArray(R"({"__metadata__": [1]})") << 0 << QString()
                                            << QStringLiteral("\"__metadata__\" is [1]");
    QTest::newRow("metadata value not a string")
        << QByteArray(R"({"__metadata__": {"n": 1}})") << 0 << QString()
        << QStringLiteral("has the value 1 for key \"n\", but every value must be a string");
}

void TestSafetensors::rejectsInvalidHeader()
{
    QFETCH(QByteArray, header);
    QFETCH(int, dataSize);
    QFETCH(QString, entryName);
    QFETCH(QString, expectedPhrase);

    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("invalid.safetensors"));
    QVERIFY(writeFile(path, safetensorsBytes(header, QByteArray(dataSize, '\0'))));

    try {
        readSafetensorsHeader(path);
        QFAIL("readSafetensorsHeader accepted an invalid header");
    } catch (const Error &error) {
        const QString message = error.message();
        QVERIFY2(message.startsWith(QStringLiteral("Invalid safetensors file ") + path + QLatin1Char(':')),
                 qPrintable(message));
        QVERIFY2(message.contains(expectedPhrase), qPrintable(message));
        if (!entryName.isEmpty()) {
            QVERIFY2(message.contains(QStringLiteral("tensor \"%1\"").arg(entryName)),
                     qPrintable(message));
        }
        QVERIFY2(message.contains(QLatin1String("save_file()")), qPrintable(message));
    }
}

void TestSafetensors::rejectsInvalidFileLayout_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expectedPhrase");

    QByteArray tooLong(8, '\0');
    qToLittleEndian<quint64>(100 * 1024 * 1024 + 1, tooLong.data());
    tooLong += "{}";
    QByteArray pastEnd(8, '\0');
    qToLittleEndian<quint64>(64, pastEnd.data());
    pastEnd += "{}";
    QByteArray hugeLength(8, '\xff');

    QTest::newRow("empty file") << QByteArray() << QStringLiteral("the file is empty");
    QTest::newRow("5-byte file") << QByteArray("abcde")
                                 << QStringLiteral("the file has 5 bytes, fewer than the 8 bytes");
    QTest::newRow("header length past the end")
        << pastEnd << QStringLiteral("the header length is 64 bytes, but only 2 bytes follow it");
    QTest::newRow("header length over 100 MiB")
        << tooLong
        << QStringLiteral("the header length is 104857601 bytes, more than the maximum of "
                          "104857600 bytes");
    QTest::newRow("header length of 2^64 - 1")
        << hugeLength << QStringLiteral("the header length is 18446744073709551615 bytes");
    QTest::newRow("empty header") << safetensorsBytes(QByteArray(), QByteArray())
                                  << QStringLiteral("the header is not valid JSON");
}

void TestSafetensors::rejectsInvalidFileLayout()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expectedPhrase);

    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("broken.safetensors"));
    QVERIFY(writeFile(path, content));

    try {
        readSafetensorsHeader(path);
        QFAIL("readSafetensorsHeader accepted an invalid file");
    } catch (const Error &error) {
        const QString message = error.message();
        QVERIFY2(message.contains(QStringLiteral("Invalid safetensors file ") + path), qPrintable(message));
        QVERIFY2(message.contains(expectedPhrase), qPrintable(message));
    }
}

void TestSafetensors::rejectsMissingFile()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("absent.safetensors"));

    try {
        readSafetensorsHeader(path);
        QFAIL("readSafetensorsHeader accepted a missing file");
    } catch (const Error &error) {
        QCOMPARE(error.message(),
                 QStringLiteral("Safetensors file %1 not found. Check the path.").arg(path));
    }
}

void TestSafetensors::readDataRejectsChangedFile()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("valid.safetensors"));
    const QByteArray content = safetensorsBytes(kValidHeader, validData());
    QVERIFY(writeFile(path, content));
    const SafetensorsHeader header = readSafetensorsHeader(path);
    QVERIFY(writeFile(path, content.left(content.size() - 4)));

    try {
        readSafetensorsData(path, header, header.entries.back());
        QFAIL("readSafetensorsData read from a truncated file");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(path), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QStringLiteral("changed after its header was read")),
                 qPrintable(error.message()));
    }
}

void TestSafetensors::readsShardedIndex()
{
    QTemporaryDir folder;
    const QDir dir(folder.path());
    QVERIFY(!writeShard(dir.filePath(QStringLiteral("model-00001-of-00002.safetensors")), 1.0f).isEmpty());
    QVERIFY(!writeShard(dir.filePath(QStringLiteral("model-00002-of-00002.safetensors")), 2.0f).isEmpty());
    const QString indexPath = dir.filePath(QStringLiteral("model.safetensors.index.json"));
    QVERIFY(writeFile(indexPath, R"({
        "metadata": {"total_size": 12},
        "weight_map": {
            "encoder.weight": "model-00001-of-00002.safetensors",
            "encoder.bias": "model-00001-of-00002.safetensors",
            "head.weight": "model-00002-of-00002.safetensors"
        }
    })"));

    const QMap<QString, QString> shards = readSafetensorsIndex(indexPath);

    const QString first = QFileInfo(dir.filePath(QStringLiteral("model-00001-of-00002.safetensors"))).absoluteFilePath();
    const QString second = QFileInfo(dir.filePath(QStringLiteral("model-00002-of-00002.safetensors"))).absoluteFilePath();
    QCOMPARE(shards.size(), 3);
    QCOMPARE(shards.value(QStringLiteral("encoder.weight")), first);
    QCOMPARE(shards.value(QStringLiteral("encoder.bias")), first);
    QCOMPARE(shards.value(QStringLiteral("head.weight")), second);
    QVERIFY(QFileInfo(shards.value(QStringLiteral("head.weight"))).isAbsolute());
}

void TestSafetensors::rejectsInvalidIndex_data()
{
    QTest::addColumn<QByteArray>("index");
    QTest::addColumn<QString>("expectedPhrase");

    QTest::newRow("shard in parent folder")
        << QByteArray(R"({"weight_map": {"a": "shard.safetensors", "b": "../outside.safetensors"}})")
        << QStringLiteral("tensor \"b\" maps to shard \"../outside.safetensors\", which is not a "
                          "file name in the folder of the index");
    QTest::newRow("absolute shard path")
        << QByteArray(R"({"weight_map": {"a": "/etc/hostname"}})")
        << QStringLiteral("tensor \"a\" maps to shard \"/etc/hostname\", which is not a file name");
    QTest::newRow("shard is ..") << QByteArray(R"({"weight_map": {"a": ".."}})")
                                 << QStringLiteral("tensor \"a\" maps to shard \"..\"");
    QTest::newRow("missing shard")
        << QByteArray(R"({"weight_map": {"a": "shard.safetensors", "b": "absent.safetensors"}})")
        << QStringLiteral("shard \"absent.safetensors\" of tensor \"b\" was not found");
    QTest::newRow("shard name not a string") << QByteArray(R"({"weight_map": {"a": 3}})")
                                             << QStringLiteral("tensor \"a\" maps to 3, not to a shard file name");
    QTest::newRow("weight_map not an object") << QByteArray(R"({"weight_map": ["a"]})")
                                              << QStringLiteral("\"weight_map\" is [\"a\"], not a JSON object");
    QTest::newRow("missing weight_map") << QByteArray(R"({"metadata": {}})")
                                        << QStringLiteral("it has no \"weight_map\"");
    QTest::newRow("empty weight_map") << QByteArray(R"({"weight_map": {}})")
                                      << QStringLiteral("\"weight_map\" lists no tensors");
    QTest::newRow("metadata not an object")
        << QByteArray(R"({"metadata": 1, "weight_map": {"a": "shard.safetensors"}})")
        << QStringLiteral("\"metadata\" is 1, not a JSON object");
    QTest::newRow("invalid JSON") << QByteArray(R"({"weight_map": )") << QStringLiteral("not valid JSON");
    QTest::newRow("JSON array") << QByteArray("[]") << QStringLiteral("the file is not a JSON object");
}

void TestSafetensors::rejectsInvalidIndex()
{
    QFETCH(QByteArray, index);
    QFETCH(QString, expectedPhrase);

    // The index sits in a subfolder, and outside.safetensors exists one level
    // up, so "../outside.safetensors" is rejected for its name alone.
    QTemporaryDir folder;
    QVERIFY(QDir(folder.path()).mkdir(QStringLiteral("model")));
    const QDir dir(folder.filePath(QStringLiteral("model")));
    QVERIFY(!writeShard(folder.filePath(QStringLiteral("outside.safetensors")), 0.0f).isEmpty());
    QVERIFY(!writeShard(dir.filePath(QStringLiteral("shard.safetensors")), 1.0f).isEmpty());
    const QString indexPath = dir.filePath(QStringLiteral("model.safetensors.index.json"));
    QVERIFY(writeFile(indexPath, index));

    try {
        readSafetensorsIndex(indexPath);
        QFAIL("readSafetensorsIndex accepted an invalid index");
    } catch (const Error &error) {
        const QString message = error.message();
        QVERIFY2(message.startsWith(QStringLiteral("Invalid safetensors index ") + indexPath + QLatin1Char(':')),
                 qPrintable(message));
        QVERIFY2(message.contains(expectedPhrase), qPrintable(message));
    }
}

void TestSafetensors::readsFileWrittenByPython()
{
    if (!QFileInfo(pythonPath()).isExecutable())
        QSKIP("no .venv/bin/python; run scripts/setup to create it");

    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("python.safetensors"));
    QProcess python;
    python.setProcessChannelMode(QProcess::MergedChannels);
    python.start(pythonPath(),
                 { QStringLiteral(HALFSCOPE_SOURCE_DIR "/tests/fixtures/make_safetensors.py"), path });
    QVERIFY(python.waitForFinished(180000));
    QVERIFY2(python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0,
             python.readAll().constData());

    const SafetensorsHeader header = readSafetensorsHeader(path);

    QCOMPARE(header.metadata.value(QStringLiteral("format")), QStringLiteral("pt"));
    QCOMPARE(header.dataOffset % 8, qint64(0));
    QStringList names;
    for (const SafetensorsEntry &entry : header.entries)
        names << entry.name;
    QCOMPARE(names, (QStringList { QStringLiteral("linear.weight"), QStringLiteral("linear.bias"),
                                   QStringLiteral("norm.scale"), QStringLiteral("steps"),
                                   QStringLiteral("mask"), QStringLiteral("empty") }));

    const SafetensorsEntry &weight = header.entries[0];
    QCOMPARE(weight.dtype, QStringLiteral("float32"));
    QCOMPARE(weight.shape, (std::vector<int64_t> { 2, 3 }));
    QCOMPARE(readSafetensorsData(path, header, weight), float32Bytes({ 0.0f, 1.0f, 2.0f, 3.0f, 4.0f, 5.0f }));

    const SafetensorsEntry &bias = header.entries[1];
    QCOMPARE(bias.dtype, QStringLiteral("float16"));
    QCOMPARE(readSafetensorsData(path, header, bias), littleEndianBytes<quint16>({ 0x3800, 0xBC00 }));

    const SafetensorsEntry &scale = header.entries[2];
    QCOMPARE(scale.dtype, QStringLiteral("bfloat16"));
    QCOMPARE(readSafetensorsData(path, header, scale),
             littleEndianBytes<quint16>({ 0x3F80, 0xC000, 0x3F00 }));

    const SafetensorsEntry &steps = header.entries[3];
    QCOMPARE(steps.dtype, QStringLiteral("int64"));
    QCOMPARE(readSafetensorsData(path, header, steps), littleEndianBytes<qint64>({ 7, -1 }));

    const SafetensorsEntry &mask = header.entries[4];
    QCOMPARE(mask.dtype, QStringLiteral("bool"));
    QCOMPARE(readSafetensorsData(path, header, mask), QByteArray("\x01\x00\x01", 3));

    const SafetensorsEntry &empty = header.entries[5];
    QCOMPARE(empty.shape, (std::vector<int64_t> { 0, 4 }));
    QCOMPARE(empty.byteCount(), int64_t(0));
}

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
