// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/memoryformat.h"

namespace halfscope {

QString memoryFormatName(MemoryFormat format)
{
    return format == MemoryFormat::ChannelsLast ? QStringLiteral("channels_last")
                                                : QStringLiteral("contiguous");
}

QString memoryFormatLabel(MemoryFormat format)
{
    return format == MemoryFormat::ChannelsLast ? QStringLiteral("Channels last (NHWC)")
                                                : QStringLiteral("Contiguous (NCHW)");
}

std::optional<MemoryFormat> parseMemoryFormat(const QString &text)
{
    const QString name = text.trimmed().toLower();
    if (name == QLatin1String("channels_last") || name == QLatin1String("channels-last")
        || name == QLatin1String("nhwc")) {
        return MemoryFormat::ChannelsLast;
    }
    if (name == QLatin1String("contiguous") || name == QLatin1String("nchw"))
        return MemoryFormat::Contiguous;
    return std::nullopt;
}

} // namespace halfscope
