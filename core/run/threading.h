// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace halfscope {

/// Returns LibTorch's intra-op thread count (threads one operator may use).
int intraOpThreadCount();

/// Sets LibTorch's intra-op thread count for the whole process.
void setIntraOpThreadCount(int threads);

} // namespace halfscope
