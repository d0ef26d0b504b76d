"""Writes the PyTorch files that Loupe's .pth reader is tested on, and what they must read as.

usage: /usr/bin/python3 pth_cases.py OUTDIR
writes into OUTDIR:
  views.pth            a state dict of views and dtypes: transposed, strided, storage offsets,
                       two tensors sharing one storage, 0-d and empty tensors, f16/bf16/f64/ints/bool
  views_p4.pth         the same with pickle protocol 4 (STACK_GLOBAL, MEMOIZE)
  views_legacy.pth     the same in the legacy (non-zip) format, _use_new_zipfile_serialization=False
  checkpoint.pth       {"epoch": 7, "state_dict": <small state dict>, "note": "..."}
  module.pth           a whole torchvision ResNet module (torch.save(model)), which must be refused
  evil_system.pth      a torch.save-shaped zip whose pickle would call os.system('touch <marker>')
  evil_eval.pth        the same with builtins.eval, pickle protocol 4
  evil-marker          must never exist: the marker the crafted pickles would create
  views_expected.npz   the values of every views.pth tensor, contiguous (bf16 as float32), and
                       checkpoint.<name> for the checkpoint's state dict; written last (the marker)
"""
import collections
import os
import pickle
import sys
import zipfile

import numpy as np
import torch
import torchvision


class Evil:
    """A pickle that would run a shell command when unpickled by Python."""

    def __init__(self, func, arg):
        self.func, self.arg = func, arg

    def __reduce__(self):
        return self.func, (self.arg,)


def torch_like_zip(path, payload):
    """A zip laid out like torch.save's: <name>/data.pkl, <name>/version, stored."""
    name = os.path.splitext(os.path.basename(path))[0]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(name + "/data.pkl", payload)
        z.writestr(name + "/version", "3\n")


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(3)
    base = torch.randn(4, 6)
    shared = torch.arange(24, dtype=torch.float32)
    sd = collections.OrderedDict()
    sd["contiguous"] = torch.randn(2, 3, 4)
    sd["transposed"] = base.t()
    sd["strided"] = base[:, ::2]
    sd["offset"] = base[1:3]
    sd["column"] = base[:, 4]
    sd["shared_a"] = shared[2:8].view(2, 3)
    sd["shared_b"] = shared.view(4, 6)[1:, 3:].t()
    sd["expanded"] = torch.randn(3, 1).expand(3, 4)
    sd["scalar"] = torch.tensor(2.5)
    sd["empty"] = torch.zeros(0, 5)
    sd["f16"] = torch.randn(3, 5).half()
    sd["bf16"] = torch.randn(2, 7).bfloat16()
    sd["f64"] = torch.randn(4).double()
    sd["i64"] = torch.tensor([1, -2, 3 << 40], dtype=torch.int64)
    sd["i32"] = torch.tensor([[5, -6], [7, 8]], dtype=torch.int32)
    sd["i16"] = torch.tensor([-300, 300], dtype=torch.int16)
    sd["i8"] = torch.tensor([-5, 6], dtype=torch.int8)
    sd["u8"] = torch.tensor([0, 200, 255], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["f16_t"] = torch.randn(3, 4).half().t()
    torch.save(sd, os.path.join(out, "views.pth"))
    torch.save(sd, os.path.join(out, "views_p4.pth"), pickle_protocol=4)
    torch.save(sd, os.path.join(out, "views_legacy.pth"), _use_new_zipfile_serialization=False)

    small = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4)).state_dict()
    torch.save({"epoch": 7, "state_dict": small, "note": "trained for a while"}, os.path.join(out, "checkpoint.pth"))

    model = torchvision.models.resnet.ResNet(torchvision.models.resnet.BasicBlock, [1, 1, 1, 1], num_classes=10)
    torch.save(model, os.path.join(out, "module.pth"))

    marker = os.path.join(out, "evil-marker")
    if os.path.exists(marker):
        os.remove(marker)
    torch_like_zip(os.path.join(out, "evil_system.pth"), pickle.dumps(Evil(os.system, "touch " + marker), protocol=2))
    torch_like_zip(os.path.join(out, "evil_eval.pth"),
                   pickle.dumps(Evil(eval, "__import__('os').system('touch %s')" % marker), protocol=4))
    assert not os.path.exists(marker)

    expected = {}
    for k, v in sd.items():
        v = v.contiguous()
        expected[k] = (v.float() if v.dtype == torch.bfloat16 else v).numpy()
    for k, v in small.items():
        expected["checkpoint." + k] = v.numpy()
    np.savez(os.path.join(out, "views_expected.npz"), **expected)
    print("wrote", len(sd), "view/dtype cases, checkpoint, module and crafted pickles to", out)


if __name__ == "__main__":
    main(sys.argv[1])
