#!/usr/bin/env bash
# Repeated runs are bit for bit the same: one mini-batch training job run
# twice on the same device and precision saves byte-identical models (cmp),
# and writes identical per-epoch losses.  breast_cancer.csv (--batch 32: 18
# shuffled batches per epoch, a short last one) when the public data are
# there, else a generated 200-sample fixture; float and double.
source "$(dirname "$0")/lib.sh"

"$BIN" devices >/dev/null 2>&1 || skip "no OpenCL device"
data="$DATA/breast_cancer.csv"
if [ ! -f "$data" ]; then
  data="$WORK/fixture.csv"
  awk 'BEGIN { for (j = 0; j < 200; j++) { s = "";
        for (i = 0; i < 12; i++) s = s sprintf("%.6f,", sin(j * 0.37 + i * 1.1) * (i + 1));
        print s (j * 7 % 3 == 0 ? 1 : 0) } }' >"$data"
fi

for p in float double; do
  for run in a b; do
    "$BIN" train --data "$data" --normalize --hidden 16,8 --batch 32 --epochs 5 --lr 0.3 \
      --seed 7 --precision $p --save "$WORK/$p.$run.safetensors" >"$WORK/$p.$run.out" \
      2>"$WORK/err" || { fail "$p run $run failed: $(tail -1 "$WORK/err")"; continue 2; }
  done
  if cmp "$WORK/$p.a.safetensors" "$WORK/$p.b.safetensors"; then
    pass "$p: the two saved models are identical ($(stat -c %s "$WORK/$p.a.safetensors") bytes)"
  else
    fail "$p: the two saved models differ"
  fi
  # the losses printed per epoch (the samples/s column differs, of course)
  if diff <(sed 's/  [0-9]* samples\/s//' "$WORK/$p.a.out") \
          <(sed 's/  [0-9]* samples\/s//' "$WORK/$p.b.out") >&2; then
    pass "$p: identical losses in every epoch"
  else
    fail "$p: the epochs' losses differ"
  fi
done
verdict
