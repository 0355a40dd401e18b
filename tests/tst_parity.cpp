// SPDX-License-Identifier: GPL-3.0-or-later
// Compares HalfScope's preprocessing with torchvision's on real photos. The
// reference tensors come from tests/fixtures/make_torchvision_reference.sh:
// torchvision's Resize, CenterCrop and ToTensor on Pillow images.
#include "testsupport.h"

#include "imaging/imagedecoder.h"
#include "imaging/preprocessor.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>

using namespace halfscope;

namespace {

const QString kReferenceFolder = QStringLiteral(HALFSCOPE_TORCHVISION_REFERENCE "/tensors");

/// Differences between two [3, H, W] tensors, in 8-bit levels (1 = 1/255).
struct Difference
{
    double maxLevels = 0.0;
    double meanLevels = 0.0;
    double beyondOneLevel = 0.0; ///< Fraction of values more than one level apart.
};

Difference compare(const torch::Tensor &actual, const torch::Tensor &expected)
{
    const torch::Tensor levels = (actual - expected).abs().mul(255.0).to(torch::kFloat64);
    Difference difference;
    difference.maxLevels = levels.max().item<double>();
    difference.meanLevels = levels.mean().item<double>();
    difference.beyondOneLevel = levels.gt(1.0 + 1e-4).to(torch::kFloat64).mean().item<double>();
    return difference;
}

torch::Tensor readReference(const QJsonObject &entry)
{
    QFile file(kReferenceFolder + QLatin1Char('/') + entry.value(QLatin1String("file")).toString());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    std::vector<int64_t> shape;
    for (const QJsonValue &side : entry.value(QLatin1String("shape")).toArray())
        shape.push_back(side.toInteger());
    const auto floats = int64_t(bytes.size() / int(sizeof(float)));
    return torch::from_blob(const_cast<char *>(bytes.data()), { floats }, torch::kFloat32)
        .clone()
        .view(shape);
}

/// Returns the built-in preset without mean/std, so outputs stay on the 0..1
/// scale of torchvision's ToTensor. "imagenet-bicubic" is the ImageNet preset
/// with bicubic interpolation.
PreprocessPreset unnormalized(const QString &name)
{
    const bool bicubic = name == QLatin1String("imagenet-bicubic");
    PreprocessPreset preset
        = *PreprocessPreset::builtin(bicubic ? QStringLiteral("imagenet") : name);
    if (bicubic)
        preset.interpolation = PreprocessPreset::Interpolation::Bicubic;
    preset.mean = { 0.0f, 0.0f, 0.0f };
    preset.std = { 1.0f, 1.0f, 1.0f };
    return preset;
}

} // namespace

class TestParity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTorchvision_data();
    void matchesTorchvision();
};

void TestParity::matchesTorchvision_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("image");
    QTest::addColumn<QJsonObject>("entry");

    QFile manifest(kReferenceFolder + QStringLiteral("/manifest.json"));
    QVERIFY2(manifest.open(QIODevice::ReadOnly), qPrintable(manifest.fileName()));
    const QJsonObject root = QJsonDocument::fromJson(manifest.readAll()).object();
    for (const QJsonValue &value : root.value(QLatin1String("tensors")).toArray()) {
        const QJsonObject entry = value.toObject();
        const QString preset = entry.value(QLatin1String("preset")).toString();
        const QString image = entry.value(QLatin1String("image")).toString();
        QTest::addRow("%s %s", qPrintable(preset), qPrintable(QFileInfo(image).fileName()))
            << preset << image << entry;
    }
}

void TestParity::matchesTorchvision()
{
    QFETCH(QString, preset);
    QFETCH(QString, image);
    QFETCH(QJsonObject, entry);

    const torch::Tensor expected = readReference(entry);
    QVERIFY(expected.defined());
    const torch::Tensor actual = preprocessImage(readImageFile(image).rgb, unnormalized(preset));
    QCOMPARE(actual.sizes().vec(), expected.sizes().vec());

    const Difference difference = compare(actual, expected);
    qInfo("max %.2f levels, mean %.4f levels, %.4f%% beyond one level",
          difference.maxLevels, difference.meanLevels, 100.0 * difference.beyondOneLevel);

    // Pillow and OpenCV both decode with libjpeg-turbo and the resampler
    // follows Pillow's arithmetic, so the tensors are identical on the
    // development machines. One level is left for another libjpeg build.
    QVERIFY2(difference.maxLevels <= 1.0 + 1e-4, qPrintable(QString::number(difference.maxLevels)));
    QVERIFY2(difference.meanLevels <= 0.01, qPrintable(QString::number(difference.meanLevels)));
}

QTEST_GUILESS_MAIN(TestParity)
#include "tst_parity.moc"
