#!/usr/bin/env python3
"""Ratios cltrain/peer for scripts/bench, and the issue's targets checked.

  ratios.py cltrain.json peers.txt

peers.txt lines: "matmul PEER op m n k GFLOP/s", "train PEER layers batch
samples/s", "xor PEER seconds".  Prints one line per figure and one per
target, HELD or MISSED.
"""
import json
import sys


def main():
    res = json.load(open(sys.argv[1]))
    mm = {(r["op"], r["m"], r["n"], r["k"]): r["gflops"]
          for r in res["matmul"] if r["precision"] == "float"}
    tr = {(r["layers"], r["batch"]): r["samples_per_s"]
          for r in res["train"] if r["precision"] == "float"}
    peer_mm, peer_tr, xor = {}, {}, {}
    for line in open(sys.argv[2]):
        f = line.split()
        if f[0] == "matmul" and f[6] != "nan":
            peer_mm.setdefault(f[1], {})[(f[2], int(f[3]), int(f[4]), int(f[5]))] = float(f[6])
        elif f[0] == "train":
            peer_tr.setdefault(f[1], {})[(f[2], int(f[3]))] = float(f[4])
        elif f[0] == "xor":
            xor[f[1]] = float(f[2])

    for peer, table in sorted(peer_mm.items()):
        for key, g in table.items():
            if key in mm:
                print(f"matmul {key[0]} {key[1]}x{key[2]}x{key[3]}: cltrain {mm[key]:.1f}, "
                      f"{peer} {g:.1f} GFLOP/s, ratio {mm[key] / g:.2f}")
    for peer, table in sorted(peer_tr.items()):
        for key, s in table.items():
            if key in tr:
                print(f"train {key[0]} batch {key[1]}: cltrain {tr[key]:.0f}, {peer} {s:.0f} "
                      f"samples/s, ratio {tr[key] / s:.2f}")
    if "cltrain" in xor and "numpy" in xor:
        print(f"xor whole process: cltrain {xor['cltrain']:.3f} s, numpy {xor['numpy']:.3f} s, "
              f"ratio {xor['cltrain'] / xor['numpy']:.2f}")

    print("targets:")

    def verdict(name, ok, detail):
        print(f"  {'HELD  ' if ok else 'MISSED'} {name}: {detail}")

    net = [k for k in mm if k[1:] in ((256, 128, 784), (256, 784, 128), (784, 128, 256),
                                      (256, 128, 256), (256, 256, 128), (10, 128, 256),
                                      (10, 256, 128), (256, 128, 10), (128, 16384, 784),
                                      (128, 784, 16384), (784, 16384, 128))]
    net += [k for k in mm if k[1] == k[2] == k[3] == 1024]
    cb = peer_mm.get("clblast", {})
    worst = min(((mm[k] / cb[k], k) for k in net if k in cb), default=None)
    if worst:
        verdict("matmul >= 2x CLBlast on every net shape and 1024^2", worst[0] >= 2,
                f"lowest ratio {worst[0]:.2f} at {worst[1][0]} {worst[1][1]}x{worst[1][2]}x"
                f"{worst[1][3]}")
    sq = [mm[k] for k in mm if k[1] == k[2] == k[3] == 1024]
    if sq:
        frac = min(sq) / res["peak_gflops"]
        verdict("matmul >= 35% of FMA peak at 1024^2", frac >= 0.35,
                f"lowest of nn/nt/tn {100 * frac:.1f}% of {res['peak_gflops']:.1f} GFLOP/s")
    key = ("784,256,256,10", 128)
    if key in tr and key in peer_tr.get("numpy", {}):
        r = tr[key] / peer_tr["numpy"][key]
        verdict("training 784-256-256-10 batch 128 >= numpy+OpenBLAS", r >= 1, f"ratio {r:.2f}")
    if key in tr and key in peer_tr.get("fann", {}):
        r = tr[key] / peer_tr["fann"][key]
        verdict("training 784-256-256-10 batch 128 >= 20x FANN", r >= 20, f"ratio {r:.1f}")
    if "cltrain" in xor and "numpy" in xor:
        r = xor["cltrain"] / xor["numpy"]
        verdict("cltrain xor whole process <= 1/4 of numpy", r <= 0.25, f"ratio {r:.2f}")


if __name__ == "__main__":
    main()
