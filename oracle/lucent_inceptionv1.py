"""InceptionV1 as Lucid's `inception5h` graph and Lucent's PyTorch port lay it out, written for
Loupe's golden tests (Lucent itself is not installed here).

Reconstructed from the published description (Szegedy et al. 2014, Table 1; Lucid's model zoo
layer list) and Lucent's naming:

- parameters are named `<layer>_pre_relu_conv.weight/.bias` and
  `softmax2_pre_activation_matmul.weight/.bias`, as in Lucent's state dict;
- every convolution is a 'valid' convolution after an explicit zero `F.pad`: 7x7/2 stem padded
  (2, 3, 2, 3) (TensorFlow SAME for an even input), 3x3 padded 1, 5x5 padded 2;
- max pools are 3x3 'valid' after padding with -inf: (0, 1, 0, 1) for the stride-2 pools,
  1 on every side for the stride-1 pool inside each mixed block;
- local response normalisation after conv2d0's pool and after conv2d2, as
  `F.local_response_norm(x, size=9, alpha=9.99999974738e-05, beta=0.5, k=1)`;
- no batch norm; ReLU after every convolution; the mixed block output is the concatenation
  [1x1, 3x3, 5x5, pool_reduce];
- inception5h's channel counts differ from the paper's Table 1 in mixed4a's 3x3 branch (204, not
  208), so mixed4a has 508 channels; the counts below are inception5h's;
- head: 7x7 average pool, flatten, linear to 1008 classes (`softmax2_pre_activation_matmul`);
  the model returns these logits (Lucent returns their softmax, `softmax2`).

Module attribute names follow Lucent's, so forward hooks on e.g. `mixed4a`, `mixed4a_3x3`,
`mixed4a_3x3_pre_relu_conv` see what Lucent's hooks see.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

LRN = dict(size=9, alpha=9.99999974738e-05, beta=0.5, k=1.0)

# name: (1x1, 3x3 bottleneck, 3x3, 5x5 bottleneck, 5x5, pool_reduce)
MIXED = [
    ("mixed3a", (64, 96, 128, 16, 32, 32)),
    ("mixed3b", (128, 128, 192, 32, 96, 64)),
    ("mixed4a", (192, 96, 204, 16, 48, 64)),
    ("mixed4b", (160, 112, 224, 24, 64, 64)),
    ("mixed4c", (128, 128, 256, 24, 64, 64)),
    ("mixed4d", (112, 144, 288, 32, 64, 64)),
    ("mixed4e", (256, 160, 320, 32, 128, 128)),
    ("mixed5a", (256, 160, 320, 48, 128, 128)),
    ("mixed5b", (384, 192, 384, 48, 128, 128)),
]
# stride-2 pools before these blocks (Lucent's names)
POOL_BEFORE = {"mixed4a": "maxpool4", "mixed5a": "maxpool10"}


class Identity(nn.Module):
    """A named place for forward hooks (the pools, LRNs and concatenations of Lucent's graph)."""

    def forward(self, x):
        return x


class InceptionV1Lucent(nn.Module):
    def __init__(self, num_classes=1008):
        super().__init__()

        def conv(name, cin, cout, k, stride=1):
            setattr(self, name + "_pre_relu_conv", nn.Conv2d(cin, cout, k, stride))
            setattr(self, name, nn.ReLU())

        conv("conv2d0", 3, 64, 7, 2)
        conv("conv2d1", 64, 64, 1)
        conv("conv2d2", 64, 192, 3)
        for n in ("maxpool0", "localresponsenorm0", "localresponsenorm1", "maxpool1", "maxpool4", "maxpool10", "avgpool0"):
            setattr(self, n, Identity())
        cin = 192
        for name, (c1, c3r, c3, c5r, c5, cp) in MIXED:
            conv(name + "_1x1", cin, c1, 1)
            conv(name + "_3x3_bottleneck", cin, c3r, 1)
            conv(name + "_5x5_bottleneck", cin, c5r, 1)
            conv(name + "_pool_reduce", cin, cp, 1)
            conv(name + "_3x3", c3r, c3, 3)
            conv(name + "_5x5", c5r, c5, 5)
            setattr(self, name + "_pool", Identity())
            setattr(self, name, Identity())
            cin = c1 + c3 + c5 + cp
        self.softmax2_pre_activation_matmul = nn.Linear(cin, num_classes)

    def _conv(self, name, x, pad=None):
        if pad is not None:
            x = F.pad(x, pad)
        return getattr(self, name)(getattr(self, name + "_pre_relu_conv")(x))

    @staticmethod
    def _maxpool(x, stride):
        if stride == 2:
            return F.max_pool2d(F.pad(x, (0, 1, 0, 1), value=float("-inf")), 3, 2)
        return F.max_pool2d(F.pad(x, (1, 1, 1, 1), value=float("-inf")), 3, 1)

    def forward(self, x, stop_after=None):
        """The logits; with stop_after (a mixed block's name), that block's output: nothing after it runs."""
        x = self._conv("conv2d0", x, (2, 3, 2, 3))
        x = self.maxpool0(self._maxpool(x, 2))
        x = self.localresponsenorm0(F.local_response_norm(x, **LRN))
        x = self._conv("conv2d1", x)
        x = self._conv("conv2d2", x, (1, 1, 1, 1))
        x = self.localresponsenorm1(F.local_response_norm(x, **LRN))
        x = self.maxpool1(self._maxpool(x, 2))
        for name, _ in MIXED:
            if name in POOL_BEFORE:
                x = getattr(self, POOL_BEFORE[name])(self._maxpool(x, 2))
            b1 = self._conv(name + "_1x1", x)
            b3 = self._conv(name + "_3x3", self._conv(name + "_3x3_bottleneck", x), (1, 1, 1, 1))
            b5 = self._conv(name + "_5x5", self._conv(name + "_5x5_bottleneck", x), (2, 2, 2, 2))
            bp = self._conv(name + "_pool_reduce", getattr(self, name + "_pool")(self._maxpool(x, 1)))
            x = getattr(self, name)(torch.cat([b1, b3, b5, bp], 1))
            if name == stop_after:
                return x
        x = self.avgpool0(F.avg_pool2d(x, 7, 1))
        return self.softmax2_pre_activation_matmul(torch.flatten(x, 1))
