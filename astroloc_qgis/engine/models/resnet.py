"""A ResNet-50 trunk in plain torch (no torchvision), with torchvision's parameter names so a
torchvision-layout state dict loads 1:1: conv1, bn1, layerN.M.{conv1, bn1, conv2, bn2, conv3, bn3,
downsample.0, downsample.1}. The stride sits on the 3x3 convolution ("ResNet v1.5", as torchvision).
"""

from __future__ import annotations

from torch import nn

#: blocks per stage of ResNet-50 (He et al. 2016, table 1)
RESNET50_BLOCKS = (3, 4, 6, 3)
EXPANSION = 4


class Bottleneck(nn.Module):
    def __init__(self, cin: int, width: int, stride: int):
        super().__init__()
        cout = width * EXPANSION
        self.conv1 = nn.Conv2d(cin, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = (
            nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
            if stride != 1 or cin != cout
            else None
        )

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNetTrunk(nn.Module):
    """Stem and the first `stages` stages of ResNet-50: 3 stages -> 1,024 channels at stride 16."""

    def __init__(self, stages: int = 3):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        cin = 64
        for i in range(stages):
            width = 64 * 2**i
            blocks = [Bottleneck(cin, width, 1 if i == 0 else 2)]
            blocks += [Bottleneck(width * EXPANSION, width, 1) for _ in range(RESNET50_BLOCKS[i] - 1)]
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
            cin = width * EXPANSION
        self.stages = stages
        self.out_channels = cin

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for i in range(self.stages):
            x = getattr(self, f"layer{i + 1}")(x)
        return x
