"""Writes the models of the partial-pass benchmark (run_partial.sh), with the seeded weights of Loupe's
golden tests (oracle/zoo_cnn.py): ResNet-50 (torchvision) and InceptionV1 in Lucent's layout as
safetensors (for Loupe's hooked architectures), and as TorchScript traces (run by DJL's own libtorch):
- resnet50_until_layer2.pt: conv1 .. layer2, input [N, 3, 224, 224], output layer2 [N, 512, 28, 28];
- resnet50_from_layer3.pt: layer4, avgpool, flatten, fc, input layer3's activation [N, 1024, 14, 14];
- inceptionv1_until_mixed4a.pt: conv2d0 .. mixed4a, input [N, 3, 224, 224], output [N, 508, 14, 14].
Each trace is checked against the eager model's intermediate (recorded by a forward hook in a full
pass) at a batch size other than the one traced with, within 1e-5 relative to the activation's scale.
usage: /usr/bin/python3 make_partial_models.py OUTDIR"""
import os
import sys

import torch
import torch.nn as nn

ORACLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracle")
sys.path.insert(0, ORACLE)
import zoo_cnn  # noqa: E402
from lucent_inceptionv1 import InceptionV1Lucent  # noqa: E402


class UntilMixed(nn.Module):
    """InceptionV1 from the input up to a mixed block's output."""

    def __init__(self, model, stop_after):
        super().__init__()
        self.model = model
        self.stop_after = stop_after

    def forward(self, x):
        return self.model(x, stop_after=self.stop_after)


def intermediate(model, module, x):
    """The output of `module` in a full eager pass of `model` on `x`, and the model's output."""
    seen = {}
    handle = module.register_forward_hook(lambda mod, inp, out: seen.setdefault("out", out.clone()))
    with torch.no_grad():
        logits = model(x)
    handle.remove()
    return seen["out"], logits


def trace(module, example, path, inp, expected):
    """Traces `module` as make_models.py does (gradients on, no trace check against a second run), saves
    it, and checks the saved trace on `inp` against `expected`."""
    traced = torch.jit.trace(module, example, check_trace=False)
    traced.save(path)
    with torch.no_grad():
        got = torch.jit.load(path)(inp)
    err = float((got - expected).abs().max()) / max(1.0, float(expected.abs().max()))
    if got.shape != expected.shape or not err <= 1e-5:
        sys.exit(f"{path}: the trace gives {tuple(got.shape)}, relative error {err:g} against the eager model")
    print(f"wrote {os.path.basename(path)}: {tuple(example.shape)} -> {tuple(got.shape[1:])}, relative error {err:g}")


def main(out):
    os.makedirs(out, exist_ok=True)
    for arch in ("resnet50", "inceptionv1"):
        if not os.path.exists(os.path.join(out, arch + "_ref.npz")):
            zoo_cnn.main(arch, out)   # the seeded weights: ARCH.safetensors (for Loupe) and ARCH.pth
    gen = torch.Generator().manual_seed(1)
    example = torch.randn(1, 3, 224, 224, generator=gen)
    x = torch.randn(2, 3, 224, 224, generator=gen)

    resnet = zoo_cnn.ARCHS["resnet50"][0]()
    resnet.load_state_dict(torch.load(os.path.join(out, "resnet50.pth")))
    resnet.eval()
    layer2, _ = intermediate(resnet, resnet.layer2, x)
    layer3, logits = intermediate(resnet, resnet.layer3, x)
    prefix = nn.Sequential(resnet.conv1, resnet.bn1, resnet.relu, resnet.maxpool, resnet.layer1, resnet.layer2)
    trace(prefix, example, os.path.join(out, "resnet50_until_layer2.pt"), x, layer2)
    suffix = nn.Sequential(resnet.layer4, resnet.avgpool, nn.Flatten(1), resnet.fc)
    trace(suffix, torch.randn(1, 1024, 14, 14, generator=gen), os.path.join(out, "resnet50_from_layer3.pt"), layer3, logits)

    inception = InceptionV1Lucent()
    inception.load_state_dict(torch.load(os.path.join(out, "inceptionv1.pth")))
    inception.eval()
    mixed4a, _ = intermediate(inception, inception.mixed4a, x)
    trace(UntilMixed(inception, "mixed4a"), example, os.path.join(out, "inceptionv1_until_mixed4a.pt"), x, mixed4a)


if __name__ == "__main__":
    main(sys.argv[1])
