#!/usr/bin/env bash
# Real data, first contact: breast_cancer.csv as it lies in ../shared/data
# (a header line of another shape), a 30-16-1 sigmoid net on standardised
# inputs, full batch, every step checked against the CPU reference; the
# training accuracy must reach 0.95.  Then the saved model is read back by
# `cltrain eval`, which must report the same accuracy.
source "$(dirname "$0")/lib.sh"

file=$DATA/breast_cancer.csv
[ -n "$DATA" ] && [ -r "$file" ] || skip "breast_cancer.csv not found (../shared/data absent)"
"$BIN" devices >/dev/null 2>&1 || skip "no OpenCL device"

if ! "$BIN" train --data "$file" --hidden 16 --epochs 200 --lr 0.5 --normalize --verify \
     --every 50 --save "$WORK/bc.safetensors" >"$WORK/out" 2>"$WORK/err"; then
  fail "training failed: $(cat "$WORK/err")"
  verdict
fi
cat "$WORK/out"
grep '^verify' "$WORK/err" && pass "--verify passed on every step" || fail "no verify line"
acc=$(tail -n 1 "$WORK/out" | sed -n 's/.*  accuracy \([0-9.]*\).*/\1/p')
awk -v a="$acc" 'BEGIN { exit !(a >= 0.95) }' \
  && pass "training accuracy $acc >= 0.95" || fail "training accuracy '$acc' < 0.95"

eval_acc=$("$BIN" eval --model "$WORK/bc.safetensors" --data "$file" --quiet | sed -n 's/^accuracy //p')
[ "$eval_acc" = "$acc" ] && pass "eval of the saved model reports $eval_acc" \
  || fail "eval reports '$eval_acc', training reported '$acc'"
verdict
