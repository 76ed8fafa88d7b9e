#!/usr/bin/python3
"""Models that other tools can open, and that cltrain opens carefully.

1. A model trained by cltrain (multi-class, softmax, standardised inputs) is
   loaded with numpy and the standard library alone; numpy's own forward pass
   must give the same classes as `cltrain predict`, and probabilities within
   1e-5 (float training: the device computes in float, numpy in float64).
2. Broken variants of that file, made here with json and struct, are each
   refused by `cltrain eval` with a non-zero exit and one line naming the
   file: a tensor missing, a shape that disagrees with the metadata, a newer
   format_version, a truncated file, and bytes that are not safetensors.

Exit 0 pass, 1 fail, 77 skipped (no numpy, no cltrain, no OpenCL device)."""
import json
import os
import struct
import subprocess
import sys
import tempfile

try:
    import numpy as np
except ImportError:
    print("skipped: numpy is missing for %s" % sys.executable)
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from read_safetensors import load  # noqa: E402

BIN = os.environ.get("CLTRAIN_BIN")
if not BIN or not os.access(BIN, os.X_OK):
    print("skipped: CLTRAIN_BIN does not name the cltrain program")
    sys.exit(77)
if subprocess.run([BIN, "devices"], capture_output=True).returncode != 0:
    print("skipped: no OpenCL device")
    sys.exit(77)

failures = 0


def check(ok, what):
    global failures
    print(("ok: " if ok else "FAIL: ") + what)
    failures += 0 if ok else 1


def forward(tensors, meta, X):
    """The notebook's forward pass, layer by layer, on X (n0, m)."""
    if "norm_mean" in tensors:
        X = (X - tensors["norm_mean"][:, None]) / tensors["norm_std"][:, None]
    acts = meta["activations"].split(",")
    A = X
    for l, act in enumerate(acts, start=1):
        Z = tensors["W%d" % l].dot(A) + tensors["b%d" % l]
        if act == "sigmoid":
            A = 1 / (1 + np.exp(-Z))
        elif act == "tanh":
            A = np.tanh(Z)
        elif act == "relu":
            A = np.maximum(Z, 0)
        elif act == "softmax":
            e = np.exp(Z - Z.max(axis=0, keepdims=True))
            A = e / e.sum(axis=0, keepdims=True)
        else:
            A = Z
    return A


with tempfile.TemporaryDirectory() as work:
    # Three classes with string labels, features on very different scales.
    rng = np.random.RandomState(0)
    rows = []
    for j in range(150):
        c = j % 3
        x = rng.randn(4) + np.array([c, -c, 0.5 * c, 0]) * 1.5
        x[3] = x[3] * 100 + 50
        rows.append(",".join("%.6f" % v for v in x) + "," + ["red", "green", "blue"][c])
    data = os.path.join(work, "data.csv")
    with open(data, "w") as f:
        f.write("f1,f2,f3,f4,colour\n" + "\n".join(rows) + "\n")
    model = os.path.join(work, "m.safetensors")
    r = subprocess.run([BIN, "train", "--data", data, "--hidden", "7,5", "--activation", "tanh",
                        "--epochs", "30", "--batch", "16", "--lr", "0.2", "--normalize",
                        "--quiet", "--save", model], capture_output=True, text=True)
    check(r.returncode == 0, "cltrain train --save (%s)" % r.stderr.strip())

    tensors, meta = load(model)
    check(meta.get("layers") == "4,7,5,3", "metadata layers %r" % meta.get("layers"))
    check(meta.get("classes") == "blue\ngreen\nred", "metadata classes %r" % meta.get("classes"))
    X = np.array([[float(v) for v in row.split(",")[:4]] for row in rows]).T
    A = forward(tensors, meta, X)
    names = meta["classes"].split("\n")
    numpy_classes = [names[i] for i in A.argmax(axis=0)]

    out = os.path.join(work, "p.csv")
    r = subprocess.run([BIN, "predict", "--model", model, "--data", data, "--output", out,
                        "--quiet"], capture_output=True, text=True)
    check(r.returncode == 0, "cltrain predict (%s)" % r.stderr.strip())
    lines = open(out).read().splitlines()
    check(lines[0] == "class,p_blue,p_green,p_red", "prediction header %r" % lines[0])
    got = [line.split(",") for line in lines[1:]]
    check(len(got) == 150, "150 prediction rows")
    check([g[0] for g in got] == numpy_classes, "numpy's classes equal cltrain predict's")
    probs = np.array([[float(v) for v in g[1:]] for g in got]).T
    worst = float(np.max(np.abs(probs - A)))
    check(worst < 1e-5, "probabilities agree with numpy within 1e-5 (largest difference %.2g)"
          % worst)

    # Broken variants.
    blob = open(model, "rb").read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])

    def variant(name, change):
        h = json.loads(json.dumps(header))
        body = change(h)
        text = json.dumps(h).encode()
        text += b" " * (-(len(text)) % 8)
        path = os.path.join(work, name)
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", len(text)) + text + (body if body is not None
                                                            else blob[8 + n:]))
        return path

    def drop_b2(h):
        # remove b2 and its bytes, shifting the later tensors' offsets
        begin, end = h["b2"]["data_offsets"]
        del h["b2"]
        for k, v in h.items():
            if k != "__metadata__" and v["data_offsets"][0] >= end:
                v["data_offsets"] = [v["data_offsets"][0] - (end - begin),
                                     v["data_offsets"][1] - (end - begin)]
        data_part = blob[8 + n:]
        return data_part[:begin] + data_part[end:]

    def reshape_w1(h):
        h["W1"]["shape"] = [4, 7]

    def newer(h):
        h["__metadata__"]["format_version"] = "99"

    cases = [
        ("missing.safetensors", variant("missing.safetensors", drop_b2), "b2"),
        ("shape.safetensors", variant("shape.safetensors", reshape_w1), "W1"),
        ("newer.safetensors", variant("newer.safetensors", newer), "version"),
    ]
    trunc = os.path.join(work, "truncated.safetensors")
    open(trunc, "wb").write(blob[: len(blob) - 10])
    cases.append(("truncated.safetensors", trunc, ""))
    notst = os.path.join(work, "notes.safetensors")
    open(notst, "wb").write(b"this is a text file, not a model\n")
    cases.append(("notes.safetensors", notst, ""))

    for name, path, word in cases:
        r = subprocess.run([BIN, "eval", "--model", path, "--data", data], capture_output=True,
                           text=True)
        err = r.stderr.strip()
        ok = (r.returncode != 0 and name in err and word in err and "\n" not in err
              and r.stdout == "")
        check(ok, "eval refuses %s: %s" % (name, err))

sys.exit(1 if failures else 0)
