#!/usr/bin/env python3
"""compare_weights.py MODEL EXPECTED REL: every value of EXPECTED (lines
`NAME INDEX VALUE`) must match the same element of the safetensors MODEL
within REL relative error.  Prints the largest error; exits 1 on a miss."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from read_safetensors import load  # noqa: E402

tensors, meta = load(sys.argv[1])
rel = float(sys.argv[3])
worst, bad = 0.0, 0
for line in open(sys.argv[2]):
    name, index, value = line.split()
    got = tensors[name].flatten()[int(index)]
    want = float(value)
    err = abs(got - want) / max(abs(want), 1e-300)
    worst = max(worst, err)
    if not err <= rel:
        bad += 1
        print(f"{name}[{index}]: saved {got!r}, numpy {want!r}, relative error {err:.3g}",
              file=sys.stderr)
print(f"largest relative error {worst:.3g} (bound {rel:g})")
sys.exit(1 if bad else 0)
