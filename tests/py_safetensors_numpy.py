#!/usr/bin/python3
"""Checks cltrain's safetensors files against an independent reader: Python's
json module and numpy.

    py_safetensors_numpy.py FILE          reads FILE, written by test_safetensors
                                          with CLTRAIN_ST_OUT=FILE, and checks it
    py_safetensors_numpy.py               the same, running the test_safetensors
                                          program found beside $CLTRAIN_BIN
    py_safetensors_numpy.py --make-fixture OUT
                                          writes tests/data/st_python.safetensors,
                                          which test_safetensors reads

Exits 0 when the file matches, 1 when it does not, 77 (skipped) when numpy or
the test program is missing.  Needs a python3 with numpy (/usr/bin/python3
on the development machine; the pyenv python3 on PATH has none).
"""
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

DTYPES = {"F32": np.dtype("<f4"), "F64": np.dtype("<f8")}


def read_safetensors(path):
    """Returns ({name: array}, metadata, names in data order)."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    assert (8 + n) % 8 == 0, "data do not start 8-byte aligned"
    data = blob[8 + n:]
    meta = header.pop("__metadata__", {})
    tensors, spans = {}, []
    for name, info in header.items():
        begin, end = info["data_offsets"]
        arr = np.frombuffer(data[begin:end], dtype=DTYPES[info["dtype"]])
        tensors[name] = arr.reshape(info["shape"])
        spans.append((begin, end, name))
    spans.sort()
    at = 0
    for begin, end, name in spans:
        assert begin == at, "hole or overlap before %r" % name
        at = end
    assert at == len(data), "bytes after the last tensor"
    return tensors, meta, [name for _, _, name in spans]


def check_c_file(path):
    """The content test_safetensors.c writes (see make_tensors/make_meta)."""
    tensors, meta, order = read_safetensors(path)
    odd = 'layer "2"\\W \u00e9'
    want = {
        "W1": np.array([-1.0, 0.1, 2.5, -0.0, 1e-30, 3.4e38], dtype="<f4").reshape(3, 2),
        "b1": np.array([0.1, -2.0, 1e300], dtype="<f8").reshape(3, 1),
        "s": np.array(3.25, dtype="<f8"),
        "x4": np.array([1, 2, 3, 4], dtype="<f4").reshape(2, 1, 2, 1),
        "empty": np.zeros((0, 5), dtype="<f4"),
        odd: np.array([1.5, -1.5], dtype="<f8"),
    }
    failures = []
    if order != ["W1", "b1", "s", "x4", "empty", odd]:
        failures.append("data order %r" % order)
    for name, w in want.items():
        got = tensors.get(name)
        if got is None or got.dtype != w.dtype or got.shape != w.shape \
                or got.tobytes() != w.tobytes():
            failures.append("tensor %r: got %r, want %r" % (name, got, w))
    want_meta = {"format": "pt", "note": 'two\nlines\t"q" \\ \x01 \u00fc', "empty": ""}
    if meta != want_meta:
        failures.append("metadata %r, want %r" % (meta, want_meta))
    for f in failures:
        print("FAIL:", f)
    print("%s: %s" % (path, "mismatch" if failures else "matches numpy's reading"))
    return 1 if failures else 0


def make_fixture(path):
    """Lays a file out as the reference safetensors library does: metadata
    first, tensors sorted by dtype (largest first) then name, compact JSON
    (here with ensure_ascii, so non-ASCII text arrives as \\u escapes), padded
    with spaces to a multiple of 8."""
    arrays = {
        "weight": (np.arange(6, dtype="<f4") * np.float32(0.5) - np.float32(1.0)).reshape(2, 3),
        "bias": np.array([0.1, 0.2, -0.3], dtype="<f8"),
        "scalar": np.array(3.25, dtype="<f8"),
    }
    meta = {"source": "numpy", "\u00fcn\u00ef": 'v\u00e4lue "q" \u20ac \U0001F600'}
    order = sorted(arrays, key=lambda k: (-arrays[k].dtype.itemsize, k))
    header, offset, data = {"__metadata__": meta}, 0, b""
    for name in order:
        raw = arrays[name].tobytes()
        header[name] = {"dtype": "F64" if arrays[name].dtype.itemsize == 8 else "F32",
                        "shape": list(arrays[name].shape),
                        "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode("ascii")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)
    print("wrote", path)
    return 0


def run_c_writer():
    """Runs test_safetensors from the build folder to get a file to check."""
    bin_path = os.environ.get("CLTRAIN_BIN", "")
    program = os.path.join(os.path.dirname(bin_path), "tests", "test_safetensors")
    if not bin_path or not os.access(program, os.X_OK):
        print("skipped: test_safetensors not found (set CLTRAIN_BIN or pass a file)")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "c.safetensors")
        env = dict(os.environ, CLTRAIN_ST_OUT=out)
        subprocess.run([program], env=env, check=True, stdout=subprocess.DEVNULL)
        return check_c_file(out)


def main(argv):
    if len(argv) == 3 and argv[1] == "--make-fixture":
        return make_fixture(argv[2])
    if len(argv) == 2:
        return check_c_file(argv[1])
    return run_c_writer()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
