"""Checkpoints written the way torchvision, timm and Hugging Face publish them, with seeded random
weights, for Loupe's tests of opening real downloads without a sidecar.

usage: /usr/bin/python3 checkpoints.py OUTDIR
writes
  vit96/tv/vit96.safetensors   torchvision names, width 96 with 4 heads of 24 (no sidecar: the heads
                               cannot be told from the weights)
  vit96/timm/                  the same network under timm names: model.safetensors + timm's config.json
                               (architecture, num_classes, global_pool, model_args, pretrained_cfg, label_names)
  vit96/hf/                    the same network under Hugging Face names: model.safetensors + config.json
                               (ViTForImageClassification, num_attention_heads 4, layer_norm_eps 1e-12, id2label)
                               + preprocessor_config.json (ViTImageProcessor: mean/std 0.5, 32x32, bilinear)
  vith/vit_h_like.safetensors  torchvision names, ViT-H's width 1280 with its 16 heads of 80 (1 block, MLP 256)
  refs.npz (the marker)        input (normalised, 2x3x32x32 and 2x3x28x28), logits of each: tv96 (eps 1e-6),
                               timm96 (eps 1e-6), hf96 (eps 1e-12), vith
"""
import json
import os
import sys

import torch
from torchvision.models.vision_transformer import VisionTransformer

from common import save_refs, write_safetensors
from zoo_vit import HFViTForImageClassification, TimmViT, check, randomise, set_eps, tv_to_hf, tv_to_timm

LABELS = ["circle", "square", "triangle", "star", "cross"]


def dump(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)


def vit96(out, refs):
    cfg = dict(image=32, patch=8, depth=2, heads=4, dim=96, hidden=160, classes=5)
    torch.manual_seed(10)
    tv = VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=4, hidden_dim=96, mlp_dim=160, num_classes=5).eval()
    randomise(tv)
    state = {k: v.clone() for k, v in tv.state_dict().items()}
    torch.manual_seed(11)
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        refs["logits.tv96"] = tv(x)
    refs["input32"] = x
    os.makedirs(os.path.join(out, "tv"), exist_ok=True)
    write_safetensors(os.path.join(out, "tv", "vit96.safetensors"), state)

    timm = TimmViT(**cfg).eval()
    timm.load_state_dict(tv_to_timm(state), strict=True)
    with torch.no_grad():
        refs["logits.timm96"] = timm(x)
    check(refs["logits.tv96"], refs["logits.timm96"], "timm names vs torchvision")
    d = os.path.join(out, "timm")
    os.makedirs(d, exist_ok=True)
    write_safetensors(os.path.join(d, "model.safetensors"), timm.state_dict())
    dump(os.path.join(d, "config.json"), {
        "architecture": "vit_tiny_patch8_32", "num_classes": 5, "num_features": 96, "global_pool": "token",
        "model_args": {"embed_dim": 96, "depth": 2, "num_heads": 4, "mlp_ratio": 160 / 96, "img_size": 32, "patch_size": 8},
        "pretrained_cfg": {"tag": "loupe_test", "custom_load": False, "input_size": [3, 32, 32], "fixed_input_size": True,
                           "interpolation": "bicubic", "crop_pct": 0.9, "crop_mode": "center",
                           "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "num_classes": 5, "pool_size": None,
                           "first_conv": "patch_embed.proj", "classifier": "head"},
        "label_names": LABELS})

    hf = HFViTForImageClassification(**cfg, eps=1e-12).eval()
    hf.load_state_dict(tv_to_hf(state, "vit.", 96), strict=True)
    with torch.no_grad():
        refs["logits.hf96"] = hf(x)
        set_eps(hf, 1e-6)
        check(refs["logits.tv96"], hf(x), "Hugging Face names (eps 1e-6) vs torchvision")
    d = os.path.join(out, "hf")
    os.makedirs(d, exist_ok=True)
    set_eps(hf, 1e-12)
    write_safetensors(os.path.join(d, "model.safetensors"), hf.state_dict())
    dump(os.path.join(d, "config.json"), {
        "_name_or_path": "loupe/vit-96", "architectures": ["ViTForImageClassification"], "model_type": "vit",
        "hidden_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 160,
        "hidden_act": "gelu", "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0, "initializer_range": 0.02,
        "layer_norm_eps": 1e-12, "image_size": 32, "patch_size": 8, "num_channels": 3, "qkv_bias": True,
        "encoder_stride": 8, "id2label": {str(i): n for i, n in enumerate(LABELS)},
        "label2id": {n: i for i, n in enumerate(LABELS)}, "torch_dtype": "float32", "transformers_version": "4.40.0"})
    dump(os.path.join(d, "preprocessor_config.json"), {
        "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": [0.5, 0.5, 0.5],
        "image_processor_type": "ViTImageProcessor", "image_std": [0.5, 0.5, 0.5], "resample": 2,
        "rescale_factor": 1 / 255, "size": {"height": 32, "width": 32}})


def vith(out, refs):
    torch.manual_seed(20)
    tv = VisionTransformer(image_size=28, patch_size=14, num_layers=1, num_heads=16, hidden_dim=1280, mlp_dim=256,
                           num_classes=10).eval()
    randomise(tv)
    torch.manual_seed(21)
    x = torch.randn(2, 3, 28, 28)
    with torch.no_grad():
        refs["logits.vith"] = tv(x)
        wrong = VisionTransformer(image_size=28, patch_size=14, num_layers=1, num_heads=20, hidden_dim=1280, mlp_dim=256,
                                  num_classes=10).eval()
        wrong.load_state_dict(tv.state_dict())
        refs["logits.vith_20heads"] = wrong(x)
    refs["input28"] = x
    os.makedirs(out, exist_ok=True)
    write_safetensors(os.path.join(out, "vit_h_like.safetensors"), tv.state_dict())


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    refs = {}
    vit96(os.path.join(out, "vit96"), refs)
    vith(os.path.join(out, "vith"), refs)
    save_refs(os.path.join(out, "refs.npz"), **refs)
    print("wrote", sorted(refs))


if __name__ == "__main__":
    main(sys.argv[1])
