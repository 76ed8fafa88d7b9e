#!/usr/bin/env bash
# Fashion-MNIST, the full 60000 training and 10000 test images from
# ../shared/data/mnist/fashion (the same files as Debian's dataset-fashion-mnist),
# must reach 0.87 test accuracy with the settings README.md documents.
# Slow (minutes on two CPU cores): CTest label `slow`, run by `ctest -L slow`.
source "$(dirname "$0")/lib.sh"
M=$DATA/mnist/fashion
[ -n "$DATA" ] && [ -r "$M/train-images-idx3-ubyte.gz" ] || skip "Fashion-MNIST not found in ../shared/data"
"$BIN" devices >/dev/null 2>&1 || skip "no OpenCL device"

"$BIN" train --data "$M/train-images-idx3-ubyte.gz" --labels "$M/train-labels-idx1-ubyte.gz" \
  --hidden 256 --activation relu --batch 32 --lr 0.05 --epochs 15 --seed 1 --every 5 \
  --save "$WORK/fashion.safetensors" || { fail "training failed"; verdict; }
json=$("$BIN" eval --model "$WORK/fashion.safetensors" --data "$M/t10k-images-idx3-ubyte.gz" \
       --labels "$M/t10k-labels-idx1-ubyte.gz" --json)
acc=$(sed -n 's/.*"accuracy": \([0-9.]*\).*/\1/p' <<<"$json")
awk -v a="$acc" 'BEGIN { exit !(a >= 0.87) }' && pass "test accuracy $acc >= 0.87" \
  || fail "test accuracy '$acc' < 0.87 ($json)"
verdict
