#!/usr/bin/env python3
"""Draws cltrain's training throughput from `cltrain bench --json` (a full run,
without --quick): samples/s against batch size for 784-256-256-10, and
against hidden width for 784-W-10 at batch 128.  Float figures only.

  plot.py cltrain.json out.png
"""
import json
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt


def main():
    res = json.load(open(sys.argv[1]))
    tr = [r for r in res["train"] if r["precision"] == "float"]
    by_batch = sorted((r["batch"], r["samples_per_s"]) for r in tr
                      if r["layers"] == "784,256,256,10")
    by_width = sorted((int(r["layers"].split(",")[1]), r["samples_per_s"]) for r in tr
                      if r["batch"] == 128 and r["layers"].startswith("784,")
                      and r["layers"].count(",") == 2)
    fig, (a, b) = plt.subplots(1, 2, figsize=(8, 3.2))
    a.plot(*zip(*by_batch), "o-")
    a.set(xscale="log", yscale="log", xlabel="batch size", ylabel="samples/s",
          title="784-256-256-10")
    if by_width:
        b.plot(*zip(*by_width), "o-")
    b.set(xscale="log", yscale="log", xlabel="hidden width W", ylabel="samples/s",
          title="784-W-10, batch 128")
    fig.suptitle(f"cltrain training throughput, float, {res['device']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=80)


if __name__ == "__main__":
    main()
