#!/usr/bin/env python3
"""Reads a safetensors file with numpy and the standard library alone (no
cltrain code): 8-byte little-endian header length, JSON header, raw data.
As a module: load(path) -> (tensors, metadata).  As a program: prints each
tensor as `NAME INDEX VALUE` lines (%.17g), for shell tests."""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": "<f4", "F64": "<f8"}


def load(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    base = 8 + n
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        arr = np.frombuffer(blob[base + begin:base + end], dtype=DTYPES[info["dtype"]])
        tensors[name] = arr.reshape(info["shape"]).astype(np.float64)
    return tensors, meta


if __name__ == "__main__":
    tensors, meta = load(sys.argv[1])
    for name, arr in tensors.items():
        for i, x in enumerate(arr.flatten()):
            print(f"{name} {i} {x:.17g}")
