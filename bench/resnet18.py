# SPDX-License-Identifier: GPL-3.0-or-later
"""Write a ResNet-18 (He et al., 2015, the torchvision layout) as a TorchScript archive.

torchvision is not used because its PyPI wheel needs a CUDA build of torch.
The weights are random (fixed seed): the benchmark measures speed, not
accuracy. The archive stores HalfScope's ImageNet preprocessing and the demo
model's 1000 ImageNet class names as extra files.

Usage: python bench/resnet18.py OUT.pt
"""
import json
import pathlib
import sys

import torch
from torch import nn


class BasicBlock(nn.Module):
    def __init__(self, inputs: int, outputs: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, outputs, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(outputs)
        self.conv2 = nn.Conv2d(outputs, outputs, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(outputs)
        self.downsample = nn.Sequential()
        if stride != 1 or inputs != outputs:
            self.downsample = nn.Sequential(nn.Conv2d(inputs, outputs, 1, stride, bias=False), nn.BatchNorm2d(outputs))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + self.downsample(x))


class ResNet18(nn.Module):
    def __init__(self, classes: int = 1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        widths = [(64, 64, 1), (64, 128, 2), (128, 256, 2), (256, 512, 2)]
        self.layers = nn.Sequential(*[nn.Sequential(BasicBlock(i, o, s), BasicBlock(o, o, 1)) for i, o, s in widths])
        self.fc = nn.Linear(512, classes)

    def forward(self, x):
        x = self.maxpool(torch.relu(self.bn1(self.conv1(x))))
        x = self.layers(x)
        return self.fc(torch.flatten(x.mean(dim=(2, 3)), 1))


IMAGENET = {
    "format": "halfscope.preprocess", "version": 1, "name": "imagenet", "resize_mode": "shorter_side",
    "width": 224, "height": 224, "shorter_side": 256, "crop_width": 224, "crop_height": 224,
    "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
}


def main() -> None:
    torch.manual_seed(18)
    model = ResNet18().eval()
    # Random BatchNorm statistics keep activations in a realistic range.
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
    labels = pathlib.Path(__file__).resolve().parent.parent / "resources/demo/tinydarknet_labels.txt"
    extra = {"halfscope.preprocess.json": json.dumps(IMAGENET, indent=2), "halfscope.labels.txt": labels.read_text()}
    torch.jit.save(torch.jit.script(model), sys.argv[1], _extra_files=extra)


if __name__ == "__main__":
    main()
