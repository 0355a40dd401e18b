// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <torch/script.h>

namespace halfscope::test {

/// Saves to path a TorchScript model whose forward() raises on channels-last
/// input: the convolution's output follows the input's NHWC strides, and
/// view() needs NCHW ones. On contiguous input it returns [N, 10] float32.
inline void saveViewAfterConvolutionModel(const QString &path)
{
    torch::jit::Module flattening("Flattening");
    flattening.register_parameter("weight", torch::full({ 2, 3, 3, 3 }, 0.1), false);
    flattening.define(R"(
def forward(self, x):
    y = torch.conv2d(x, self.weight)
    return y.view(y.size(0), -1)[:, 0:10]
)");
    flattening.save(path.toStdString());
}

} // namespace halfscope::test
