"""EarthLoc (Berton et al., CVPR 2024): ResNet-50 cut after layer3 + MixVPR + a 4096x4096 linear
layer, 4096-d, 320 x 320 px input; from the published checkpoint (github.com/gmberton/EarthLoc,
`best_trained_model.pt`), whose keys are backbone.model.{conv1, bn1, layer1..layer3}.*,
aggregator.{mix.N.mix.*, channel_proj, row_proj}.*, fc.*. docs/models.md.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from .checkpoint import CheckpointModel, load_into
from .mixvpr import MixVPR
from .resnet import ResNetTrunk

#: the published configuration (EarthLoc's APLModel defaults)
IMAGE_SIZE = 320
DESCRIPTOR_DIM = 4096
MIX_DEPTH = 4
OUT_ROWS = 4


class _Backbone(nn.Module):
    """EarthLoc keeps torchvision's ResNet as `backbone.model`."""

    def __init__(self):
        super().__init__()
        self.model = ResNetTrunk(stages=3)


class EarthLocNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = _Backbone()
        side = IMAGE_SIZE // 16  # layer3's stride
        self.aggregator = MixVPR(
            self.backbone.model.out_channels, side, side, DESCRIPTOR_DIM // OUT_ROWS, MIX_DEPTH, OUT_ROWS
        )
        self.fc = nn.Linear(DESCRIPTOR_DIM, DESCRIPTOR_DIM)

    def forward(self, x):
        return F.normalize(self.fc(self.aggregator(self.backbone.model(x))), dim=-1)


def build_earthloc(sd: dict[str, torch.Tensor], path: str = "checkpoint", hint: str = "") -> EarthLocNet:
    with torch.device("meta"):
        net = EarthLocNet()
    optional = [k for k in net.state_dict() if k.endswith("num_batches_tracked")]
    load_into(net, sd, path, "EarthLoc", hint, optional)
    return net


class EarthLoc(CheckpointModel):
    name = "earthloc"
    arch = "EarthLoc"
    input_size = IMAGE_SIZE

    @property
    def descriptor_dim(self) -> int:
        return DESCRIPTOR_DIM

    def build(self, sd):
        return build_earthloc(sd, self.weights, self.hint)
