#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build the demo TorchScript model from Tiny Darknet's TensorFlow.js weights.

The input folder is a TensorFlow.js layers model (model.json plus weight
shards), as published in ml5js/ml5-data-and-models under
models/darknetclassifier/darknettiny. The layer list is read from model.json,
so the network built here is exactly the one that file describes.

Usage:
    python make_tinydarknet.py TFJS_FOLDER LABELS_TXT OUTPUT.pt

The output is an fp32 TorchScript archive with two extra files that HalfScope
reads when it opens the model: the class names (halfscope.labels.txt) and the
preprocessing the network expects (halfscope.preprocess.json).
"""

import json
import sys
from pathlib import Path

import torch
from torch import nn


class ConvBnLeaky(nn.Module):
    """Conv2d without bias, BatchNorm and LeakyReLU, as one Darknet layer."""

    def __init__(self, in_channels: int, out_channels: int, kernel: int,
                 eps: float, slope: float):
        super().__init__()
        # Keras "same" padding with stride 1 and an odd kernel pads kernel // 2
        # on every side.
        self.conv = nn.Conv2d(in_channels, out_channels, kernel,
                              padding=kernel // 2, bias=False)
        self.bn = nn.BatchNorm2d(out_channels, eps=eps)
        self.act = nn.LeakyReLU(slope)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.bn(self.conv(x)))


class TinyDarknet(nn.Module):
    """Darknet's "tiny" ImageNet classifier: [N, 3, 224, 224] -> [N, 1000] logits."""

    def __init__(self, features: nn.Sequential, classifier: nn.Conv2d):
        super().__init__()
        self.features = features
        self.classifier = classifier

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.classifier(self.features(x))
        return x.mean(dim=(2, 3))


def read_weights(folder: Path, manifest: list) -> dict:
    """Return every weight in the manifest as a float32 tensor, keyed by name."""
    weights = {}
    for group in manifest:
        data = b"".join((folder / path).read_bytes() for path in group["paths"])
        offset = 0
        for entry in group["weights"]:
            if entry["dtype"] != "float32":
                raise ValueError(f"{entry['name']}: unsupported dtype {entry['dtype']}")
            count = 1
            for dim in entry["shape"]:
                count *= dim
            chunk = data[offset:offset + 4 * count]
            if len(chunk) != 4 * count:
                raise ValueError(f"{entry['name']}: shard {group['paths']} is too short")
            tensor = torch.frombuffer(bytearray(chunk), dtype=torch.float32)
            weights[entry["name"]] = tensor.reshape(entry["shape"]).clone()
            offset += 4 * count
    return weights


def keras_kernel(tensor: torch.Tensor) -> torch.Tensor:
    """Reorder a Keras kernel [kh, kw, in, out] into PyTorch's [out, in, kh, kw]."""
    return tensor.permute(3, 2, 0, 1).contiguous()


def build_model(topology: dict, weights: dict) -> TinyDarknet:
    layers = topology["model_config"]["config"]["layers"]
    modules = []
    channels = 3
    classifier = None
    index = 0
    while index < len(layers):
        kind = layers[index]["class_name"]
        config = layers[index]["config"]
        if kind == "InputLayer":
            index += 1
        elif kind == "Conv2D" and config["use_bias"]:
            if config["kernel_size"] != [1, 1] or config["strides"] != [1, 1]:
                raise ValueError(f"{config['name']}: expected a 1x1 classifier convolution")
            classifier = nn.Conv2d(channels, config["filters"], 1)
            classifier.weight.data = keras_kernel(weights[config["name"] + "/kernel"])
            classifier.bias.data = weights[config["name"] + "/bias"]
            channels = config["filters"]
            index += 1
        elif kind == "Conv2D":
            bn_layer = layers[index + 1]
            act_layer = layers[index + 2]
            if bn_layer["class_name"] != "BatchNormalization" or act_layer["class_name"] != "LeakyReLU":
                raise ValueError(f"{config['name']}: expected Conv2D, BatchNormalization, LeakyReLU")
            if config["strides"] != [1, 1] or config["padding"] != "same":
                raise ValueError(f"{config['name']}: expected stride 1 and same padding")
            kernel = config["kernel_size"][0]
            block = ConvBnLeaky(channels, config["filters"], kernel,
                                bn_layer["config"]["epsilon"], act_layer["config"]["alpha"])
            block.conv.weight.data = keras_kernel(weights[config["name"] + "/kernel"])
            bn_name = bn_layer["config"]["name"]
            block.bn.weight.data = weights[bn_name + "/gamma"]
            block.bn.bias.data = weights[bn_name + "/beta"]
            block.bn.running_mean.data = weights[bn_name + "/moving_mean"]
            block.bn.running_var.data = weights[bn_name + "/moving_variance"]
            modules.append(block)
            channels = config["filters"]
            index += 3
        elif kind == "MaxPooling2D":
            if config["pool_size"] != [2, 2] or config["strides"] != [2, 2]:
                raise ValueError(f"{config['name']}: expected 2x2 pooling with stride 2")
            # ceil_mode pads at the bottom and right like Keras "same" does
            # when a size is odd.
            modules.append(nn.MaxPool2d(2, 2, ceil_mode=True))
            index += 1
        elif kind == "GlobalAveragePooling2D":
            index += 1
        else:
            raise ValueError(f"{config['name']}: unsupported layer type {kind}")
    if classifier is None:
        raise ValueError("model.json has no final convolution with bias")
    return TinyDarknet(nn.Sequential(*modules), classifier).eval()


PREPROCESS = {
    "format": "halfscope.preprocess",
    "version": 1,
    "name": "squash224",
    "resize_mode": "squash",
    "width": 224,
    "height": 224,
    "crop_width": 0,
    "crop_height": 0,
    "mean": [0.0, 0.0, 0.0],
    "std": [1.0, 1.0, 1.0],
}


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    folder, labels_path, output = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    manifest = json.loads((folder / "model.json").read_text())
    weights = read_weights(folder, manifest["weightsManifest"])
    model = build_model(manifest["modelTopology"], weights)
    labels = labels_path.read_text()
    if len(labels.splitlines()) != model.classifier.out_channels:
        raise ValueError(f"{labels_path}: expected {model.classifier.out_channels} class names")

    scripted = torch.jit.script(model)
    extra = {
        "halfscope.labels.txt": labels,
        "halfscope.preprocess.json": json.dumps(PREPROCESS, indent=2),
    }
    temporary = output.with_suffix(output.suffix + ".tmp")
    torch.jit.save(scripted, str(temporary), _extra_files=extra)
    temporary.replace(output)
    count = sum(p.numel() for p in model.parameters())
    print(f"wrote {output}: {count} parameters, {len(modules_of(model))} layers")
    return 0


def modules_of(model: nn.Module) -> list:
    return [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.MaxPool2d))]


if __name__ == "__main__":
    sys.exit(main())
