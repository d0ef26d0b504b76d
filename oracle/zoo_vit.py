"""Vision Transformers for Loupe's golden tests: torchvision's VisionTransformer with seeded random
weights, and the same network re-expressed under timm and Hugging Face module names.

usage: /usr/bin/python3 zoo_vit.py OUTDIR SET
  SET small  tv_small (image 64, patch 8, 3 layers, 6 heads, width 192; npz weights + sidecar),
             tv_repr (legacy mlp.linear_1/linear_2 names, representation layer heads.pre_logits),
             timm_small and hf_small (tv_small under timm / HF ViTForImageClassification names),
             hf_model (HF ViTModel: no "vit." prefix, a pooler, no classifier)
  SET b16 | b32 | l16   torchvision vit_b_16, vit_b_32, and vit_l_16's shape with 4 layers
writes OUTDIR/<name>.safetensors (+ .npz, .json sidecar where noted) and <name>_ref.npz with the
input, the output, activations (act.<hook point>), the objective
probs[layer L][:, head 1].mean() + output[:, 0].sum(), and its gradients (grad.input,
grad.<hook point>). Hook-point names are Loupe's (docs/user-guide.md, "Vision Transformers"); the
marker of a set is the _ref.npz written last.

Attention in torchvision runs fused inside nn.MultiheadAttention, so its probabilities are not
tensors of the graph: the references swap each block's self_attention for ExplicitMHA (the same
parameters, computed step by step) after checking that the swapped model gives torchvision's own
logits and nn.MultiheadAttention's own attention weights.
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models.vision_transformer import VisionTransformer, vit_b_16, vit_b_32

from common import save_refs, write_safetensors

QK_GAIN = 3.0  # sharpens the random attention so probabilities are far from uniform


# ---------------------------------------------------------------- torchvision, explicit attention

class ExplicitMHA(nn.Module):
    """nn.MultiheadAttention(batch_first=True) computed step by step; same parameter names."""

    def __init__(self, mha):
        super().__init__()
        self.num_heads = mha.num_heads
        self.in_proj_weight = mha.in_proj_weight
        self.in_proj_bias = mha.in_proj_bias
        self.out_proj = mha.out_proj
        for n in ("q", "k", "v", "probs", "context"):
            setattr(self, n, nn.Identity())

    def forward(self, query, key, value, need_weights=False):
        x = query
        b, t, d = x.shape
        h = self.num_heads
        hd = d // h
        q, k, v = F.linear(x, self.in_proj_weight, self.in_proj_bias).chunk(3, dim=-1)
        q, k, v = self.q(q), self.k(k), self.v(v)
        split = lambda z: z.reshape(b, t, h, hd).transpose(1, 2)
        a = self.probs(((split(q) @ split(k).transpose(-2, -1)) / math.sqrt(hd)).softmax(-1))
        ctx = self.context((a @ split(v)).transpose(1, 2).reshape(b, t, d))
        return self.out_proj(ctx), None


def randomise(model):
    """Non-trivial values everywhere torchvision initialises constants (norms, biases, class token, head)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            leaf = name.rsplit(".", 1)[-1]
            if p.dim() == 1 and leaf == "weight":  # LayerNorm scale
                p.uniform_(0.7, 1.3)
            elif leaf.endswith("bias"):
                p.normal_(0, 0.05)
            elif name == "class_token":
                p.normal_(0, 0.5)
            elif name.startswith("heads.") and leaf == "weight":
                p.normal_(0, 1 / math.sqrt(p.shape[1]))
        for m in model.modules():
            if isinstance(m, nn.MultiheadAttention):
                d = m.embed_dim
                m.in_proj_weight[: 2 * d] *= QK_GAIN


def explicit(model):
    """Swaps every block's attention for ExplicitMHA, checking it against torchvision first."""
    x = torch.randn(2, 3, model.image_size, model.image_size)
    with torch.no_grad():
        ref = model(x)
        blk = model.encoder.layers[0]
        tok = torch.cat([model.class_token.expand(2, -1, -1), model._process_input(x)], 1) + model.encoder.pos_embedding
        y = blk.ln_1(tok)
        _, w_ref = blk.self_attention(y, y, y, need_weights=True, average_attn_weights=False)
    for layer in model.encoder.layers:
        layer.self_attention = ExplicitMHA(layer.self_attention)
    with torch.no_grad():
        got = model(x)
        captured = {}
        hook = model.encoder.layers[0].self_attention.probs.register_forward_hook(
            lambda m, i, o: captured.__setitem__("p", o))
        model(x)
        hook.remove()
    check(ref, got, "explicit attention vs torchvision logits")
    check(w_ref, captured["p"], "explicit attention vs nn.MultiheadAttention weights")
    return model


def check(expected, actual, what, tol=1e-5):
    scale = max(1.0, float(expected.abs().max()))
    diff = float((expected - actual).abs().max())
    if diff > tol * scale:
        raise SystemExit(f"{what}: max |diff| {diff:.3g} exceeds {tol} x {scale:.3g}")
    print(f"  ok {what}: max |diff| {diff:.2e}")


def tv_points(model, legacy=False):
    """Loupe hook point -> (module, 'in' | 'out') for torchvision's VisionTransformer."""
    pts = [("conv_proj", "conv_proj", "out"), ("encoder.embedded", "encoder.layers", "in")]
    for i in range(len(model.encoder.layers)):
        b = f"encoder.layers.encoder_layer_{i}"
        a = b + ".self_attention"
        pts += [(b + ".resid_pre", b, "in"), (b + ".ln_1", b + ".ln_1", "out")]
        pts += [(a + "." + n, a + "." + n, "out") for n in ("q", "k", "v", "probs", "context", "out_proj")]
        pts += [(b + ".resid_mid", b + ".ln_2", "in"), (b + ".ln_2", b + ".ln_2", "out"),
                (b + (".mlp.act" if legacy else ".mlp.1"), b + ".mlp.1", "out"),
                (b + (".mlp.linear_2" if legacy else ".mlp.3"), b + ".mlp.3", "out"),
                (b + ".resid_post", b, "out")]
    pts += [("encoder.ln", "encoder.ln", "out"), ("pooled", "heads", "in")]
    if hasattr(model.heads, "pre_logits"):
        pts += [("heads.pre_logits", "heads.pre_logits", "out"), ("heads.act", "heads.act", "out")]
    pts += [("heads.head", "heads.head", "out")]
    return pts


def tv_probs(i):
    return f"encoder.layers.encoder_layer_{i}.self_attention.probs"


# ---------------------------------------------------------------- timm names

class TimmAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.num_heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.attn_drop = nn.Dropout(0.0)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(0.0)
        for n in ("q", "k", "v", "probs", "context"):
            setattr(self, n, nn.Identity())

    def forward(self, x):
        b, n, c = x.shape
        h = self.num_heads
        t = self.qkv(x)  # timm: reshape(B, N, 3, H, C // H): q, k, v are consecutive blocks of C
        q, k, v = self.q(t[..., :c]), self.k(t[..., c:2 * c]), self.v(t[..., 2 * c:])
        split = lambda z: z.reshape(b, n, h, c // h).permute(0, 2, 1, 3)
        q, k, v = split(q), split(k), split(v)
        attn = (q * (c // h) ** -0.5) @ k.transpose(-2, -1)
        attn = self.probs(self.attn_drop(attn.softmax(dim=-1)))
        x = self.context((attn @ v).transpose(1, 2).reshape(b, n, c))
        return self.proj_drop(self.proj(x))


class TimmMlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.drop1 = nn.Dropout(0.0)
        self.fc2 = nn.Linear(hidden, dim)
        self.drop2 = nn.Dropout(0.0)

    def forward(self, x):
        return self.drop2(self.fc2(self.drop1(self.act(self.fc1(x)))))


class TimmBlock(nn.Module):
    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = TimmAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = TimmMlp(dim, hidden)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class TimmPatchEmbed(nn.Module):
    def __init__(self, patch, dim):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class TimmViT(nn.Module):
    """timm.models.vision_transformer.VisionTransformer's module names (class-token pooling)."""

    def __init__(self, image, patch, depth, heads, dim, hidden, classes):
        super().__init__()
        self.patch_embed = TimmPatchEmbed(patch, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, (image // patch) ** 2 + 1, dim))
        self.pos_drop = nn.Dropout(0.0)
        self.blocks = nn.Sequential(*[TimmBlock(dim, heads, hidden) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        x = self.pos_drop(x + self.pos_embed)
        x = self.norm(self.blocks(x))
        return self.head(x[:, 0])


def timm_points(depth):
    pts = [("patch_embed.proj", "patch_embed.proj", "out"), ("embedded", "blocks", "in")]
    for i in range(depth):
        b = f"blocks.{i}"
        a = b + ".attn"
        pts += [(b + ".resid_pre", b, "in"), (b + ".norm1", b + ".norm1", "out")]
        pts += [(a + "." + n, a + "." + n, "out") for n in ("q", "k", "v", "probs", "context", "proj")]
        pts += [(b + ".resid_mid", b + ".norm2", "in"), (b + ".norm2", b + ".norm2", "out"),
                (b + ".mlp.act", b + ".mlp.act", "out"), (b + ".mlp.fc2", b + ".mlp.fc2", "out"),
                (b + ".resid_post", b, "out")]
    return pts + [("norm", "norm", "out"), ("pooled", "head", "in"), ("head", "head", "out")]


def tv_to_timm(sd):
    out = {}
    for k, v in sd.items():
        n = (k.replace("conv_proj.", "patch_embed.proj.").replace("class_token", "cls_token")
             .replace("encoder.pos_embedding", "pos_embed").replace("encoder.layers.encoder_layer_", "blocks.")
             .replace(".ln_1.", ".norm1.").replace(".ln_2.", ".norm2.")
             .replace(".self_attention.in_proj_weight", ".attn.qkv.weight")
             .replace(".self_attention.in_proj_bias", ".attn.qkv.bias")
             .replace(".self_attention.out_proj.", ".attn.proj.")
             .replace(".mlp.0.", ".mlp.fc1.").replace(".mlp.3.", ".mlp.fc2.")
             .replace("encoder.ln.", "norm.").replace("heads.head.", "head."))
        out[n] = v
    return out


# ---------------------------------------------------------------- Hugging Face names

class HFPatchEmbeddings(nn.Module):
    def __init__(self, patch, dim):
        super().__init__()
        self.projection = nn.Conv2d(3, dim, patch, patch)

    def forward(self, x):
        return self.projection(x).flatten(2).transpose(1, 2)


class HFEmbeddings(nn.Module):
    def __init__(self, image, patch, dim):
        super().__init__()
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.patch_embeddings = HFPatchEmbeddings(patch, dim)
        self.position_embeddings = nn.Parameter(torch.zeros(1, (image // patch) ** 2 + 1, dim))
        self.dropout = nn.Dropout(0.0)

    def forward(self, x):
        e = self.patch_embeddings(x)
        e = torch.cat([self.cls_token.expand(e.shape[0], -1, -1), e], dim=1)
        return self.dropout(e + self.position_embeddings)


class HFSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.num_attention_heads = heads
        self.attention_head_size = dim // heads
        self.query = nn.Linear(dim, dim)
        self.key = nn.Linear(dim, dim)
        self.value = nn.Linear(dim, dim)
        self.dropout = nn.Dropout(0.0)
        self.probs = nn.Identity()
        self.context = nn.Identity()

    def transpose_for_scores(self, x):
        return x.view(x.shape[:-1] + (self.num_attention_heads, self.attention_head_size)).permute(0, 2, 1, 3)

    def forward(self, h):
        q = self.transpose_for_scores(self.query(h))
        k = self.transpose_for_scores(self.key(h))
        v = self.transpose_for_scores(self.value(h))
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.attention_head_size)
        probs = self.probs(self.dropout(nn.functional.softmax(scores, dim=-1)))
        ctx = (probs @ v).permute(0, 2, 1, 3).contiguous()
        return self.context(ctx.view(ctx.shape[:-2] + (h.shape[-1],)))


class HFSelfOutput(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dense = nn.Linear(dim, dim)
        self.dropout = nn.Dropout(0.0)

    def forward(self, h):
        return self.dropout(self.dense(h))


class HFAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attention = HFSelfAttention(dim, heads)
        self.output = HFSelfOutput(dim)

    def forward(self, h):
        return self.output(self.attention(h))


class HFIntermediate(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.dense = nn.Linear(dim, hidden)
        self.intermediate_act_fn = nn.GELU()

    def forward(self, h):
        return self.intermediate_act_fn(self.dense(h))


class HFOutput(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.dense = nn.Linear(hidden, dim)
        self.dropout = nn.Dropout(0.0)

    def forward(self, h, inp):
        return self.dropout(self.dense(h)) + inp


class HFLayer(nn.Module):
    def __init__(self, dim, heads, hidden, eps):
        super().__init__()
        self.attention = HFAttention(dim, heads)
        self.intermediate = HFIntermediate(dim, hidden)
        self.output = HFOutput(dim, hidden)
        self.layernorm_before = nn.LayerNorm(dim, eps=eps)
        self.layernorm_after = nn.LayerNorm(dim, eps=eps)

    def forward(self, x):
        x = self.attention(self.layernorm_before(x)) + x
        return self.output(self.intermediate(self.layernorm_after(x)), x)


class HFEncoder(nn.Module):
    def __init__(self, depth, dim, heads, hidden, eps):
        super().__init__()
        self.layer = nn.ModuleList([HFLayer(dim, heads, hidden, eps) for _ in range(depth)])

    def forward(self, x):
        for layer in self.layer:
            x = layer(x)
        return x


class HFPooler(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dense = nn.Linear(dim, dim)
        self.activation = nn.Tanh()


class HFViTModel(nn.Module):
    """transformers.ViTModel's module names; returns the CLS token of the final layernorm."""

    def __init__(self, image, patch, depth, heads, dim, hidden, eps, pooler):
        super().__init__()
        self.embeddings = HFEmbeddings(image, patch, dim)
        self.encoder = HFEncoder(depth, dim, heads, hidden, eps)
        self.layernorm = nn.LayerNorm(dim, eps=eps)
        if pooler:
            self.pooler = HFPooler(dim)
        self.pooled = nn.Identity()

    def forward(self, x):
        return self.pooled(self.layernorm(self.encoder(self.embeddings(x)))[:, 0])


class HFViTForImageClassification(nn.Module):
    def __init__(self, image, patch, depth, heads, dim, hidden, classes, eps):
        super().__init__()
        self.vit = HFViTModel(image, patch, depth, heads, dim, hidden, eps, pooler=False)
        self.classifier = nn.Linear(dim, classes)

    def forward(self, x):
        return self.classifier(self.vit(x))


def hf_points(depth, prefix, classifier):
    p = prefix
    pts = [(p + "embeddings.patch_embeddings.projection",) * 2 + ("out",), (p + "embeddings",) * 2 + ("out",)]
    for i in range(depth):
        b = f"{p}encoder.layer.{i}"
        s = b + ".attention.attention"
        pts += [(b + ".resid_pre", b, "in"), (b + ".layernorm_before", b + ".layernorm_before", "out")]
        pts += [(s + "." + n, s + "." + n, "out") for n in ("query", "key", "value", "probs", "context")]
        pts += [(b + ".attention.output.dense", b + ".attention.output.dense", "out"),
                (b + ".resid_mid", b + ".layernorm_after", "in"),
                (b + ".layernorm_after", b + ".layernorm_after", "out"),
                (b + ".intermediate", b + ".intermediate", "out"),
                (b + ".output.dense", b + ".output.dense", "out"), (b + ".resid_post", b, "out")]
    pts += [(p + "layernorm", p + "layernorm", "out"), ("pooled", p + "pooled", "out")]
    if classifier:
        pts += [("classifier", "classifier", "out")]
    return pts


def tv_to_hf(sd, prefix, dim):
    out = {}
    for k, v in sd.items():
        if k.startswith("heads."):
            if prefix:
                out[k.replace("heads.head.", "classifier.")] = v
            continue
        if k.endswith("self_attention.in_proj_weight") or k.endswith("self_attention.in_proj_bias"):
            b = k.split(".self_attention.")[0].replace("encoder.layers.encoder_layer_", prefix + "encoder.layer.")
            leaf = "weight" if k.endswith("weight") else "bias"
            for n, part in zip(("query", "key", "value"), v.chunk(3, dim=0)):
                out[f"{b}.attention.attention.{n}.{leaf}"] = part.clone()
            continue
        n = (k.replace("conv_proj.", prefix + "embeddings.patch_embeddings.projection.")
             .replace("class_token", prefix + "embeddings.cls_token")
             .replace("encoder.pos_embedding", prefix + "embeddings.position_embeddings")
             .replace("encoder.layers.encoder_layer_", prefix + "encoder.layer.")
             .replace(".ln_1.", ".layernorm_before.").replace(".ln_2.", ".layernorm_after.")
             .replace(".self_attention.out_proj.", ".attention.output.dense.")
             .replace(".mlp.0.", ".intermediate.dense.").replace(".mlp.3.", ".output.dense.")
             .replace("encoder.ln.", prefix + "layernorm."))
        out[n] = v
    return out


def set_eps(model, eps):
    for m in model.modules():
        if isinstance(m, nn.LayerNorm):
            m.eps = eps


# ---------------------------------------------------------------- references

def references(model, points, x, probs_layer, grads):
    """Runs model on x with the hook points captured; the objective is
    probs_layer[:, 1].mean() + output[:, 0].sum(). grads: hook points whose gradient is saved (None = all)."""
    mods = dict(model.named_modules())
    acts, handles = {}, []
    for name, mod, mode in points:
        m = mods[mod]
        if mode == "out":
            handles.append(m.register_forward_hook(lambda _m, _i, o, n=name: acts.__setitem__(n, o)))
        else:
            handles.append(m.register_forward_pre_hook(lambda _m, i, n=name: acts.__setitem__(n, i[0])))
    xg = x.clone().requires_grad_(True)
    out = model(xg)
    for h in handles:
        h.remove()
    for a in acts.values():
        a.retain_grad()
    obj = acts[probs_layer][:, 1].mean() + out[:, 0].sum()
    obj.backward()
    refs = {"input": x, "logits": out, "objective": obj, "grad.input": xg.grad}
    for name, _, _ in points:
        refs["act." + name] = acts[name]
        if grads is None or name in grads:
            refs["grad." + name] = acts[name].grad
    return refs


def sample_points(points, keep_layers, marker):
    """The hook points outside blocks plus those of the blocks in keep_layers."""
    out = []
    for p in points:
        name = p[0]
        if marker in name:
            i = int(name.split(marker)[1].split(".")[0])
            if i not in keep_layers:
                continue
        out.append(p)
    return out


def save(out, name, state, refs, npz=False, sidecar=None):
    write_safetensors(os.path.join(out, name + ".safetensors"), state)
    if npz:
        np.savez(os.path.join(out, name + ".npz"), **{k: v.numpy() for k, v in state.items()})
    if sidecar is not None:
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(sidecar, f)
    save_refs(os.path.join(out, name + "_ref.npz"), **refs)
    print("wrote", name, "objective", float(refs["objective"]))


def image_batch(size, seed):
    torch.manual_seed(seed)
    x = torch.rand(2, 3, size, size)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    return (x - mean) / std


def small(out):
    cfg = dict(image=64, patch=8, depth=3, heads=6, dim=192, hidden=320, classes=10)
    torch.manual_seed(0)
    tv = VisionTransformer(image_size=64, patch_size=8, num_layers=3, num_heads=6, hidden_dim=192, mlp_dim=320,
                           num_classes=10).eval()
    randomise(tv)
    state = {k: v.clone() for k, v in tv.state_dict().items()}
    x = image_batch(64, 1)
    with torch.no_grad():
        tv_logits = tv(x)
        tv_pooled = {}
        h = tv.heads.register_forward_pre_hook(lambda m, i: tv_pooled.__setitem__("p", i[0]))
        tv(x)
        h.remove()

    # timm names: load the renamed state dict strictly and check it computes torchvision's logits
    timm = TimmViT(**cfg).eval()
    timm.load_state_dict(tv_to_timm(state), strict=True)
    with torch.no_grad():
        check(tv_logits, timm(x), "timm-named network vs torchvision")
    save(out, "timm_small", timm.state_dict(), references(timm, timm_points(3), x, "blocks.1.attn.probs", None),
         sidecar={"heads": 6})

    # Hugging Face names: same check with torchvision's eps, then HF's own eps (1e-12) for the references
    hf = HFViTForImageClassification(**cfg, eps=1e-6).eval()
    hf.load_state_dict(tv_to_hf(state, "vit.", 192), strict=True)
    with torch.no_grad():
        check(tv_logits, hf(x), "HF-named ViTForImageClassification vs torchvision")
    set_eps(hf, 1e-12)
    save(out, "hf_small", hf.state_dict(),
         references(hf, hf_points(3, "vit.", True), x, "vit.encoder.layer.1.attention.attention.probs", None),
         sidecar={"heads": 6})

    # Hugging Face ViTModel: no prefix, a pooler (not used by Loupe), no classifier: the output is the CLS token
    cfg_m = {k: v for k, v in cfg.items() if k != "classes"}
    hfm = HFViTModel(**cfg_m, eps=1e-6, pooler=True).eval()
    torch.manual_seed(5)
    sd = tv_to_hf(state, "", 192)
    sd["pooler.dense.weight"] = torch.randn(192, 192) * 0.05
    sd["pooler.dense.bias"] = torch.randn(192) * 0.05
    hfm.load_state_dict(sd, strict=True)
    with torch.no_grad():
        check(tv_pooled["p"], hfm(x), "HF-named ViTModel vs torchvision's CLS features")
    set_eps(hfm, 1e-12)
    save(out, "hf_model", hfm.state_dict(),
         references(hfm, hf_points(3, "", False), x, "encoder.layer.0.attention.attention.probs", None),
         sidecar={"heads": 6})

    # a representation layer (heads.pre_logits + tanh) and the legacy MLP names linear_1 / linear_2
    torch.manual_seed(2)
    rep = VisionTransformer(image_size=32, patch_size=4, num_layers=2, num_heads=2, hidden_dim=128, mlp_dim=200,
                            num_classes=7, representation_size=48).eval()
    randomise(rep)
    legacy = {k.replace(".mlp.0.", ".mlp.linear_1.").replace(".mlp.3.", ".mlp.linear_2."): v.clone()
              for k, v in rep.state_dict().items()}
    check_rep = VisionTransformer(image_size=32, patch_size=4, num_layers=2, num_heads=2, hidden_dim=128, mlp_dim=200,
                                  num_classes=7, representation_size=48).eval()
    check_rep.load_state_dict(legacy)  # torchvision's own upgrade path for the old names
    xr = image_batch(32, 3)
    with torch.no_grad():
        check(rep(xr), check_rep(xr), "legacy MLP names load into torchvision")
    explicit(rep)
    save(out, "tv_repr", legacy, references(rep, tv_points(rep, legacy=True), xr, tv_probs(1), None))

    # torchvision itself last: its marker is the set's marker
    explicit(tv)
    save(out, "tv_small", state, references(tv, tv_points(tv), x, tv_probs(1), None), npz=True,
         sidecar={"heads": 6, "name": "Small torchvision ViT"})


def big(out, which):
    torch.manual_seed(0)
    if which == "b16":
        tv, name = vit_b_16(weights=None), "vit_b_16"
    elif which == "b32":
        tv, name = vit_b_32(weights=None), "vit_b_32"
    else:
        tv = VisionTransformer(image_size=224, patch_size=16, num_layers=4, num_heads=16, hidden_dim=1024, mlp_dim=4096)
        name = "vit_l_16_4layers"
    tv.eval()
    randomise(tv)
    state = {k: v.clone() for k, v in tv.state_dict().items()}
    depth = len(tv.encoder.layers)
    mid = depth // 2
    explicit(tv)
    keep = {0, mid, depth - 1}
    pts = sample_points(tv_points(tv), keep, "encoder_layer_")
    b = lambda i: f"encoder.layers.encoder_layer_{i}"
    grads = {tv_probs(mid), tv_probs(0), b(mid) + ".mlp.1", b(mid) + ".resid_post", b(0) + ".self_attention.q",
             "encoder.embedded", "conv_proj", "pooled"}
    save(out, name, state, references(tv, pts, image_batch(224, 1), tv_probs(mid), grads))


def main(out, which):
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    if which == "small":
        small(out)
    elif which in ("b16", "b32", "l16"):
        big(out, which)
    else:
        raise SystemExit("unknown set " + which)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
