#!/usr/bin/env bash
# A network or batch that does not fit the device is refused before anything
# is allocated: one line saying how much it needs, how much the device has
# and what to change, exit 1, nothing on stdout, no crash.  PoCL's
# POCL_MEMORY_LIMIT (a whole number of GiB; PoCL 3.1 then reports that much
# global memory and a quarter of it as the largest allocation) makes a small
# device of the CPU, so the checks are quick and allocate nothing big.
source "$(dirname "$0")/lib.sh"

POCL_MEMORY_LIMIT=1 "$BIN" devices >"$WORK/devices" 2>/dev/null
pocl=$(awk '/Portable Computing Language/ {print $1; exit}' "$WORK/devices")
[ -n "$pocl" ] || skip "no PoCL device"
mem=$(awk -v i="$pocl" '$1 == i' "$WORK/devices" | grep -o '[0-9]* MiB' | head -1)
[ "$mem" = "1024 MiB" ] || skip "POCL_MEMORY_LIMIT=1 is not honoured (the device reports $mem)"

# 4 samples of 2 features (the first line is a header: samples, features,
# class names)
printf '4,2,no,yes\n' >"$WORK/d.csv"
for j in 0 1 2 3; do printf '0.%d,1.%d,%d\n' $j $j $((j % 2)) >>"$WORK/d.csv"; done
export POCL_MEMORY_LIMIT=1 CLTRAIN_DEVICE=$pocl

# The whole of this net (553 MiB) fits, but its largest buffer, W2 (8500 x
# 8500 floats, 276 MiB), exceeds the 256 MiB largest allocation.
expect_error "one buffer over the largest allocation" 1 \
  "largest buffer 275\.6 MiB.* has 1024\.0 MiB \(largest allocation 256\.0 MiB\); use a" -- \
  "$BIN" train --data "$WORK/d.csv" --hidden 8500,8500 --epochs 1 --quiet
# W and dW of two 9000 x 9000 layers: 1236 MiB, more than the whole memory.
expect_error "the whole over the global memory" 1 \
  "needs [0-9.]+ MiB .* has 1024\.0 MiB .*; use a smaller --batch" -- \
  "$BIN" train --data "$WORK/d.csv" --hidden 9000,9000,9000 --epochs 1 --quiet
if [ -f "${DATA}/breast_cancer.csv" ]; then
  # 120000 units x 569 samples: Z, A and dZ of 260 MiB each.
  expect_error "a full batch too large" 1 "needs [0-9.]+ MiB .* has 1024\.0 MiB .*--batch" -- \
    "$BIN" train --data "$DATA/breast_cancer.csv" --hidden 120000 --epochs 1 --quiet
  # The same with --batch 64 fits.
  "$BIN" train --data "$DATA/breast_cancer.csv" --hidden 120000 --batch 64 --epochs 1 --quiet \
    && pass "the same network with --batch 64 fits" || fail "--batch 64 did not fit"
fi
verdict
