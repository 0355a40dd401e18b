# SPDX-License-Identifier: GPL-3.0-or-later
"""A researcher's evaluation loop, the baseline that halfscope-cli compare is measured against.

It does the work of "halfscope-cli compare --tta hflip", written the usual
way in Python. It loads the model with torch.jit.load and preprocesses with
Pillow (resize, center crop, normalize) as halfscope.preprocess.json in the
model specifies. Each batch gets a horizontal-flip view per image and runs
through the float32 model and a converted copy (model.half() or
model.bfloat16()). Softmax runs on float32 logits, and the views merge as
their mean. Decoding runs in the main thread, as in a plain loop. With
--channels-last the batches are laid out channels-last (NHWC) before the
forward calls, as halfscope-cli does by default; without it they stay
contiguous (NCHW), as most evaluation loops leave them.

Prints one JSON object: images, wall seconds, forward-call seconds and the
top-1 agreement.

Usage: python bench/reference_eval.py MODEL IMAGE_FOLDER [--batch 8]
       [--threads N] [--dtype fp16|bf16] [--channels-last]
"""
import argparse
import copy
import json
import pathlib
import time
import warnings

import numpy
import torch
from PIL import Image


def load_preset(path: str) -> dict:
    extra = {"halfscope.preprocess.json": ""}
    torch.jit.load(path, map_location="cpu", _extra_files=extra)
    return json.loads(extra["halfscope.preprocess.json"])


def preprocess(path: pathlib.Path, preset: dict) -> torch.Tensor:
    image = Image.open(path).convert("RGB")
    if preset["resize_mode"] == "squash":
        image = image.resize((preset["width"], preset["height"]), Image.BILINEAR)
    else:
        scale = preset["shorter_side"] / min(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.BILINEAR)
    if preset["crop_width"] > 0:
        left = (image.width - preset["crop_width"]) // 2
        top = (image.height - preset["crop_height"]) // 2
        image = image.crop((left, top, left + preset["crop_width"], top + preset["crop_height"]))
    array = numpy.asarray(image, dtype=numpy.float32) / 255.0
    array = (array - numpy.array(preset["mean"], numpy.float32)) / numpy.array(preset["std"], numpy.float32)
    return torch.from_numpy(array).permute(2, 0, 1).contiguous()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("images")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--dtype", choices=["fp16", "bf16"], default="fp16")
    parser.add_argument("--channels-last", action="store_true")
    arguments = parser.parse_args()
    memory_format = torch.channels_last if arguments.channels_last else torch.contiguous_format
    if arguments.threads > 0:
        torch.set_num_threads(arguments.threads)

    preset = load_preset(arguments.model)
    reference = torch.jit.load(arguments.model, map_location="cpu").eval()
    dtype = torch.float16 if arguments.dtype == "fp16" else torch.bfloat16
    # Casting a scripted module reads each parameter's .grad, which warns.
    warnings.filterwarnings("ignore", message="The .grad attribute")
    converted = copy.deepcopy(reference).to(dtype).eval()
    paths = sorted(p for p in pathlib.Path(arguments.images).rglob("*") if p.suffix.lower() in {".jpg", ".jpeg", ".png"})

    forward_seconds = 0.0
    agreements = 0
    start = time.perf_counter()
    with torch.inference_mode():
        for begin in range(0, len(paths), arguments.batch):
            inputs = torch.stack([preprocess(p, preset) for p in paths[begin:begin + arguments.batch]])
            views = torch.stack([inputs, inputs.flip(-1)], dim=1).flatten(0, 1)  # image-major
            views = views.contiguous(memory_format=memory_format)
            forward_start = time.perf_counter()
            reference_logits = reference(views).float()
            converted_logits = converted(views.to(dtype).contiguous(memory_format=memory_format)).float()
            forward_seconds += time.perf_counter() - forward_start
            reference_probabilities = reference_logits.softmax(1).view(len(inputs), 2, -1).mean(1)
            converted_probabilities = converted_logits.softmax(1).view(len(inputs), 2, -1).mean(1)
            agreements += int((reference_probabilities.argmax(1) == converted_probabilities.argmax(1)).sum())
    wall_seconds = time.perf_counter() - start
    print(json.dumps({"images": len(paths), "wall_seconds": wall_seconds, "forward_seconds": forward_seconds,
                      "images_per_second": len(paths) / wall_seconds, "top1_agreements": agreements,
                      "threads": torch.get_num_threads(), "channels_last": arguments.channels_last,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
