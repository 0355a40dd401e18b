// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace halfscope {

/// Memory layout of the [N, 3, H, W] input batches fed to both models.
///
/// Convolutions follow the layout of their input, so a channels-last input
/// makes the whole network run channels-last. On CPUs without native half
/// precision, LibTorch's float16 and bfloat16 convolutions are several
/// times faster channels-last (measured in docs/benchmarks.md).
enum class MemoryFormat {
    ChannelsLast, ///< NHWC strides, PyTorch's torch.channels_last.
    Contiguous,   ///< NCHW strides, PyTorch's torch.contiguous_format.
};

/// Returns the name used in reports and on the command line:
/// "channels_last" or "contiguous".
QString memoryFormatName(MemoryFormat format);

/// Returns the label shown in the window: "Channels last (NHWC)" or
/// "Contiguous (NCHW)".
QString memoryFormatLabel(MemoryFormat format);

/// Parses "channels_last", "channels-last", "nhwc", "contiguous" or "nchw"
/// (any case); returns nothing for other text.
std::optional<MemoryFormat> parseMemoryFormat(const QString &text);

} // namespace halfscope
