// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/threading.h"

#include <ATen/Parallel.h>

namespace halfscope {

int intraOpThreadCount()
{
    return at::get_num_threads();
}

void setIntraOpThreadCount(int threads)
{
    at::set_num_threads(threads);
}

} // namespace halfscope
