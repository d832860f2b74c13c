"""MixVPR aggregation (Ali-bey et al., WACV 2023) in plain torch, parameter names as published:
mix.N.mix.{0: LayerNorm, 1: Linear, 3: Linear} (feature mixers over the flattened map),
channel_proj, row_proj.
"""

from __future__ import annotations

from torch import nn
from torch.nn import functional as F


class FeatureMixer(nn.Module):
    """A residual MLP over the spatial positions of each channel."""

    def __init__(self, hw: int, ratio: float = 1.0):
        super().__init__()
        hidden = int(hw * ratio)
        self.mix = nn.Sequential(nn.LayerNorm(hw), nn.Linear(hw, hidden), nn.ReLU(), nn.Linear(hidden, hw))

    def forward(self, x):
        return x + self.mix(x)


class MixVPR(nn.Module):
    """(B, C, H, W) feature map -> (B, out_channels * out_rows), L2-normalised."""

    def __init__(self, channels: int, h: int, w: int, out_channels: int, depth: int, out_rows: int):
        super().__init__()
        self.hw = h * w
        self.mix = nn.Sequential(*(FeatureMixer(self.hw) for _ in range(depth)))
        self.channel_proj = nn.Linear(channels, out_channels)
        self.row_proj = nn.Linear(self.hw, out_rows)

    def forward(self, x):
        x = self.mix(x.flatten(2))  # (B, C, HW)
        x = self.channel_proj(x.transpose(1, 2))  # (B, HW, out_channels)
        x = self.row_proj(x.transpose(1, 2))  # (B, out_channels, out_rows)
        return F.normalize(x.flatten(1), dim=1)
