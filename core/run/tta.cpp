// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/augmentation.h"
#include "run/tta.h"

namespace halfscope {

int viewCount(TtaMode mode)
{
    return mode == TtaMode::HorizontalFlip ? 2 : 1;
}

QString ttaName(TtaMode mode)
{
    return mode == TtaMode::HorizontalFlip ? QStringLiteral("hflip") : QStringLiteral("none");
}

QString ttaDescription(TtaMode mode)
{
    return mode == TtaMode::HorizontalFlip ? QStringLiteral("identity + horizontal flip")
                                           : QStringLiteral("identity only");
}

std::optional<TtaMode> parseTtaMode(const QString &text)
{
    const QString key = text.trimmed().toLower();
    if (key == QLatin1String("none"))
        return TtaMode::None;
    if (key == QLatin1String("hflip"))
        return TtaMode::HorizontalFlip;
    return std::nullopt;
}

torch::Tensor expandViews(const torch::Tensor &images, TtaMode mode)
{
    if (mode == TtaMode::None)
        return images;
    // Width is the last dimension, so flipping dim 3 mirrors left and right.
    const torch::Tensor views = torch::stack({ images, images.flip({ 3 }) }, /*dim=*/1);
    return views.reshape({ images.size(0) * 2, images.size(1), images.size(2), images.size(3) });
}

torch::Tensor mergeViewProbabilities(const torch::Tensor &logits, int views)
{
    const torch::Tensor probabilities = logits.to(torch::kFloat32).softmax(/*dim=*/1);
    return probabilities.view({ -1, views, logits.size(1) }).mean(/*dim=*/1);
}

} // namespace halfscope
