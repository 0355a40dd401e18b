// SPDX-License-Identifier: GPL-3.0-or-later
#include "imaging/preprocesspreset.h"

#include "common/error.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace halfscope {

namespace {

const char *const kFormat = "halfscope.preprocess";
// Version 2 added interpolation, channel_order and max_value; version 1 files
// read with their defaults.
constexpr int kVersion = 2;
constexpr int kMaxSide = 16384;

int readSide(const QJsonObject &object, const char *key, int fallback, bool allowZero,
             const QString &source)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined())
        return fallback;
    const int side = value.toInt(-1);
    const int minimum = allowZero ? 0 : 1;
    if (!value.isDouble() || side < minimum || side > kMaxSide) {
        throw Error(QStringLiteral("Invalid preprocessing in %1: \"%2\" must be a whole number "
                                   "of pixels from %3 to %4.")
                        .arg(source, QLatin1String(key))
                        .arg(minimum)
                        .arg(kMaxSide));
    }
    return side;
}

std::array<float, 3> readTriple(const QJsonObject &object, const char *key,
                                std::array<float, 3> fallback, bool positive,
                                const QString &source)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined())
        return fallback;
    const QJsonArray array = value.toArray();
    std::array<float, 3> triple {};
    bool valid = value.isArray() && array.size() == 3;
    for (int i = 0; valid && i < 3; ++i) {
        valid = array.at(i).isDouble() && (!positive || array.at(i).toDouble() > 0.0);
        triple[i] = float(array.at(i).toDouble());
    }
    if (!valid) {
        throw Error(QStringLiteral("Invalid preprocessing in %1: \"%2\" must be a list of "
                                   "three %3numbers, one per RGB channel.")
                        .arg(source, QLatin1String(key),
                             positive ? QStringLiteral("positive ") : QString()));
    }
    return triple;
}

/// Reads interpolation, channel_order and max_value into preset; absent
/// fields keep their defaults.
void readPixelFormat(const QJsonObject &object, const QString &source, PreprocessPreset &preset)
{
    const QJsonValue interpolation = object.value(QLatin1String("interpolation"));
    if (!interpolation.isUndefined()) {
        const auto parsed = PreprocessPreset::interpolationFromName(interpolation.toString());
        if (!parsed) {
            throw Error(QStringLiteral("Invalid preprocessing in %1: \"interpolation\" must be "
                                       "one of %2.")
                            .arg(source, PreprocessPreset::interpolationNames().join(
                                             QStringLiteral(", "))));
        }
        preset.interpolation = *parsed;
    }

    const QString order = object.value(QLatin1String("channel_order")).toString(
        QStringLiteral("rgb"));
    if (order != QLatin1String("rgb") && order != QLatin1String("bgr")) {
        throw Error(QStringLiteral("Invalid preprocessing in %1: \"channel_order\" must be "
                                   "\"rgb\" or \"bgr\", not \"%2\".")
                        .arg(source, order));
    }
    preset.channelOrder = order == QLatin1String("rgb") ? PreprocessPreset::ChannelOrder::Rgb
                                                       : PreprocessPreset::ChannelOrder::Bgr;

    const QJsonValue maxValue = object.value(QLatin1String("max_value"));
    if (!maxValue.isUndefined()) {
        const double value = maxValue.toDouble(-1.0);
        if (!maxValue.isDouble() || !(value > 0.0) || value > 65535.0) {
            throw Error(QStringLiteral("Invalid preprocessing in %1: \"max_value\" must be a "
                                       "positive number such as 1 (values 0..1) or 255 (values "
                                       "0..255).")
                            .arg(source));
        }
        preset.maxValue = float(value);
    }
}

QJsonArray toArray(const std::array<float, 3> &triple)
{
    return QJsonArray { double(triple[0]), double(triple[1]), double(triple[2]) };
}

} // namespace

int PreprocessPreset::outputWidth() const
{
    if (cropWidth > 0)
        return cropWidth;
    return resizeMode == ResizeMode::Squash ? width : 0;
}

int PreprocessPreset::outputHeight() const
{
    if (cropHeight > 0)
        return cropHeight;
    return resizeMode == ResizeMode::Squash ? height : 0;
}

QString PreprocessPreset::describe() const
{
    QString text = resizeMode == ResizeMode::Squash
        ? QStringLiteral("resize to %1x%2").arg(width).arg(height)
        : QStringLiteral("shorter side %1").arg(shorterSide);
    if (cropWidth > 0 && cropHeight > 0)
        text += QStringLiteral(", center crop %1x%2").arg(cropWidth).arg(cropHeight);
    text += QStringLiteral(", %1").arg(interpolationName(interpolation));
    text += maxValue == 1.0f ? QStringLiteral(", scale 0..1")
                             : QStringLiteral(", scale 0..%1").arg(double(maxValue));
    if (channelOrder == ChannelOrder::Bgr)
        text += QStringLiteral(", BGR");
    const bool normalized = mean != std::array<float, 3> { 0.0f, 0.0f, 0.0f }
        || std != std::array<float, 3> { 1.0f, 1.0f, 1.0f };
    text += normalized ? QStringLiteral(", mean/std") : QStringLiteral(", no mean/std");
    return text;
}

QJsonObject PreprocessPreset::toJson() const
{
    QJsonObject object;
    object.insert(QStringLiteral("format"), QLatin1String(kFormat));
    object.insert(QStringLiteral("version"), kVersion);
    object.insert(QStringLiteral("name"), name);
    object.insert(QStringLiteral("resize_mode"),
                  resizeMode == ResizeMode::Squash ? QStringLiteral("squash")
                                                   : QStringLiteral("shorter_side"));
    object.insert(QStringLiteral("width"), width);
    object.insert(QStringLiteral("height"), height);
    object.insert(QStringLiteral("shorter_side"), shorterSide);
    object.insert(QStringLiteral("crop_width"), cropWidth);
    object.insert(QStringLiteral("crop_height"), cropHeight);
    object.insert(QStringLiteral("interpolation"), interpolationName(interpolation));
    object.insert(QStringLiteral("channel_order"), channelOrder == ChannelOrder::Rgb
                                                       ? QStringLiteral("rgb")
                                                       : QStringLiteral("bgr"));
    object.insert(QStringLiteral("max_value"), double(maxValue));
    object.insert(QStringLiteral("mean"), toArray(mean));
    object.insert(QStringLiteral("std"), toArray(std));
    return object;
}

PreprocessPreset PreprocessPreset::fromJson(const QJsonObject &object, const QString &source)
{
    if (object.value(QStringLiteral("format")).toString() != QLatin1String(kFormat)) {
        throw Error(QStringLiteral("Invalid preprocessing in %1: \"format\" must be \"%2\".")
                        .arg(source, QLatin1String(kFormat)));
    }
    const int version = object.value(QStringLiteral("version")).toInt();
    if (version < 1 || version > kVersion) {
        throw Error(QStringLiteral("Unsupported preprocessing version %1 in %2; this HalfScope "
                                   "reads version %3. Update HalfScope to read it.")
                        .arg(version)
                        .arg(source)
                        .arg(kVersion));
    }

    // A misspelt field would otherwise fall back to its default without a word.
    static const QStringList knownFields = {
        QStringLiteral("format"),        QStringLiteral("version"),     QStringLiteral("name"),
        QStringLiteral("resize_mode"),   QStringLiteral("width"),       QStringLiteral("height"),
        QStringLiteral("shorter_side"),  QStringLiteral("crop_width"),  QStringLiteral("crop_height"),
        QStringLiteral("interpolation"), QStringLiteral("channel_order"), QStringLiteral("max_value"),
        QStringLiteral("mean"),          QStringLiteral("std"),
    };
    for (const QString &key : object.keys()) {
        if (!knownFields.contains(key)) {
            throw Error(QStringLiteral("Invalid preprocessing in %1: unknown field \"%2\". The known "
                                       "fields are %3.")
                            .arg(source, key, knownFields.join(QStringLiteral(", "))));
        }
    }

    PreprocessPreset preset;
    preset.name = object.value(QStringLiteral("name")).toString(QStringLiteral("custom"));
    const QString mode = object.value(QStringLiteral("resize_mode")).toString();
    if (mode == QLatin1String("squash")) {
        preset.resizeMode = ResizeMode::Squash;
    } else if (mode == QLatin1String("shorter_side")) {
        preset.resizeMode = ResizeMode::ShorterSide;
    } else {
        throw Error(QStringLiteral("Invalid preprocessing in %1: \"resize_mode\" must be "
                                   "\"squash\" or \"shorter_side\", not \"%2\".")
                        .arg(source, mode));
    }
    preset.width = readSide(object, "width", preset.width, false, source);
    preset.height = readSide(object, "height", preset.height, false, source);
    preset.shorterSide = readSide(object, "shorter_side", preset.shorterSide, false, source);
    preset.cropWidth = readSide(object, "crop_width", 0, true, source);
    preset.cropHeight = readSide(object, "crop_height", 0, true, source);
    if ((preset.cropWidth == 0) != (preset.cropHeight == 0)) {
        throw Error(QStringLiteral("Invalid preprocessing in %1: set both \"crop_width\" and "
                                   "\"crop_height\", or neither.")
                        .arg(source));
    }
    if (preset.resizeMode == ResizeMode::ShorterSide && preset.cropWidth == 0) {
        throw Error(QStringLiteral("Invalid preprocessing in %1: \"shorter_side\" resizing "
                                   "needs a center crop so that every input has the same size.")
                        .arg(source));
    }
    readPixelFormat(object, source, preset);
    preset.mean = readTriple(object, "mean", preset.mean, false, source);
    preset.std = readTriple(object, "std", preset.std, true, source);
    return preset;
}

QStringList PreprocessPreset::interpolationNames()
{
    return { QStringLiteral("bilinear"), QStringLiteral("bicubic"), QStringLiteral("area"),
             QStringLiteral("nearest") };
}

QString PreprocessPreset::interpolationName(Interpolation interpolation)
{
    return interpolationNames().at(int(interpolation));
}

std::optional<PreprocessPreset::Interpolation>
PreprocessPreset::interpolationFromName(const QString &name)
{
    const int index = interpolationNames().indexOf(name.trimmed().toLower());
    if (index < 0)
        return std::nullopt;
    return Interpolation(index);
}

bool PreprocessPreset::operator==(const PreprocessPreset &other) const
{
    return name == other.name && resizeMode == other.resizeMode && width == other.width
        && height == other.height && shorterSide == other.shorterSide
        && cropWidth == other.cropWidth && cropHeight == other.cropHeight
        && interpolation == other.interpolation && channelOrder == other.channelOrder
        && maxValue == other.maxValue && mean == other.mean && std == other.std;
}

PreprocessPreset PreprocessPreset::readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        throw Error(QStringLiteral("Cannot read the preprocessing file %1: %2.")
                        .arg(path, file.errorString()));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject()) {
        throw Error(QStringLiteral("Invalid preprocessing in %1: %2. The file must hold one JSON "
                                   "object with \"format\": \"halfscope.preprocess\".")
                        .arg(path, parseError.error == QJsonParseError::NoError
                                       ? QStringLiteral("not a JSON object")
                                       : parseError.errorString()));
    }
    return fromJson(document.object(), path);
}

PreprocessPreset PreprocessPreset::squash224()
{
    PreprocessPreset preset;
    preset.name = QStringLiteral("squash224");
    return preset;
}

PreprocessPreset PreprocessPreset::imagenet()
{
    PreprocessPreset preset;
    preset.name = QStringLiteral("imagenet");
    preset.resizeMode = ResizeMode::ShorterSide;
    preset.shorterSide = 256;
    preset.cropWidth = 224;
    preset.cropHeight = 224;
    // torchvision's ImageNet statistics.
    preset.mean = { 0.485f, 0.456f, 0.406f };
    preset.std = { 0.229f, 0.224f, 0.225f };
    return preset;
}

PreprocessPreset PreprocessPreset::inception()
{
    PreprocessPreset preset = imagenet();
    preset.name = QStringLiteral("inception");
    preset.shorterSide = 342;
    preset.cropWidth = 299;
    preset.cropHeight = 299;
    return preset;
}

QStringList PreprocessPreset::builtinNames()
{
    return { QStringLiteral("squash224"), QStringLiteral("imagenet"), QStringLiteral("inception") };
}

std::optional<PreprocessPreset> PreprocessPreset::builtin(const QString &name)
{
    if (name == QLatin1String("squash224"))
        return squash224();
    if (name == QLatin1String("imagenet"))
        return imagenet();
    if (name == QLatin1String("inception"))
        return inception();
    return std::nullopt;
}

} // namespace halfscope
