// SPDX-License-Identifier: GPL-3.0-or-later
#include "testsupport.h"

#include "common/error.h"
#include "imaging/imagedecoder.h"
#include "imaging/imagefiles.h"
#include "imaging/preprocessor.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

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

QTEST_GUILESS_MAIN(TestImaging)
#include "tst_imaging.moc"
