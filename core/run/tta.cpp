// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/augmentation.h"
#include "run/tta.h"

#include "common/error.h"

#include <cmath>

namespace halfscope {

namespace {

const char *cropName(TtaView::Crop crop)
{
    switch (crop) {
    case TtaView::Crop::Full:
        return "";
    case TtaView::Crop::Center:
        return "crop-center";
    case TtaView::Crop::TopLeft:
        return "crop-tl";
    case TtaView::Crop::TopRight:
        return "crop-tr";
    case TtaView::Crop::BottomLeft:
        return "crop-bl";
    case TtaView::Crop::BottomRight:
        return "crop-br";
    }
    return "";
}

/// Replaces views by their product with each variant that modify makes.
template<typename Modify>
void multiply(std::vector<TtaView> &views, int variants, Modify modify)
{
    std::vector<TtaView> product;
    for (const TtaView &view : views) {
        for (int variant = 0; variant < variants; ++variant) {
            TtaView changed = view;
            modify(changed, variant);
            product.push_back(changed);
        }
    }
    views = std::move(product);
}

[[noreturn]] void invalidSpec(const QString &spec, const QString &reason)
{
    throw Error(QStringLiteral("Invalid TTA \"%1\": %2. Use a comma-separated list of none, hflip, "
                               "vflip, rot90, rot90=1,2, five-crop, ten-crop and scales=0.9,1.1.")
                    .arg(spec, reason));
}

/// Zooms at fixed size: enlarges and crops the middle (scale > 1) or shrinks
/// and pads with zeros (scale < 1).
torch::Tensor zoom(const torch::Tensor &images, double scale)
{
    const int64_t height = images.size(2);
    const int64_t width = images.size(3);
    const int64_t scaledHeight = std::max<int64_t>(1, std::llround(double(height) * scale));
    const int64_t scaledWidth = std::max<int64_t>(1, std::llround(double(width) * scale));
    const torch::Tensor resized = at::upsample_bilinear2d(images, { scaledHeight, scaledWidth }, false);
    if (scale >= 1.0) {
        const int64_t top = (scaledHeight - height) / 2;
        const int64_t left = (scaledWidth - width) / 2;
        return resized.slice(2, top, top + height).slice(3, left, left + width);
    }
    const int64_t padTop = (height - scaledHeight) / 2;
    const int64_t padLeft = (width - scaledWidth) / 2;
    return at::constant_pad_nd(resized, { padLeft, width - scaledWidth - padLeft, padTop, height - scaledHeight - padTop }, 0.0);
}

torch::Tensor cropAndResize(const torch::Tensor &images, TtaView::Crop crop)
{
    const int64_t height = images.size(2);
    const int64_t width = images.size(3);
    const int64_t cropHeight = std::max<int64_t>(1, std::llround(double(height) * kCropRatio));
    const int64_t cropWidth = std::max<int64_t>(1, std::llround(double(width) * kCropRatio));
    int64_t top = (height - cropHeight) / 2;
    int64_t left = (width - cropWidth) / 2;
    if (crop == TtaView::Crop::TopLeft || crop == TtaView::Crop::TopRight)
        top = 0;
    if (crop == TtaView::Crop::BottomLeft || crop == TtaView::Crop::BottomRight)
        top = height - cropHeight;
    if (crop == TtaView::Crop::TopLeft || crop == TtaView::Crop::BottomLeft)
        left = 0;
    if (crop == TtaView::Crop::TopRight || crop == TtaView::Crop::BottomRight)
        left = width - cropWidth;
    const torch::Tensor cropped = images.slice(2, top, top + cropHeight).slice(3, left, left + cropWidth);
    return at::upsample_bilinear2d(cropped.contiguous(), { height, width }, false);
}

torch::Tensor applyView(const torch::Tensor &images, const TtaView &view)
{
    torch::Tensor result = images;
    if (view.scale != 1.0)
        result = zoom(result, view.scale);
    if (view.crop != TtaView::Crop::Full)
        result = cropAndResize(result, view.crop);
    if (view.rotations % 4 != 0)
        result = at::rot90(result, view.rotations, { 2, 3 });
    if (view.horizontalFlip)
        result = result.flip({ 3 });
    if (view.verticalFlip)
        result = result.flip({ 2 });
    return result;
}

} // namespace

QString TtaView::name() const
{
    QStringList parts;
    if (scale != 1.0)
        parts << QStringLiteral("scale%1").arg(scale);
    if (crop != Crop::Full)
        parts << QLatin1String(cropName(crop));
    if (rotations % 4 != 0)
        parts << QStringLiteral("rot90x%1").arg(rotations % 4);
    if (horizontalFlip)
        parts << QStringLiteral("hflip");
    if (verticalFlip)
        parts << QStringLiteral("vflip");
    return parts.isEmpty() ? QStringLiteral("identity") : parts.join(QLatin1Char('+'));
}

QString mergeModeName(MergeMode mode)
{
    switch (mode) {
    case MergeMode::MeanProbabilities:
        return QStringLiteral("mean");
    case MergeMode::MeanLogits:
        return QStringLiteral("mean-logits");
    case MergeMode::GeometricMean:
        return QStringLiteral("gmean");
    case MergeMode::Max:
        return QStringLiteral("max");
    case MergeMode::TSharpen:
        return QStringLiteral("tsharpen");
    }
    return QString();
}

QString mergeModeDescription(MergeMode mode)
{
    switch (mode) {
    case MergeMode::MeanProbabilities:
        return QStringLiteral("mean of probabilities");
    case MergeMode::MeanLogits:
        return QStringLiteral("softmax of the mean logits");
    case MergeMode::GeometricMean:
        return QStringLiteral("geometric mean of probabilities");
    case MergeMode::Max:
        return QStringLiteral("maximum probability");
    case MergeMode::TSharpen:
        return QStringLiteral("mean of square-rooted probabilities (tsharpen)");
    }
    return QString();
}

std::optional<MergeMode> parseMergeMode(const QString &text)
{
    for (MergeMode mode : { MergeMode::MeanProbabilities, MergeMode::MeanLogits, MergeMode::GeometricMean,
                            MergeMode::Max, MergeMode::TSharpen }) {
        if (text.trimmed().toLower() == mergeModeName(mode))
            return mode;
    }
    return std::nullopt;
}

QStringList TtaPlan::viewNames() const
{
    QStringList names;
    for (const TtaView &view : views)
        names << view.name();
    return names;
}

QString TtaPlan::describe() const
{
    if (views.size() == 1)
        return QStringLiteral("identity only");
    return QStringLiteral("%1 views (%2); %3")
        .arg(views.size())
        .arg(spec, mergeModeDescription(merge));
}

TtaPlan TtaPlan::parse(const QString &spec, MergeMode merge)
{
    TtaPlan plan;
    plan.spec = spec.trimmed().isEmpty() ? QStringLiteral("none") : spec.trimmed();
    plan.merge = merge;

    const QStringList tokens = plan.spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    bool cropsSeen = false;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const QString token = tokens.at(i).trimmed().toLower();
        // Numbers that follow "scales=" or "rot90=" belong to that list.
        auto numbersFrom = [&](const QString &first) {
            QStringList numbers { first };
            while (i + 1 < tokens.size()) {
                bool isNumber = false;
                tokens.at(i + 1).trimmed().toDouble(&isNumber);
                if (!isNumber)
                    break;
                numbers << tokens.at(++i).trimmed();
            }
            return numbers;
        };

        if (token == QLatin1String("none") || token == QLatin1String("identity")) {
            continue;
        } else if (token == QLatin1String("hflip")) {
            multiply(plan.views, 2, [](TtaView &view, int variant) { view.horizontalFlip = variant == 1; });
        } else if (token == QLatin1String("vflip")) {
            multiply(plan.views, 2, [](TtaView &view, int variant) { view.verticalFlip = variant == 1; });
        } else if (token == QLatin1String("rot90") || token.startsWith(QLatin1String("rot90="))) {
            std::vector<int> turns { 0 };
            const QStringList listed = token == QLatin1String("rot90") ? QStringList { QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3") }
                                                                       : numbersFrom(token.mid(6));
            for (const QString &text : listed) {
                bool ok = false;
                const int k = text.toInt(&ok);
                if (!ok || k < 0 || k > 3)
                    invalidSpec(plan.spec, QStringLiteral("rot90 takes quarter turns 0 to 3, not \"%1\"").arg(text));
                if (k != 0)
                    turns.push_back(k);
            }
            multiply(plan.views, int(turns.size()), [&turns](TtaView &view, int variant) { view.rotations = turns[size_t(variant)]; });
        } else if (token == QLatin1String("five-crop") || token == QLatin1String("ten-crop")) {
            if (cropsSeen)
                invalidSpec(plan.spec, QStringLiteral("give five-crop or ten-crop once"));
            cropsSeen = true;
            const TtaView::Crop crops[] = { TtaView::Crop::Center, TtaView::Crop::TopLeft, TtaView::Crop::TopRight,
                                            TtaView::Crop::BottomLeft, TtaView::Crop::BottomRight };
            multiply(plan.views, 5, [&crops](TtaView &view, int variant) { view.crop = crops[variant]; });
            if (token == QLatin1String("ten-crop"))
                multiply(plan.views, 2, [](TtaView &view, int variant) { view.horizontalFlip = view.horizontalFlip != (variant == 1); });
        } else if (token.startsWith(QLatin1String("scales="))) {
            std::vector<double> scales { 1.0 };
            for (const QString &text : numbersFrom(token.mid(7))) {
                bool ok = false;
                const double scale = text.toDouble(&ok);
                if (!ok || scale < 0.25 || scale > 4.0)
                    invalidSpec(plan.spec, QStringLiteral("scales must be numbers from 0.25 to 4, not \"%1\"").arg(text));
                if (std::abs(scale - 1.0) > 1e-9)
                    scales.push_back(scale);
            }
            multiply(plan.views, int(scales.size()), [&scales](TtaView &view, int variant) { view.scale = scales[size_t(variant)]; });
        } else {
            invalidSpec(plan.spec, QStringLiteral("unknown transform \"%1\"").arg(tokens.at(i).trimmed()));
        }
    }
    if (plan.views.size() > 256)
        invalidSpec(plan.spec, QStringLiteral("%1 views per image is more than 256").arg(plan.views.size()));
    return plan;
}

torch::Tensor expandViews(const torch::Tensor &images, const TtaPlan &plan)
{
    if (plan.views.size() == 1 && plan.views.front().name() == QLatin1String("identity"))
        return images;
    const bool rotates = std::any_of(plan.views.begin(), plan.views.end(), [](const TtaView &view) { return view.rotations % 2 != 0; });
    if (rotates && images.size(2) != images.size(3)) {
        throw Error(QStringLiteral("TTA with odd quarter turns needs square inputs, but the "
                                   "preprocessing gives %1x%2. Choose a square crop or drop rot90.")
                        .arg(images.size(3))
                        .arg(images.size(2)));
    }
    std::vector<torch::Tensor> views;
    for (const TtaView &view : plan.views)
        views.push_back(applyView(images, view));
    const torch::Tensor stacked = torch::stack(views, /*dim=*/1);
    return stacked.reshape({ images.size(0) * int64_t(views.size()), images.size(1), images.size(2), images.size(3) });
}

torch::Tensor viewProbabilities(const torch::Tensor &logits)
{
    return logits.to(torch::kFloat32).softmax(/*dim=*/1);
}

torch::Tensor mergeViews(const torch::Tensor &logits, int views, MergeMode mode)
{
    const int64_t classes = logits.size(1);
    const torch::Tensor floatLogits = logits.to(torch::kFloat32).view({ -1, views, classes });
    const torch::Tensor probabilities = floatLogits.softmax(/*dim=*/2);
    auto normalized = [](const torch::Tensor &scores) { return scores / scores.sum(/*dim=*/1, /*keepdim=*/true); };
    switch (mode) {
    case MergeMode::MeanProbabilities:
        break;
    case MergeMode::MeanLogits:
        return floatLogits.mean(/*dim=*/1).softmax(/*dim=*/1);
    case MergeMode::GeometricMean:
        // Log of probabilities, never of logits, which may be negative.
        return normalized(probabilities.clamp_min(1e-30).log().mean(/*dim=*/1).exp());
    case MergeMode::Max:
        return normalized(std::get<0>(probabilities.max(/*dim=*/1)));
    case MergeMode::TSharpen:
        return normalized(probabilities.sqrt().mean(/*dim=*/1));
    }
    return probabilities.mean(/*dim=*/1);
}

} // namespace halfscope
