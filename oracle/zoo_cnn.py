"""Builds one CNN of Loupe's model zoo in PyTorch with seeded random weights and writes its weights
(safetensors, a torch.save'd state dict, and for resnet18 also npz) plus reference outputs: the
input, logits, a sample of hook-point activations, and the input gradient of an objective.

usage: /usr/bin/python3 zoo_cnn.py ARCH OUTDIR [lucent_inceptionv1.py]
ARCH: resnet18 resnet34 resnet50 resnet101 googlenet inceptionv1 convnext-tiny
writes OUTDIR/ARCH.safetensors, ARCH.pth, (resnet18.npz), and last ARCH_ref.npz (the marker)

Weights are re-drawn so that every part of the network matters in eval mode: BatchNorm gamma/beta
random, running statistics measured on random images (train-mode pass) and then perturbed, linear
layers at unit gain; ConvNeXt's layer scale and LayerNorm affine random; InceptionV1 with He init.
Reference keys: input, logits, objective, grad.input, grad.<hook>, act.<hook> where <hook> is
Loupe's hook-point name (channels-first; pooled vectors flattened).
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision.models as tvm

from common import save_refs, write_safetensors

IMAGENET = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225], 1.0)
LUCID = ([117.0] * 3, [1.0] * 3, 255.0)


def resnet_samples(bottleneck):
    s = {
        "conv1": ("conv1", "out"), "bn1": ("bn1", "out"), "relu": ("relu", "out"), "maxpool": ("maxpool", "out"),
        "layer1.0.conv1": ("layer1.0.conv1", "out"), "layer1.0.bn1": ("layer1.0.bn1", "out"),
        "layer1.0.relu1": ("layer1.0.relu", 0), "layer1.0": ("layer1.0", "out"),
        "layer2.0.downsample": ("layer2.0.downsample", "out"), "layer2.1.add": ("layer2.1.relu", "last-in"),
        "layer2": ("layer2", "out"), "layer3.1.conv2": ("layer3.1.conv2", "out"), "layer3.1.bn2": ("layer3.1.bn2", "out"),
        "layer4.1": ("layer4.1", "out"), "layer4": ("layer4", "out"), "avgpool": ("avgpool", "flat"), "fc": ("fc", "out"),
    }
    if bottleneck:
        s.update({"layer3.1.relu2": ("layer3.1.relu", 1), "layer3.1.conv3": ("layer3.1.conv3", "out"),
                  "layer3.1.bn3": ("layer3.1.bn3", "out"), "layer1.2": ("layer1.2", "out")})
    return s


GOOGLENET = {n: (n, "out") for n in [
    "conv1.conv", "conv1.bn", "conv1", "maxpool1", "conv2", "conv3", "maxpool2", "inception3a.branch1",
    "inception3a.branch2.0", "inception3a.branch2", "inception3a.branch3", "inception3a.branch4.0",
    "inception3a.branch4", "inception3a", "inception3b", "maxpool3", "inception4a.branch2.1.bn", "inception4c",
    "inception4e", "maxpool4", "inception5a.branch3", "inception5b", "fc"]}
GOOGLENET["avgpool"] = ("avgpool", "flat")

INCEPTIONV1 = {n: (n, "out") for n in [
    "conv2d0_pre_relu_conv", "conv2d0", "maxpool0", "localresponsenorm0", "conv2d1", "conv2d2_pre_relu_conv",
    "conv2d2", "localresponsenorm1", "maxpool1", "mixed3a_1x1", "mixed3a_3x3_bottleneck", "mixed3a_3x3_pre_relu_conv",
    "mixed3a_5x5", "mixed3a_pool", "mixed3a_pool_reduce", "mixed3a", "mixed3b", "maxpool4",
    "mixed4a_3x3_pre_relu_conv", "mixed4a", "mixed4b", "mixed4c", "mixed4d", "mixed4e", "maxpool10", "mixed5a",
    "mixed5b_5x5", "mixed5b", "softmax2_pre_activation_matmul"]}
INCEPTIONV1["avgpool0"] = ("avgpool0", "flat")

CONVNEXT = {n: (n, "out") for n in [
    "features.0.0", "features.0", "features.1.0.block.0", "features.1.0", "features.1", "features.2", "features.3.2",
    "features.5.8", "features.6", "features.7.2.block.0", "features.7", "classifier.2"]}
CONVNEXT.update({n: (n, "nhwc") for n in [
    "features.1.0.block.2", "features.1.0.block.4", "features.1.0.block.5", "features.5.8.block.4"]})
CONVNEXT.update({"avgpool": ("avgpool", "flat"), "classifier.0": ("classifier.0", "flat")})

# arch: (constructor, normalisation, samples, objective hook, objective channel, gradient hook)
ARCHS = {
    "resnet18": (lambda: tvm.resnet18(weights=None), IMAGENET, resnet_samples(False), "layer3.1.conv2", 5, "layer2"),
    "resnet34": (lambda: tvm.resnet34(weights=None), IMAGENET, resnet_samples(False), "layer3.1.conv2", 5, "layer2"),
    "resnet50": (lambda: tvm.resnet50(weights=None), IMAGENET, resnet_samples(True), "layer3.1.conv2", 5, "layer2"),
    "resnet101": (lambda: tvm.resnet101(weights=None), IMAGENET, resnet_samples(True), "layer3.1.conv2", 5, "layer2"),
    "googlenet": (lambda: tvm.googlenet(weights=None, init_weights=False), IMAGENET, GOOGLENET, "inception4c", 7, "inception3b"),
    "inceptionv1": (None, LUCID, INCEPTIONV1, "mixed4a", 476, "mixed3b"),
    "convnext-tiny": (lambda: tvm.convnext_tiny(weights=None), IMAGENET, CONVNEXT, "features.5.8.block.4", 11, "features.3.2"),
}


def randomize(model, gen):
    """Weights for which every layer matters in eval mode (see the module docstring)."""
    def u(t, lo, hi):
        t.copy_(torch.rand(t.shape, generator=gen) * (hi - lo) + lo)

    has_bn = any(isinstance(m, nn.BatchNorm2d) for m in model.modules())
    with torch.no_grad():
        for name, m in model.named_modules():
            if isinstance(m, nn.Linear):
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) / m.in_features ** 0.5)
                u(m.bias, -0.1, 0.1)
            elif isinstance(m, nn.BatchNorm2d):
                u(m.weight, 0.5, 1.5)
                u(m.bias, -0.2, 0.2)
            elif isinstance(m, nn.LayerNorm):
                u(m.weight, 0.5, 1.5)
                u(m.bias, -0.2, 0.2)
            elif isinstance(m, nn.Conv2d) and not has_bn:
                fan_in = m.weight[0].numel()
                gain = 2.0 if m.groups == 1 else 1.0
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (gain / fan_in) ** 0.5)
                if m.bias is not None:
                    u(m.bias, -0.1, 0.1)
        for name, p in model.named_parameters():
            if name.endswith("layer_scale"):
                u(p, 0.1, 1.0)


def calibrate_bn(model, gen, normalise):
    """Running statistics from a train-mode pass on random images, then perturbed."""
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    if not bns:
        return
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    with torch.no_grad():
        model(normalise(torch.rand(4, 3, 96, 96, generator=gen)))
        for m in bns:
            m.running_var.mul_(torch.rand(m.running_var.shape, generator=gen) * 0.8 + 0.6)
            m.running_mean.add_(0.2 * m.running_var.sqrt() * torch.randn(m.running_mean.shape, generator=gen))
    model.eval()


def capture(model, samples, replace=()):
    """Registers forward hooks that record Loupe's hook points; returns (acts, handles). The
    outputs of the hook points in `replace` are replaced by their copy, so that the copy lies on the
    forward path and its gradient is the gradient at the hook point."""
    acts, handles, calls = {}, [], {}
    modules = dict(model.named_modules())
    by_module = {}
    for hook, (path, how) in samples.items():
        by_module.setdefault(path, []).append((hook, how))

    def make(path, entries):
        def fn(mod, inp, out):
            k = calls.get(path, 0)
            calls[path] = k + 1
            for hook, how in entries:
                if hook in replace and how == "out":
                    acts[hook] = out.clone()
                    return acts[hook]
                if how == "out":
                    acts[hook] = out.clone()
                elif how == "flat":
                    acts[hook] = torch.flatten(out, 1).clone()
                elif how == "nhwc":
                    acts[hook] = out.permute(0, 3, 1, 2).clone()
                elif how == k:
                    acts[hook] = out.clone()
        return fn

    def make_pre(entries):
        def fn(mod, inp):
            for hook, how in entries:
                if how == "last-in":  # the input of the module's last call, before an in-place op changes it
                    acts[hook] = inp[0].clone()
        return fn

    for path, entries in by_module.items():
        handles.append(modules[path].register_forward_hook(make(path, entries)))
        if any(how == "last-in" for _, how in entries):
            handles.append(modules[path].register_forward_pre_hook(make_pre(entries)))
    return acts, handles


def main(arch, out, lucent=None):
    ctor, (mean, std, scale), samples, obj_hook, obj_channel, grad_hook = ARCHS[arch]
    seed = sum(map(ord, arch))
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    if arch == "inceptionv1":
        sys.path.insert(0, os.path.dirname(os.path.abspath(lucent or __file__)))
        from lucent_inceptionv1 import InceptionV1Lucent
        model = InceptionV1Lucent()
    else:
        model = ctor()
    mean_t = torch.tensor(mean).view(1, 3, 1, 1)
    std_t = torch.tensor(std).view(1, 3, 1, 1)

    def normalise(x):
        return (x * scale - mean_t) / std_t

    randomize(model, gen)
    calibrate_bn(model, gen, normalise)
    model.eval()
    os.makedirs(out, exist_ok=True)
    sd = model.state_dict()
    write_safetensors(os.path.join(out, arch + ".safetensors"), sd)
    torch.save(sd, os.path.join(out, arch + ".pth"))
    if arch == "resnet18":
        np.savez(os.path.join(out, arch + ".npz"), **{k: v.numpy() for k, v in sd.items()})
    if arch == "googlenet":
        # googlenet(weights=None) keeps the aux tensors but not transform_input: say so, since with aux
        # tensors and nothing said Loupe assumes torchvision's trained file (transform_input on)
        with open(os.path.join(out, arch + ".json"), "w") as f:
            f.write('{"transform_input": false}')

    x = normalise(torch.rand(2, 3, 224, 224, generator=gen))
    acts, handles = capture(model, samples, replace=(grad_hook,))
    xg = x.clone().requires_grad_(True)
    logits = model(xg)
    for h in handles:
        h.remove()
    for a in acts.values():
        a.retain_grad()
    obj = acts[obj_hook][:, obj_channel].mean() + logits[:, 0].sum()
    obj.backward()
    refs = {"input": x, "logits": logits, "objective": obj, "grad.input": xg.grad, "grad." + grad_hook: acts[grad_hook].grad}
    for n, a in acts.items():
        refs["act." + n] = a
    if arch == "googlenet":
        model.transform_input = True
        with torch.no_grad():
            refs["logits_transform_input"] = model(x)
    save_refs(os.path.join(out, arch + "_ref.npz"), **refs)
    scales = {n: float(a.abs().max()) for n, a in acts.items()}
    print("wrote", arch, "params", sum(p.numel() for p in model.parameters()), "objective", float(obj),
          "max|logit|", float(logits.abs().max()), "max|grad.input|", float(xg.grad.abs().max()))
    print("activation scales", {k: round(v, 3) for k, v in scales.items()})


if __name__ == "__main__":
    main(*sys.argv[1:])
