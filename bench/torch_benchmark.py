# SPDX-License-Identifier: GPL-3.0-or-later
"""Median forward-call time of a TorchScript model from torch.utils.benchmark.

The input is a batch of uniform random values in 0..1 of the model's
preprocessing size, as "halfscope-cli bench" uses without --images, laid
out channels-last with --channels-last (halfscope-cli's default).
Prints one JSON object with the median and the p10 and p90 in milliseconds.

Usage: python bench/torch_benchmark.py MODEL [--batch 8] [--threads N] [--dtype fp32|fp16|bf16]
       [--channels-last] [--min-run-time SECONDS]
"""
import argparse
import json

import torch
import torch.utils.benchmark as benchmark


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--dtype", choices=["fp32", "fp16", "bf16"], default="fp32")
    parser.add_argument("--min-run-time", type=float, default=5.0)
    parser.add_argument("--channels-last", action="store_true")
    arguments = parser.parse_args()
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[arguments.dtype]

    extra = {"halfscope.preprocess.json": ""}
    model = torch.jit.load(arguments.model, map_location="cpu", _extra_files=extra).eval().to(dtype)
    preset = json.loads(extra["halfscope.preprocess.json"])
    width = preset["crop_width"] or preset["width"]
    height = preset["crop_height"] or preset["height"]
    x = torch.rand(arguments.batch, 3, height, width).to(dtype)
    if arguments.channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    with torch.inference_mode():
        for _ in range(3):
            model(x)
        timer = benchmark.Timer(stmt="model(x)", globals={"model": model, "x": x}, num_threads=arguments.threads)
        measurement = timer.blocked_autorange(min_run_time=arguments.min_run_time)
    times = sorted(measurement.times)
    print(json.dumps({"median_ms": measurement.median * 1000.0,
                      "p10_ms": times[int(0.1 * (len(times) - 1))] * 1000.0,
                      "p90_ms": times[int(0.9 * (len(times) - 1))] * 1000.0,
                      "blocks": len(times), "threads": arguments.threads}))


if __name__ == "__main__":
    main()
