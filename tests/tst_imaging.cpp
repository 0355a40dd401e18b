// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "common/error.h"
#include "imaging/imagedecoder.h"
#include "imaging/imagefiles.h"
#include "imaging/preprocessor.h"
#include "imaging/resample.h"

#include <QFile>
#include <QJsonObject>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace halfscope;

namespace {

/// Encodes a solid-colour image as PNG; colour is given in RGB order.
QByteArray solidPng(int width, int height, cv::Vec3b rgb)
{
    const cv::Mat bgr(height, width, CV_8UC3, cv::Scalar(rgb[2], rgb[1], rgb[0]));
    std::vector<uchar> encoded;
    cv::imencode(".png", bgr, encoded);
    return QByteArray(reinterpret_cast<const char *>(encoded.data()), qsizetype(encoded.size()));
}

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(content), content.size());
}

QByteArray readBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray();
    return file.readAll();
}

QByteArray toByteArray(const std::vector<uchar> &bytes)
{
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
}

QByteArray encode(const char *extension, const cv::Mat &image)
{
    std::vector<uchar> encoded;
    cv::imencode(extension, image, encoded);
    return toByteArray(encoded);
}

/// Path of a file that tests/fixtures/fetch_sample_images.sh puts into the
/// sample folder (CTest runs it as the fixture sample_images).
QString samplePath(const QString &fileName)
{
    return QStringLiteral(HALFSCOPE_SAMPLE_IMAGES "/") + fileName;
}

QString missingSampleMessage(const QString &path)
{
    return QStringLiteral("sample image %1 is missing; run ctest (its fixture sample_images runs "
                          "tests/fixtures/fetch_sample_images.sh) or run that script yourself")
        .arg(path);
}

/// Fails the calling test unless the sample file exists.
#define REQUIRE_SAMPLE(path) QVERIFY2(QFileInfo::exists(path), qPrintable(missingSampleMessage(path)))

QByteArray bigEndian32(quint32 value)
{
    QByteArray bytes(4, '\0');
    qToBigEndian(value, bytes.data());
    return bytes;
}

QByteArray littleEndian16(quint16 value)
{
    QByteArray bytes(2, '\0');
    qToLittleEndian(value, bytes.data());
    return bytes;
}

QByteArray littleEndian32(quint32 value)
{
    QByteArray bytes(4, '\0');
    qToLittleEndian(value, bytes.data());
    return bytes;
}

/// CRC-32 (the ISO 3309 polynomial that PNG uses) of bytes.
quint32 crc32Of(const QByteArray &bytes)
{
    quint32 crc = 0xffffffffu;
    for (const char byte : bytes) {
        crc ^= quint8(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xffffffffu;
}

QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    return bigEndian32(quint32(data.size())) + type + data + bigEndian32(crc32Of(type + data));
}

/// Writes a PNG file from rows that already start with their filter byte.
QByteArray pngFile(quint32 width, quint32 height, int bitDepth, int colourType,
                   const QByteArray &filteredRows)
{
    QByteArray header = bigEndian32(width) + bigEndian32(height);
    header += char(bitDepth);
    header += char(colourType);
    header += QByteArray(3, '\0'); // deflate, adaptive filtering, no interlace
    // qCompress prefixes the zlib stream with its uncompressed size.
    const QByteArray zlibStream = qCompress(filteredRows).mid(4);
    return QByteArray("\x89PNG\r\n\x1a\n") + pngChunk("IHDR", header) + pngChunk("IDAT", zlibStream)
        + pngChunk("IEND", QByteArray());
}

/// One TIFF directory entry with its values, for tiffFile().
struct TiffField
{
    quint16 tag;
    quint16 type; // 3 = SHORT, 4 = LONG
    QList<quint32> values;
};

/// Writes an uncompressed little-endian TIFF with one strip holding pixels.
/// extraSamples is the ExtraSamples value (1 associated alpha, 2
/// unassociated), or -1 to leave the tag out.
QByteArray tiffFile(quint32 width, quint32 height, quint16 bitsPerSample, quint16 samplesPerPixel,
                    int extraSamples, const QByteArray &pixels)
{
    constexpr quint16 kShort = 3;
    constexpr quint16 kLong = 4;
    const quint16 photometric = samplesPerPixel >= 3 ? 2 : 1; // RGB or black is zero
    QList<TiffField> fields = {
        { 256, kLong, { width } },
        { 257, kLong, { height } },
        { 258, kShort, QList<quint32>(samplesPerPixel, bitsPerSample) },
        { 259, kShort, { 1 } }, // no compression
        { 262, kShort, { photometric } },
        { 273, kLong, { 8 } }, // the strip follows the header
        { 277, kShort, { samplesPerPixel } },
        { 278, kLong, { height } },
        { 279, kLong, { quint32(pixels.size()) } },
        { 284, kShort, { 1 } }, // chunky samples
    };
    if (extraSamples >= 0)
        fields.append({ 338, kShort, { quint32(extraSamples) } });

    QByteArray strip = pixels;
    if (strip.size() % 2)
        strip += '\0';
    const quint32 ifdOffset = 8 + quint32(strip.size());
    const quint32 ifdSize = 2 + 12 * quint32(fields.size()) + 4;
    QByteArray ifd = littleEndian16(quint16(fields.size()));
    QByteArray outOfLineValues;
    for (const TiffField &field : fields) {
        QByteArray values;
        for (const quint32 value : field.values)
            values += field.type == kShort ? littleEndian16(quint16(value)) : littleEndian32(value);
        ifd += littleEndian16(field.tag) + littleEndian16(field.type)
            + littleEndian32(quint32(field.values.size()));
        if (values.size() <= 4) {
            ifd += values + QByteArray(4 - values.size(), '\0');
        } else {
            ifd += littleEndian32(ifdOffset + ifdSize + quint32(outOfLineValues.size()));
            outOfLineValues += values;
        }
    }
    ifd += littleEndian32(0); // no next page
    return QByteArray("II*\0", 4) + littleEndian32(ifdOffset) + strip + ifd + outOfLineValues;
}

/// Returns an EXIF APP1 segment whose IFD0 holds only the orientation tag.
QByteArray exifSegment(quint16 orientation, bool bigEndian)
{
    const auto u16 = [bigEndian](quint16 value) {
        QByteArray bytes(2, '\0');
        bigEndian ? qToBigEndian(value, bytes.data()) : qToLittleEndian(value, bytes.data());
        return bytes;
    };
    const auto u32 = [bigEndian](quint32 value) {
        QByteArray bytes(4, '\0');
        bigEndian ? qToBigEndian(value, bytes.data()) : qToLittleEndian(value, bytes.data());
        return bytes;
    };
    QByteArray tiff = bigEndian ? QByteArray("MM\0*", 4) : QByteArray("II*\0", 4);
    tiff += u32(8); // IFD0 follows the header
    tiff += u16(1); // one entry
    tiff += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0); // Orientation, SHORT
    tiff += u32(0); // no IFD1
    const QByteArray payload = QByteArray("Exif\0\0", 6) + tiff;
    QByteArray segment("\xff\xe1");
    segment += char((payload.size() + 2) >> 8);
    segment += char((payload.size() + 2) & 0xff);
    return segment + payload;
}

/// Inserts an APP segment right after the start-of-image marker of a JPEG.
QByteArray withSegment(const QByteArray &jpeg, const QByteArray &segment)
{
    return jpeg.left(2) + segment + jpeg.mid(2);
}

/// The 64x32 test picture of make_sample_images.py in BGR order: red and
/// green quadrants on top, blue and white below.
cv::Mat quadrantsBgr()
{
    cv::Mat image(32, 64, CV_8UC3, cv::Scalar(255, 255, 255));
    image(cv::Rect(0, 0, 32, 16)).setTo(cv::Scalar(0, 0, 255));
    image(cv::Rect(32, 0, 32, 16)).setTo(cv::Scalar(0, 255, 0));
    image(cv::Rect(0, 16, 32, 16)).setTo(cv::Scalar(255, 0, 0));
    return image;
}

/// Returns the colours at the centres of the four quadrants of an RGB image
/// as letters: R, G, B, W (white) or ? (none of them), in the order top
/// left, top right, bottom left, bottom right.
QString quadrantColours(const cv::Mat &rgb)
{
    QString letters;
    const int xs[2] = { rgb.cols / 4, rgb.cols * 3 / 4 };
    const int ys[2] = { rgb.rows / 4, rgb.rows * 3 / 4 };
    for (const int y : ys) {
        for (const int x : xs) {
            const cv::Vec3b pixel = rgb.at<cv::Vec3b>(y, x);
            const auto high = [](uchar value) { return value > 200; };
            const auto low = [](uchar value) { return value < 56; };
            if (high(pixel[0]) && high(pixel[1]) && high(pixel[2]))
                letters += QLatin1Char('W');
            else if (high(pixel[0]) && low(pixel[1]) && low(pixel[2]))
                letters += QLatin1Char('R');
            else if (low(pixel[0]) && high(pixel[1]) && low(pixel[2]))
                letters += QLatin1Char('G');
            else if (low(pixel[0]) && low(pixel[1]) && high(pixel[2]))
                letters += QLatin1Char('B');
            else
                letters += QLatin1Char('?');
        }
    }
    return letters;
}

/// Returns OpenCV's own 8-bit decoding of a file (IMREAD_COLOR, which also
/// applies EXIF orientation) in RGB order.
cv::Mat openCvRgb(const QString &path)
{
    const QByteArray encoded = readBytes(path);
    const cv::Mat bgr = cv::imdecode(cv::Mat(1, int(encoded.size()), CV_8UC1,
                                             const_cast<char *>(encoded.constData())),
                                     cv::IMREAD_COLOR);
    cv::Mat rgb;
    if (!bgr.empty())
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

/// Returns OpenCV's IMREAD_UNCHANGED decoding of encoded bytes.
cv::Mat decodeUnchanged(const QByteArray &encoded)
{
    return cv::imdecode(cv::Mat(1, int(encoded.size()), CV_8UC1, const_cast<char *>(encoded.constData())),
                        cv::IMREAD_UNCHANGED);
}

/// Composites straight-alpha pixels from IMREAD_UNCHANGED (gray and alpha
/// or BGR and alpha) on an RGB background with
/// pixel = alpha * colour + (1 - alpha) * background, in double precision.
cv::Mat expectedComposite(const cv::Mat &unchanged, const cv::Scalar &background)
{
    const double fullScale = unchanged.depth() == CV_16U ? 65535.0 : 255.0;
    cv::Mat samples;
    unchanged.convertTo(samples, CV_64F, 1.0 / fullScale);
    cv::Mat rgb(unchanged.rows, unchanged.cols, CV_8UC3);
    const int channels = unchanged.channels();
    for (int y = 0; y < samples.rows; ++y) {
        for (int x = 0; x < samples.cols; ++x) {
            const double *pixel = samples.ptr<double>(y) + x * channels;
            const double alpha = pixel[channels - 1];
            const double colour[3] = { pixel[channels == 2 ? 0 : 2], pixel[channels == 2 ? 0 : 1], pixel[0] };
            for (int c = 0; c < 3; ++c) {
                const double value = alpha * colour[c] * 255.0 + (1.0 - alpha) * background[c];
                rgb.at<cv::Vec3b>(y, x)[c] = uchar(std::lround(value));
            }
        }
    }
    return rgb;
}

/// Returns the largest difference between two images of the same size.
int maxDifference(const cv::Mat &a, const cv::Mat &b)
{
    if (a.size() != b.size() || a.type() != b.type())
        return 256;
    cv::Mat difference;
    cv::absdiff(a, b, difference);
    double max = 0;
    cv::minMaxLoc(difference.reshape(1), nullptr, &max);
    return int(max);
}

QString describePixel(const cv::Vec3b &pixel)
{
    return QStringLiteral("(%1, %2, %3)").arg(pixel[0]).arg(pixel[1]).arg(pixel[2]);
}

} // namespace

class TestImaging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodesInRgbOrder();
    void acceptsJpegWithTrailingData();
    void decodesRealPhotos_data();
    void decodesRealPhotos();
    void readsNonAsciiPath();
    void rejectsBrokenImages_data();
    void rejectsBrokenImages();
    void squashesToModelInput();
    void cropsForImagenet();
    void normalizesWithMeanAndStd();
    void collectsImagesFromFolders();
    void rejectsMissingImagePath();
    void appliesExifOrientation_data();
    void appliesExifOrientation();
    void appliesLittleEndianExif_data();
    void appliesLittleEndianExif();
    void readsRealCameraExif();
    void warnsAboutUnreadableExif();
    void expandsGrayAndPalette_data();
    void expandsGrayAndPalette();
    void compositesKnownAlphaPixels_data();
    void compositesKnownAlphaPixels();
    void compositesAlphaLikeFormula_data();
    void compositesAlphaLikeFormula();
    void compositesTiffAlpha_data();
    void compositesTiffAlpha();
    void warnsAboutDroppedTiffAlpha();
    void scalesEvery16BitValue();
    void scalesReal16BitFiles_data();
    void scalesReal16BitFiles();
    void decodesCmykJpeg();
    void warnsAboutMultiPageTiff_data();
    void warnsAboutMultiPageTiff();
    void rejectsHugeImagesBeforeDecoding_data();
    void rejectsHugeImagesBeforeDecoding();
    void rejectsTruncatedSamples_data();
    void rejectsTruncatedSamples();
    void rejectsDamagedPng();
    void rejectsTiffWithPageLoop();
    void ordersChannelsAndScales();
    void resampleKeepsSolidColour_data();
    void resampleKeepsSolidColour();
    void resampleAntialiasesStripes();
    void presetPixelFormatRoundTrips();
    void presetReadsVersionOneDefaults();
    void presetRejectsInvalidPixelFormat_data();
    void presetRejectsInvalidPixelFormat();
};

void TestImaging::decodesInRgbOrder()
{
    const cv::Mat rgb = decodeImage(solidPng(8, 6, cv::Vec3b(250, 10, 128)), QStringLiteral("solid"));

    QCOMPARE(rgb.type(), CV_8UC3);
    QCOMPARE(rgb.cols, 8);
    QCOMPARE(rgb.rows, 6);
    const cv::Vec3b pixel = rgb.at<cv::Vec3b>(3, 4);
    QCOMPARE(int(pixel[0]), 250);
    QCOMPARE(int(pixel[1]), 10);
    QCOMPARE(int(pixel[2]), 128);
}

void TestImaging::acceptsJpegWithTrailingData()
{
    QFile photo(test::demoPhoto(QStringLiteral("grace_hopper.jpg")));
    QVERIFY(photo.open(QIODevice::ReadOnly));
    const QByteArray padded = photo.readAll() + QByteArray(100, '\0');

    const cv::Mat rgb = decodeImage(padded, QStringLiteral("padded.jpg"));
    QCOMPARE(rgb.cols, 512);
}

void TestImaging::decodesRealPhotos_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");

    QTest::newRow("chelsea.png") << QStringLiteral("chelsea.png") << 451 << 300;
    QTest::newRow("coffee.png") << QStringLiteral("coffee.png") << 600 << 400;
    QTest::newRow("grace_hopper.jpg") << QStringLiteral("grace_hopper.jpg") << 512 << 600;
}

void TestImaging::decodesRealPhotos()
{
    QFETCH(QString, fileName);
    QFETCH(int, width);
    QFETCH(int, height);

    const cv::Mat rgb = decodeImageFile(test::demoPhoto(fileName));
    QCOMPARE(rgb.cols, width);
    QCOMPARE(rgb.rows, height);
    QCOMPARE(rgb.type(), CV_8UC3);
    // 8-bit RGB photos come out exactly as OpenCV's IMREAD_COLOR gives them.
    QCOMPARE(maxDifference(rgb, openCvRgb(test::demoPhoto(fileName))), 0);
}

void TestImaging::readsNonAsciiPath()
{
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("Kätzchen 猫.png"));
    QVERIFY(QFile::copy(test::demoPhoto(QStringLiteral("chelsea.png")), path));

    const cv::Mat rgb = decodeImageFile(path);
    QCOMPARE(rgb.cols, 451);
    QCOMPARE(rgb.rows, 300);
}

void TestImaging::rejectsBrokenImages_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expectedPhrase");

    QTest::newRow("empty") << QByteArray() << QStringLiteral("the file is empty");
    QTest::newRow("text named png") << QByteArray("this is not an image\n")
                                    << QStringLiteral("not an image OpenCV can read");
    QFile photo(test::demoPhoto(QStringLiteral("grace_hopper.jpg")));
    photo.open(QIODevice::ReadOnly);
    const QByteArray jpeg = photo.readAll();
    QTest::newRow("first 200 bytes of a JPEG") << jpeg.left(200) << QStringLiteral("JPEG data is truncated");
    QTest::newRow("JPEG cut in the middle") << jpeg.left(jpeg.size() / 2) << QStringLiteral("JPEG data is truncated");
}

void TestImaging::rejectsBrokenImages()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expectedPhrase);

    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("broken.png"));
    writeFile(path, content);

    try {
        decodeImageFile(path);
        QFAIL("a broken image was decoded");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(path), qPrintable(error.message()));
        QVERIFY2(error.message().contains(expectedPhrase), qPrintable(error.message()));
    }
}

void TestImaging::squashesToModelInput()
{
    const cv::Mat rgb = decodeImageFile(test::demoPhoto(QStringLiteral("chelsea.png")));
    const torch::Tensor input = preprocessImage(rgb, PreprocessPreset::squash224());

    QCOMPARE(input.sizes().vec(), (std::vector<int64_t> { 3, 224, 224 }));
    QCOMPARE(input.scalar_type(), torch::kFloat32);
    QVERIFY(input.is_contiguous());
    QVERIFY(input.min().item<float>() >= 0.0f);
    QVERIFY(input.max().item<float>() <= 1.0f);
    // A real photo uses most of the range, unlike an all-black or saturated input.
    QVERIFY(input.max().item<float>() - input.min().item<float>() > 0.5f);
}

void TestImaging::cropsForImagenet()
{
    const cv::Mat rgb = decodeImageFile(test::demoPhoto(QStringLiteral("coffee.png")));
    const torch::Tensor input = preprocessImage(rgb, PreprocessPreset::imagenet());

    QCOMPARE(input.sizes().vec(), (std::vector<int64_t> { 3, 224, 224 }));
    // After ImageNet normalization the values leave 0..1 on both sides.
    QVERIFY(input.min().item<float>() < 0.0f);
    QVERIFY(input.max().item<float>() > 1.0f);
}

void TestImaging::normalizesWithMeanAndStd()
{
    const cv::Mat rgb = decodeImage(solidPng(300, 260, cv::Vec3b(255, 0, 51)), QStringLiteral("solid"));
    PreprocessPreset preset = PreprocessPreset::imagenet();

    const torch::Tensor input = preprocessImage(rgb, preset);
    QCOMPARE(input.sizes().vec(), (std::vector<int64_t> { 3, 224, 224 }));
    const float expected[3] = { (1.0f - 0.485f) / 0.229f, (0.0f - 0.456f) / 0.224f,
                                (0.2f - 0.406f) / 0.225f };
    for (int channel = 0; channel < 3; ++channel) {
        QVERIFY(std::abs(input[channel].min().item<float>() - expected[channel]) < 1e-4f);
        QVERIFY(std::abs(input[channel].max().item<float>() - expected[channel]) < 1e-4f);
    }
}

void TestImaging::collectsImagesFromFolders()
{
    QTemporaryDir folder;
    QVERIFY(QDir(folder.path()).mkpath(QStringLiteral("nested/deeper")));
    writeFile(folder.filePath(QStringLiteral("b.png")), "x");
    writeFile(folder.filePath(QStringLiteral("a.JPG")), "x");
    writeFile(folder.filePath(QStringLiteral("notes.txt")), "x");
    writeFile(folder.filePath(QStringLiteral("nested/deeper/c.tiff")), "x");
    const QString explicitText = folder.filePath(QStringLiteral("notes.txt"));

    const QStringList files = collectImageFiles({ folder.path(), explicitText, folder.filePath(QStringLiteral("b.png")) });

    QCOMPARE(files.size(), 4);
    QVERIFY(files.at(0).endsWith(QLatin1String("a.JPG")));
    QVERIFY(files.at(1).endsWith(QLatin1String("b.png")));
    QVERIFY(files.at(2).endsWith(QLatin1String("nested/deeper/c.tiff")));
    // A file named on its own is kept whatever its extension, so the decoder reports it.
    QCOMPARE(files.at(3), explicitText);
}

void TestImaging::rejectsMissingImagePath()
{
    const QString missing = QStringLiteral("/nonexistent/photos");
    try {
        collectImageFiles({ missing });
        QFAIL("a missing folder was accepted");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(missing), qPrintable(error.message()));
    }
}

void TestImaging::appliesExifOrientation_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<QString>("quadrants");

    // The stored picture is 64x32 with red and green quadrants on top and
    // blue and white below (RGBW). Each row gives where the EXIF orientation
    // puts them for display.
    QTest::newRow("1 upright") << QStringLiteral("orientation-1.jpg") << 64 << 32 << QStringLiteral("RGBW");
    QTest::newRow("2 mirrored") << QStringLiteral("orientation-2.jpg") << 64 << 32 << QStringLiteral("GRWB");
    QTest::newRow("3 rotated 180") << QStringLiteral("orientation-3.jpg") << 64 << 32 << QStringLiteral("WBGR");
    QTest::newRow("4 flipped") << QStringLiteral("orientation-4.jpg") << 64 << 32 << QStringLiteral("BWRG");
    QTest::newRow("5 transposed") << QStringLiteral("orientation-5.jpg") << 32 << 64 << QStringLiteral("RBGW");
    QTest::newRow("6 rotated clockwise") << QStringLiteral("orientation-6.jpg") << 32 << 64 << QStringLiteral("BRWG");
    QTest::newRow("7 transversed") << QStringLiteral("orientation-7.jpg") << 32 << 64 << QStringLiteral("WGBR");
    QTest::newRow("8 rotated counterclockwise") << QStringLiteral("orientation-8.jpg") << 32 << 64 << QStringLiteral("GWRB");
    QTest::newRow("6 in a PNG eXIf chunk") << QStringLiteral("orientation-6.png") << 32 << 64 << QStringLiteral("BRWG");
    QTest::newRow("6 in a WebP EXIF chunk") << QStringLiteral("orientation-6.webp") << 32 << 64 << QStringLiteral("BRWG");
}

void TestImaging::appliesExifOrientation()
{
    QFETCH(QString, fileName);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(QString, quadrants);
    const QString path = samplePath(fileName);
    REQUIRE_SAMPLE(path);

    const DecodedImage image = readImageFile(path);
    QCOMPARE(image.rgb.type(), CV_8UC3);
    QCOMPARE(image.rgb.cols, width);
    QCOMPARE(image.rgb.rows, height);
    QCOMPARE(quadrantColours(image.rgb), quadrants);
    QCOMPARE(image.warnings, QStringList());

    // OpenCV 4.6 applies the orientation of JPEG and PNG files itself with
    // IMREAD_COLOR (not of WebP files), so both must give the same pixels.
    if (!fileName.endsWith(QLatin1String(".webp")))
        QCOMPARE(maxDifference(image.rgb, openCvRgb(path)), 0);
}

void TestImaging::appliesLittleEndianExif_data()
{
    QTest::addColumn<int>("orientation");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<QString>("quadrants");

    QTest::newRow("3 rotated 180") << 3 << 64 << 32 << QStringLiteral("WBGR");
    QTest::newRow("6 rotated clockwise") << 6 << 32 << 64 << QStringLiteral("BRWG");
    QTest::newRow("8 rotated counterclockwise") << 8 << 32 << 64 << QStringLiteral("GWRB");
}

void TestImaging::appliesLittleEndianExif()
{
    QFETCH(int, orientation);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(QString, quadrants);

    // Pillow writes big-endian EXIF; cameras often write little-endian.
    const QByteArray jpeg = withSegment(encode(".jpg", quadrantsBgr()),
                                        exifSegment(quint16(orientation), false));

    const DecodedImage image = decodeImageData(jpeg, QStringLiteral("little-endian-exif.jpg"));
    QCOMPARE(image.rgb.cols, width);
    QCOMPARE(image.rgb.rows, height);
    QCOMPARE(quadrantColours(image.rgb), quadrants);
}

void TestImaging::readsRealCameraExif()
{
    // Saved by Adobe Photoshop CS5 with a little-endian EXIF block of seven
    // tags, orientation 1.
    const QString path = samplePath(QStringLiteral("hubble_deep_field.jpg"));
    REQUIRE_SAMPLE(path);

    const DecodedImage image = readImageFile(path);
    QCOMPARE(image.rgb.cols, 1000);
    QCOMPARE(image.rgb.rows, 872);
    QCOMPARE(image.warnings, QStringList());
    QCOMPARE(image.originalChannels, 3);
    QCOMPARE(image.originalDepthBits, 8);
    QCOMPARE(maxDifference(image.rgb, openCvRgb(path)), 0);
}

void TestImaging::warnsAboutUnreadableExif()
{
    QByteArray segment("\xff\xe1");
    const QByteArray payload = QByteArray("Exif\0\0", 6) + QByteArray("not a TIFF header");
    segment += char(0);
    segment += char(payload.size() + 2);
    const QByteArray jpeg = withSegment(encode(".jpg", quadrantsBgr()), segment + payload);

    const DecodedImage image = decodeImageData(jpeg, QStringLiteral("broken-exif.jpg"));
    QCOMPARE(image.rgb.cols, 64);
    QCOMPARE(quadrantColours(image.rgb), QStringLiteral("RGBW"));
    QCOMPARE(image.warnings,
             QStringList { QStringLiteral("unreadable EXIF orientation: the image is used as stored") });
}

void TestImaging::expandsGrayAndPalette_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<int>("depthBits");
    QTest::addColumn<int>("channels");
    QTest::addColumn<bool>("isGray");

    QTest::newRow("8-bit gray PNG") << QStringLiteral("camera.png") << 8 << 1 << true;
    QTest::newRow("1-bit gray PNG") << QStringLiteral("checker_bilevel.png") << 1 << 1 << true;
    QTest::newRow("gray palette PNG") << QStringLiteral("palette_gray.png") << 8 << 3 << true;
    QTest::newRow("colour palette PNG") << QStringLiteral("palette_color.png") << 8 << 3 << false;
}

void TestImaging::expandsGrayAndPalette()
{
    QFETCH(QString, fileName);
    QFETCH(int, depthBits);
    QFETCH(int, channels);
    QFETCH(bool, isGray);
    const QString path = samplePath(fileName);
    REQUIRE_SAMPLE(path);

    const DecodedImage image = readImageFile(path);
    QCOMPARE(image.rgb.type(), CV_8UC3);
    QCOMPARE(image.originalDepthBits, depthBits);
    QCOMPARE(image.originalChannels, channels);
    QCOMPARE(maxDifference(image.rgb, openCvRgb(path)), 0);

    std::vector<cv::Mat> planes;
    cv::split(image.rgb, planes);
    const int redGreen = maxDifference(planes[0], planes[1]);
    const int greenBlue = maxDifference(planes[1], planes[2]);
    if (isGray) {
        QCOMPARE(redGreen, 0);
        QCOMPARE(greenBlue, 0);
    } else {
        QVERIFY(redGreen > 0 || greenBlue > 0);
    }
}

void TestImaging::compositesKnownAlphaPixels_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QList<int>>("background");
    QTest::addColumn<QList<int>>("expected");
    QTest::addColumn<int>("tolerance");

    // make_sample_images.py writes RGBA (200, 100, 0, 128), (10, 20, 30, 0),
    // (40, 50, 60, 255), (255, 255, 255, 1). On white, the first becomes
    // 128/255 * (200, 100, 0) + 127/255 * 255 = (227.4, 177.2, 127).
    const QList<int> white { 255, 255, 255 };
    const QList<int> black { 0, 0, 0 };
    const QList<int> rgbaOnWhite { 227, 177, 127, 255, 255, 255, 40, 50, 60, 255, 255, 255 };
    const QList<int> rgbaOnBlack { 100, 50, 0, 0, 0, 0, 40, 50, 60, 1, 1, 1 };
    QTest::newRow("PNG on white") << QStringLiteral("rgba.png") << white << rgbaOnWhite << 0;
    QTest::newRow("PNG on black") << QStringLiteral("rgba.png") << black << rgbaOnBlack << 0;
    QTest::newRow("WebP on white") << QStringLiteral("rgba.webp") << white << rgbaOnWhite << 0;
    // libtiff premultiplies the 8-bit colour and rounds it before compositing.
    QTest::newRow("TIFF on white") << QStringLiteral("rgba-unassociated.tif") << white << rgbaOnWhite << 1;
    QTest::newRow("TIFF on black") << QStringLiteral("rgba-unassociated.tif") << black << rgbaOnBlack << 1;

    // Gray and alpha (200, 0), (200, 128), (200, 255), (10, 64).
    QTest::newRow("gray and alpha PNG on white")
        << QStringLiteral("gray-alpha.png") << white
        << QList<int> { 255, 255, 255, 227, 227, 227, 200, 200, 200, 194, 194, 194 } << 0;
    QTest::newRow("gray and alpha PNG on black")
        << QStringLiteral("gray-alpha.png") << black
        << QList<int> { 0, 0, 0, 100, 100, 100, 200, 200, 200, 3, 3, 3 } << 0;
}

void TestImaging::compositesKnownAlphaPixels()
{
    QFETCH(QString, fileName);
    QFETCH(QList<int>, background);
    QFETCH(QList<int>, expected);
    QFETCH(int, tolerance);
    const QString path = samplePath(fileName);
    REQUIRE_SAMPLE(path);

    DecodeOptions options;
    options.background = cv::Scalar(background[0], background[1], background[2]);
    const DecodedImage image = readImageFile(path, options);
    QCOMPARE(image.rgb.rows, 1);
    QCOMPARE(image.rgb.cols * 3, int(expected.size()));
    for (int x = 0; x < image.rgb.cols; ++x) {
        const cv::Vec3b pixel = image.rgb.at<cv::Vec3b>(0, x);
        for (int c = 0; c < 3; ++c) {
            QVERIFY2(std::abs(int(pixel[c]) - expected[3 * x + c]) <= tolerance,
                     qPrintable(QStringLiteral("pixel %1 is %2").arg(x).arg(describePixel(pixel))));
        }
    }
    QCOMPARE(image.warnings, QStringList());
}

void TestImaging::compositesAlphaLikeFormula_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QList<int>>("background");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("depthBits");

    const QList<int> white { 255, 255, 255 };
    const QList<int> skyBlue { 0, 128, 255 };
    for (const QString &fileName : { QStringLiteral("horse.png"), QStringLiteral("foo3x5x4indexed.png") }) {
        const QString path = samplePath(fileName);
        const QByteArray encoded = readBytes(path);
        QTest::addRow("%s on white", qPrintable(fileName)) << path << encoded << white << 4 << 8;
        QTest::addRow("%s on sky blue", qPrintable(fileName)) << path << encoded << skyBlue << 4 << 8;
    }

    // Random 16-bit BGRA samples, so alpha ranges from transparent to opaque.
    cv::Mat bgra16(64, 64, CV_16UC4);
    cv::RNG random(20240611);
    random.fill(bgra16, cv::RNG::UNIFORM, 0, 65536);
    const QByteArray rgba16 = encode(".png", bgra16);
    QTest::newRow("16-bit RGBA PNG on white") << QStringLiteral("rgba16.png") << rgba16 << white << 4 << 16;
    QTest::newRow("16-bit RGBA PNG on sky blue") << QStringLiteral("rgba16.png") << rgba16 << skyBlue << 4 << 16;

    // 16-bit gray and alpha, which OpenCV cannot write, as raw PNG rows.
    QByteArray rows;
    for (int y = 0; y < 16; ++y) {
        rows += char(0); // filter type None
        for (int x = 0; x < 16; ++x) {
            const quint16 gray = quint16(random.uniform(0, 65536));
            const quint16 alpha = quint16(random.uniform(0, 65536));
            rows += char(gray >> 8);
            rows += char(gray & 0xff);
            rows += char(alpha >> 8);
            rows += char(alpha & 0xff);
        }
    }
    const QByteArray grayAlpha16 = pngFile(16, 16, 16, 4, rows);
    QTest::newRow("16-bit gray and alpha PNG on white")
        << QStringLiteral("gray-alpha16.png") << grayAlpha16 << white << 2 << 16;
    QTest::newRow("16-bit gray and alpha PNG on sky blue")
        << QStringLiteral("gray-alpha16.png") << grayAlpha16 << skyBlue << 2 << 16;
}

void TestImaging::compositesAlphaLikeFormula()
{
    QFETCH(QString, source);
    QFETCH(QByteArray, encoded);
    QFETCH(QList<int>, background);
    QFETCH(int, channels);
    QFETCH(int, depthBits);
    QVERIFY2(!encoded.isEmpty(), qPrintable(missingSampleMessage(source)));

    DecodeOptions options;
    options.background = cv::Scalar(background[0], background[1], background[2]);
    const DecodedImage image = decodeImageData(encoded, source, options);
    QCOMPARE(image.originalChannels, channels);
    QCOMPARE(image.originalDepthBits, depthBits);

    const cv::Mat unchanged = decodeUnchanged(encoded);
    QCOMPARE(unchanged.channels(), 4);
    QCOMPARE(maxDifference(image.rgb, expectedComposite(unchanged, options.background)), 0);
}

void TestImaging::compositesTiffAlpha_data()
{
    QTest::addColumn<QByteArray>("encoded");

    // Two pixels: colour (200, 100, 0) at alpha 128/255, and a transparent
    // black one. Associated alpha stores the colour multiplied by alpha.
    QByteArray straight8("\xc8\x64\x00\x80\x00\x00\x00\x00", 8);
    QByteArray premultiplied8("\x64\x32\x00\x80\x00\x00\x00\x00", 8);
    QByteArray straight16;
    QByteArray premultiplied16;
    for (const quint16 value : { 200 * 257, 100 * 257, 0, 128 * 257, 0, 0, 0, 0 })
        straight16 += littleEndian16(quint16(value));
    for (const quint16 value : { 100 * 257, 50 * 257, 0, 128 * 257, 0, 0, 0, 0 })
        premultiplied16 += littleEndian16(quint16(value));

    QTest::newRow("8-bit unassociated") << tiffFile(2, 1, 8, 4, 2, straight8);
    QTest::newRow("8-bit associated") << tiffFile(2, 1, 8, 4, 1, premultiplied8);
    QTest::newRow("16-bit unassociated") << tiffFile(2, 1, 16, 4, 2, straight16);
    QTest::newRow("16-bit associated") << tiffFile(2, 1, 16, 4, 1, premultiplied16);
}

void TestImaging::compositesTiffAlpha()
{
    QFETCH(QByteArray, encoded);

    const DecodedImage image = decodeImageData(encoded, QStringLiteral("alpha.tif"));
    QCOMPARE(image.rgb.cols, 2);
    QCOMPARE(image.originalChannels, 4);
    // 128/255 * (200, 100, 0) + 127/255 * 255 = (227.4, 177.2, 127)
    const cv::Vec3b first = image.rgb.at<cv::Vec3b>(0, 0);
    QVERIFY2(std::abs(first[0] - 227) <= 1, qPrintable(describePixel(first)));
    QVERIFY2(std::abs(first[1] - 177) <= 1, qPrintable(describePixel(first)));
    QVERIFY2(std::abs(first[2] - 127) <= 1, qPrintable(describePixel(first)));
    QCOMPARE(describePixel(image.rgb.at<cv::Vec3b>(0, 1)), QStringLiteral("(255, 255, 255)"));
}

void TestImaging::warnsAboutDroppedTiffAlpha()
{
    const QString path = samplePath(QStringLiteral("gray-alpha-unassociated.tif"));
    REQUIRE_SAMPLE(path);

    const DecodedImage image = readImageFile(path);
    QCOMPARE(image.originalChannels, 2);
    QCOMPARE(image.warnings,
             QStringList { QStringLiteral("transparency dropped: OpenCV does not read it from this "
                                          "TIFF file, so transparent pixels show their stored colour") });
    QCOMPARE(describePixel(image.rgb.at<cv::Vec3b>(0, 0)), QStringLiteral("(200, 200, 200)"));
}

void TestImaging::scalesEvery16BitValue()
{
    cv::Mat bgr(256, 256, CV_16UC3);
    for (int y = 0; y < 256; ++y) {
        for (int x = 0; x < 256; ++x) {
            const ushort value = ushort(y * 256 + x);
            bgr.at<cv::Vec3w>(y, x) = cv::Vec3w(value, ushort(65535 - value), value);
        }
    }

    const DecodedImage image = decodeImageData(encode(".png", bgr), QStringLiteral("every-value.png"));
    QCOMPARE(image.originalDepthBits, 16);
    QCOMPARE(image.originalChannels, 3);
    const auto scaled = [&image](int value) {
        return int(image.rgb.at<cv::Vec3b>(value / 256, value % 256)[0]);
    };
    QCOMPARE(scaled(65535), 255);
    QCOMPARE(scaled(32896), 128);
    QCOMPARE(scaled(128), 0);
    // Dropping the low byte would give 0 for these two.
    QCOMPARE(scaled(129), 1);
    QCOMPARE(scaled(255), 1);

    for (int value = 0; value < 65536; ++value) {
        // round(value * 255 / 65535) in integers
        const int expected = (2 * value * 255 + 65535) / (2 * 65535);
        const cv::Vec3b pixel = image.rgb.at<cv::Vec3b>(value / 256, value % 256);
        const int expectedGreen = (2 * (65535 - value) * 255 + 65535) / (2 * 65535);
        if (pixel[0] != expected || pixel[1] != expectedGreen) {
            QFAIL(qPrintable(QStringLiteral("16-bit %1 became %2, expected %3")
                                 .arg(value)
                                 .arg(describePixel(pixel))
                                 .arg(expected)));
        }
    }
}

void TestImaging::scalesReal16BitFiles_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<int>("topLeft");

    // skimage's chessboard TIFFs store 0..255 in 16-bit samples, so the top
    // left 255 becomes round(255 * 255 / 65535) = 1 (dropping the low byte
    // would give 0).
    QTest::newRow("little-endian TIFF") << QStringLiteral("chessboard_GRAY_U16.tif") << 1;
    QTest::newRow("big-endian TIFF") << QStringLiteral("chessboard_GRAY_U16B.tif") << 1;
    QTest::newRow("RGB PNG") << QStringLiteral("chessboard_RGB.png") << 255;
}

void TestImaging::scalesReal16BitFiles()
{
    QFETCH(QString, fileName);
    QFETCH(int, topLeft);
    const QString path = samplePath(fileName);
    REQUIRE_SAMPLE(path);

    const DecodedImage image = readImageFile(path);
    QCOMPARE(image.originalDepthBits, 16);
    QCOMPARE(int(image.rgb.at<cv::Vec3b>(0, 0)[0]), topLeft);

    const cv::Mat unchanged = decodeUnchanged(readBytes(path));
    QCOMPARE(unchanged.depth(), CV_16U);
    cv::Mat expected(unchanged.rows, unchanged.cols, CV_8UC3);
    const int channels = unchanged.channels();
    for (int y = 0; y < unchanged.rows; ++y) {
        for (int x = 0; x < unchanged.cols; ++x) {
            const ushort *sample = unchanged.ptr<ushort>(y) + x * channels;
            for (int c = 0; c < 3; ++c) {
                const int value = sample[channels == 1 ? 0 : 2 - c]; // BGR to RGB
                expected.at<cv::Vec3b>(y, x)[c] = uchar((2 * value * 255 + 65535) / (2 * 65535));
            }
        }
    }
    QCOMPARE(maxDifference(image.rgb, expected), 0);
}

void TestImaging::decodesCmykJpeg()
{
    const QString path = samplePath(QStringLiteral("cmyk.jpg"));
    REQUIRE_SAMPLE(path);

    const DecodedImage image = readImageFile(path);
    QCOMPARE(image.originalChannels, 4);
    QCOMPARE(image.rgb.cols, 64);
    QCOMPARE(image.rgb.rows, 32);
    QCOMPARE(quadrantColours(image.rgb), QStringLiteral("RGBW"));
}

void TestImaging::warnsAboutMultiPageTiff_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<int>("pages");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");

    QTest::newRow("2 pages, little-endian") << QStringLiteral("multipage.tif") << 2 << 10 << 15;
    QTest::newRow("30 pages, big-endian (ImageJ)") << QStringLiteral("_blobs_3d_fiji_skeleton.tif") << 30 << 32 << 32;
    QTest::newRow("3 RGB pages, LZW") << QStringLiteral("three-pages.tif") << 3 << 6 << 4;
    QTest::newRow("1 page") << QStringLiteral("chessboard_GRAY_U16.tif") << 1 << 200 << 200;
}

void TestImaging::warnsAboutMultiPageTiff()
{
    QFETCH(QString, fileName);
    QFETCH(int, pages);
    QFETCH(int, width);
    QFETCH(int, height);
    const QString path = samplePath(fileName);
    REQUIRE_SAMPLE(path);

    const DecodedImage image = readImageFile(path);
    QCOMPARE(image.rgb.cols, width);
    QCOMPARE(image.rgb.rows, height);
    QStringList expected;
    if (pages > 1)
        expected << QStringLiteral("multi-page TIFF: only the first of %1 pages is used").arg(pages);
    QCOMPARE(image.warnings, expected);
    if (fileName == QLatin1String("three-pages.tif"))
        QCOMPARE(describePixel(image.rgb.at<cv::Vec3b>(0, 0)), QStringLiteral("(250, 20, 30)"));
}

void TestImaging::rejectsHugeImagesBeforeDecoding_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("size");

    // Every file is a few bytes long but claims a size that would need
    // gigabytes once decoded.
    const QByteArray oneRow("\0\0\0\0", 4);
    QTest::newRow("PNG 50000x50000") << pngFile(50000, 50000, 8, 2, oneRow) << QStringLiteral("huge.png")
                                     << QStringLiteral("50000x50000");
    // Below OpenCV's own limit of 2^30 pixels, so only HalfScope's check stops it.
    QTest::newRow("PNG 12000x12000") << pngFile(12000, 12000, 8, 2, oneRow) << QStringLiteral("huge.png")
                                     << QStringLiteral("12000x12000");

    QByteArray jpeg = encode(".jpg", quadrantsBgr());
    const qsizetype frame = jpeg.indexOf("\xff\xc0");
    QVERIFY(frame > 0);
    // SOF0: marker, length, precision, then height and width, big-endian.
    jpeg[frame + 5] = char(20000 >> 8);
    jpeg[frame + 6] = char(20000 & 0xff);
    jpeg[frame + 7] = char(20000 >> 8);
    jpeg[frame + 8] = char(20000 & 0xff);
    // Without its scan the JPEG is also truncated, so only a check of the
    // header, before any decoding, can report the size.
    jpeg.truncate(frame + 19);
    QTest::newRow("JPEG 20000x20000") << jpeg << QStringLiteral("huge.jpg") << QStringLiteral("20000x20000");

    QTest::newRow("TIFF 20000x20000") << tiffFile(20000, 20000, 8, 3, -1, QByteArray(12, '\0'))
                                      << QStringLiteral("huge.tif") << QStringLiteral("20000x20000");

    const QByteArray lossless = QByteArray("VP8L") + littleEndian32(5) + char(0x2f)
        + littleEndian32(16382 | (16382u << 14)) + QByteArray(1, '\0');
    QTest::newRow("WebP lossless 16383x16383")
        << QByteArray("RIFF") + littleEndian32(quint32(4 + lossless.size())) + "WEBP" + lossless
        << QStringLiteral("huge.webp") << QStringLiteral("16383x16383");
    const QByteArray extended = QByteArray("VP8X") + littleEndian32(10) + QByteArray(4, '\0')
        + littleEndian32(19999).left(3) + littleEndian32(19999).left(3);
    QTest::newRow("WebP extended 20000x20000")
        << QByteArray("RIFF") + littleEndian32(quint32(4 + extended.size())) + "WEBP" + extended
        << QStringLiteral("huge.webp") << QStringLiteral("20000x20000");

    // BITMAPINFOHEADER with a negative height (rows stored top-down).
    const QByteArray bmp = QByteArray("BM") + littleEndian32(54 + 16) + littleEndian32(0) + littleEndian32(54)
        + littleEndian32(40) + littleEndian32(20000) + littleEndian32(quint32(-20000))
        + littleEndian16(1) + littleEndian16(24) + QByteArray(24, '\0') + QByteArray(16, '\0');
    QTest::newRow("BMP 20000x20000") << bmp << QStringLiteral("huge.bmp") << QStringLiteral("20000x20000");

    QTest::newRow("PGM 20000x20000") << QByteArray("P5\n# written by a test\n20000 20000\n255\n") + QByteArray(16, '\0')
                                     << QStringLiteral("huge.pgm") << QStringLiteral("20000x20000");
}

void TestImaging::rejectsHugeImagesBeforeDecoding()
{
    QFETCH(QByteArray, encoded);
    QFETCH(QString, fileName);
    QFETCH(QString, size);

    QTemporaryDir folder;
    const QString path = folder.filePath(fileName);
    writeFile(path, encoded);

    try {
        readImageFile(path);
        QFAIL("an image larger than the pixel limit was decoded");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(path), qPrintable(error.message()));
        QVERIFY2(error.message().contains(size + QStringLiteral(" pixels")), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("limit of 100 million pixels")),
                 qPrintable(error.message()));
    }
}

void TestImaging::rejectsTruncatedSamples_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<int>("keptBytes");
    QTest::addColumn<QString>("expectedPhrase");

    // keptBytes -1 keeps the whole file, negative values drop that many bytes
    // from the end, and positive values keep that many from the start.
    QTest::newRow("PNG cut in half") << QStringLiteral("camera.png") << 139512 / 2
                                     << QStringLiteral("PNG data is truncated");
    QTest::newRow("TIFF cut in half") << QStringLiteral("chessboard_GRAY_U16.tif") << 80110 / 2
                                      << QStringLiteral("TIFF data is truncated");
    QTest::newRow("big-endian TIFF cut in half") << QStringLiteral("chessboard_GRAY_U16B.tif") << 80110 / 2
                                                 << QStringLiteral("TIFF data is truncated");
    QTest::newRow("TIFF cut after the first page") << QStringLiteral("multipage.tif") << 600
                                                   << QStringLiteral("TIFF data is truncated");
    QTest::newRow("skimage's truncated JPEG") << QStringLiteral("truncated.jpg") << -1
                                              << QStringLiteral("JPEG data is truncated");
    QTest::newRow("WebP without its last bytes") << QStringLiteral("rgba.webp") << -10
                                                 << QStringLiteral("WebP data is truncated");
}

void TestImaging::rejectsTruncatedSamples()
{
    QFETCH(QString, fileName);
    QFETCH(int, keptBytes);
    QFETCH(QString, expectedPhrase);
    const QString sample = samplePath(fileName);
    REQUIRE_SAMPLE(sample);

    QByteArray content = readBytes(sample);
    if (keptBytes < -1)
        content.chop(-keptBytes);
    else if (keptBytes > 0)
        content.truncate(keptBytes);
    QTemporaryDir folder;
    const QString path = folder.filePath(fileName);
    writeFile(path, content);

    try {
        readImageFile(path);
        QFAIL("a truncated image was decoded");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(path), qPrintable(error.message()));
        QVERIFY2(error.message().contains(expectedPhrase), qPrintable(error.message()));
    }
}

void TestImaging::rejectsDamagedPng()
{
    const QString sample = samplePath(QStringLiteral("camera.png"));
    REQUIRE_SAMPLE(sample);
    QByteArray content = readBytes(sample);
    // A changed byte inside the compressed data damages the image data.
    content[content.size() / 2] = char(content[content.size() / 2] ^ 0x5a);
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("camera.png"));
    writeFile(path, content);

    try {
        readImageFile(path);
        QFAIL("a damaged PNG was decoded");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(path), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("damaged")), qPrintable(error.message()));
    }
}

void TestImaging::rejectsTiffWithPageLoop()
{
    QByteArray tiff = tiffFile(2, 1, 8, 3, -1, QByteArray(6, '\x40'));
    // Point the "next page" offset of the only directory back at itself.
    const quint32 directory = qFromLittleEndian<quint32>(tiff.constData() + 4);
    const quint16 entries = qFromLittleEndian<quint16>(tiff.constData() + directory);
    const qsizetype next = qsizetype(directory) + 2 + 12 * entries;
    qToLittleEndian(directory, tiff.data() + next);

    try {
        decodeImageData(tiff, QStringLiteral("loop.tif"));
        QFAIL("a TIFF whose page list loops was decoded");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QLatin1String("loop.tif")), qPrintable(error.message()));
        QVERIFY2(error.message().contains(QLatin1String("points back to an earlier page")),
                 qPrintable(error.message()));
    }
}

void TestImaging::ordersChannelsAndScales()
{
    const cv::Mat rgb = decodeImage(solidPng(40, 30, cv::Vec3b(200, 100, 50)), QStringLiteral("solid"));
    PreprocessPreset preset = PreprocessPreset::squash224();
    preset.channelOrder = PreprocessPreset::ChannelOrder::Bgr;
    preset.maxValue = 255.0f;
    preset.mean = { 50.0f, 0.0f, 0.0f };
    preset.std = { 1.0f, 1.0f, 2.0f };

    const torch::Tensor input = preprocessImage(rgb, preset);
    QCOMPARE(input.sizes().vec(), (std::vector<int64_t> { 3, 224, 224 }));
    // BGR order: blue first, on the 0..255 scale, then mean and std per channel.
    QCOMPARE(input[0].min().item<float>(), 0.0f);
    QCOMPARE(input[0].max().item<float>(), 0.0f);
    QCOMPARE(input[1].min().item<float>(), 100.0f);
    QCOMPARE(input[2].max().item<float>(), 100.0f);
}

void TestImaging::resampleKeepsSolidColour_data()
{
    QTest::addColumn<int>("filter");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");

    for (int filter : { int(ResampleFilter::Bilinear), int(ResampleFilter::Bicubic) }) {
        const char *name = filter == int(ResampleFilter::Bilinear) ? "bilinear" : "bicubic";
        QTest::addRow("%s shrink", name) << filter << 37 << 23;
        QTest::addRow("%s enlarge", name) << filter << 611 << 397;
        QTest::addRow("%s one pixel", name) << filter << 1 << 1;
        QTest::addRow("%s width only", name) << filter << 100 << 260;
    }
}

void TestImaging::resampleKeepsSolidColour()
{
    QFETCH(int, filter);
    QFETCH(int, width);
    QFETCH(int, height);

    const cv::Mat solid(260, 300, CV_8UC3, cv::Scalar(17, 128, 250));
    const cv::Mat resized = resampleLikePillow(solid, width, height, ResampleFilter(filter));
    QCOMPARE(resized.cols, width);
    QCOMPARE(resized.rows, height);
    // The weights of every output pixel sum to one, so a solid image stays solid.
    std::vector<cv::Mat> channels;
    cv::split(resized, channels);
    const int expected[3] = { 17, 128, 250 };
    for (int c = 0; c < 3; ++c) {
        double low = 0.0;
        double high = 0.0;
        cv::minMaxLoc(channels[size_t(c)], &low, &high);
        QCOMPARE(int(low), expected[c]);
        QCOMPARE(int(high), expected[c]);
    }
}

void TestImaging::resampleAntialiasesStripes()
{
    // One-pixel black and white columns shrunk by 4: an antialiased filter
    // averages them to mid-grey, where sampling without a wide filter would
    // keep only black or only white.
    cv::Mat stripes(8, 64, CV_8UC1);
    for (int x = 0; x < stripes.cols; ++x)
        stripes.col(x).setTo(x % 2 == 0 ? 0 : 255);
    const cv::Mat resized = resampleLikePillow(stripes, 16, 8, ResampleFilter::Bilinear);
    double low = 0.0;
    double high = 0.0;
    cv::minMaxLoc(resized.colRange(1, 15), &low, &high);
    QVERIFY2(low >= 112.0 && high <= 143.0, qPrintable(QStringLiteral("%1..%2").arg(low).arg(high)));
}

void TestImaging::presetPixelFormatRoundTrips()
{
    PreprocessPreset preset = PreprocessPreset::imagenet();
    preset.name = QStringLiteral("caffe");
    preset.interpolation = PreprocessPreset::Interpolation::Bicubic;
    preset.channelOrder = PreprocessPreset::ChannelOrder::Bgr;
    preset.maxValue = 255.0f;
    preset.mean = { 104.0f, 117.0f, 123.0f };
    preset.std = { 1.0f, 1.0f, 1.0f };

    const QJsonObject json = preset.toJson();
    QCOMPARE(json.value(QStringLiteral("interpolation")).toString(), QStringLiteral("bicubic"));
    QCOMPARE(json.value(QStringLiteral("channel_order")).toString(), QStringLiteral("bgr"));
    QVERIFY(PreprocessPreset::fromJson(json, QStringLiteral("test")) == preset);
    QVERIFY(preset.describe().contains(QStringLiteral("bicubic")));
    QVERIFY(preset.describe().contains(QStringLiteral("0..255")));
    QVERIFY(preset.describe().contains(QStringLiteral("BGR")));
}

void TestImaging::presetReadsVersionOneDefaults()
{
    QJsonObject json = PreprocessPreset::squash224().toJson();
    json.insert(QStringLiteral("version"), 1);
    json.remove(QStringLiteral("interpolation"));
    json.remove(QStringLiteral("channel_order"));
    json.remove(QStringLiteral("max_value"));

    const PreprocessPreset preset = PreprocessPreset::fromJson(json, QStringLiteral("old.json"));
    QCOMPARE(preset.interpolation, PreprocessPreset::Interpolation::Bilinear);
    QCOMPARE(preset.channelOrder, PreprocessPreset::ChannelOrder::Rgb);
    QCOMPARE(preset.maxValue, 1.0f);
}

void TestImaging::presetRejectsInvalidPixelFormat_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");

    QTest::newRow("unknown interpolation") << QStringLiteral("interpolation") << QJsonValue(QStringLiteral("lanczos"));
    QTest::newRow("unknown channel order") << QStringLiteral("channel_order") << QJsonValue(QStringLiteral("rgba"));
    QTest::newRow("zero max value") << QStringLiteral("max_value") << QJsonValue(0);
    QTest::newRow("text max value") << QStringLiteral("max_value") << QJsonValue(QStringLiteral("255"));
    QTest::newRow("future version") << QStringLiteral("version") << QJsonValue(3);
    QTest::newRow("misspelt field") << QStringLiteral("interpolaton") << QJsonValue(QStringLiteral("bicubic"));
}

void TestImaging::presetRejectsInvalidPixelFormat()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);

    QJsonObject json = PreprocessPreset::imagenet().toJson();
    json.insert(field, value);
    try {
        PreprocessPreset::fromJson(json, QStringLiteral("presets/mine.json"));
        QFAIL("an invalid preset was accepted");
    } catch (const Error &error) {
        QVERIFY2(error.message().contains(QStringLiteral("presets/mine.json")), qPrintable(error.message()));
        const QString named = field == QLatin1String("version") ? QStringLiteral("version 3") : field;
        QVERIFY2(error.message().contains(named), qPrintable(error.message()));
    }
}

QTEST_GUILESS_MAIN(TestImaging)
#include "tst_imaging.moc"
