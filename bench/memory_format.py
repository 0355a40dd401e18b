# SPDX-License-Identifier: GPL-3.0-or-later
"""Forward-call time of a TorchScript model with contiguous and channels-last inputs.

Times model(x) in float32, float16 and bfloat16 for an input batch laid out
contiguous (NCHW) and channels-last (NHWC), alternating the two layouts so
that drift in the machine's speed affects both. The parameters keep their
layout, as in halfscope-cli. Prints one JSON line per dtype with the median
milliseconds per call of each layout and their ratio.

Usage: python bench/memory_format.py MODEL [--batch 16] [--threads 2] [--calls 3]
"""
import argparse
import copy
import json
import statistics
import time
import warnings

import torch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--calls", type=int, default=3)
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    # Casting a scripted module reads each parameter's .grad, which warns.
    warnings.filterwarnings("ignore", message="The .grad attribute")
    reference = torch.jit.load(arguments.model, map_location="cpu").eval()
    x = torch.rand(arguments.batch, 3, 224, 224)
    for dtype in (torch.float32, torch.float16, torch.bfloat16):
        model = copy.deepcopy(reference).to(dtype)
        inputs = {"contiguous": x.to(dtype).contiguous(),
                  "channels_last": x.to(dtype).contiguous(memory_format=torch.channels_last)}
        times = {name: [] for name in inputs}
        with torch.inference_mode():
            for batch in inputs.values():
                model(batch)
            for _ in range(arguments.calls):
                for name, batch in inputs.items():
                    start = time.perf_counter()
                    model(batch)
                    times[name].append((time.perf_counter() - start) * 1000.0)
        medians = {name: statistics.median(samples) for name, samples in times.items()}
        print(json.dumps({"dtype": str(dtype).removeprefix("torch."), "batch": arguments.batch,
                          "threads": arguments.threads, "contiguous_ms": round(medians["contiguous"], 1),
                          "channels_last_ms": round(medians["channels_last"], 1),
                          "speedup": round(medians["contiguous"] / medians["channels_last"], 2)}))


if __name__ == "__main__":
    main()
