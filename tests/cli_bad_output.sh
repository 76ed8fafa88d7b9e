#!/usr/bin/env bash
# Outputs that cannot be written: --save, --metrics (train) and --output
# (predict) into a folder that does not exist and under a regular file
# (/etc/passwd/x: refused even to root, where chmod would not be).  Each must
# exit 1 with one line naming the path and print nothing on stdout.  Then an
# existing file at an output path must come through a failed run unchanged.
source "$(dirname "$0")/lib.sh"

"$BIN" devices >/dev/null 2>&1 || skip "no OpenCL device"
printf '0.5,2,0\n3.5,4,1\n1.5,5,0\n2.5,1,1\n' >"$WORK/ok.csv"
printf '0.5,2,0\n3.5,nan,1\n' >"$WORK/nan.csv"
ok="$WORK/ok.csv"
"$BIN" train --data "$ok" --epochs 2 --save "$WORK/m.safetensors" --quiet \
  || fail "training the model for the checks failed"

for bad in "$WORK/no/such/folder/out" "/etc/passwd/out"; do
  expect_error "--save $bad" 1 "$bad: cannot create" -- \
    "$BIN" train --data "$ok" --epochs 1 --quiet --save "$bad"
  expect_error "--metrics $bad" 1 "$bad: cannot create" -- \
    "$BIN" train --data "$ok" --epochs 1 --quiet --metrics "$bad"
  expect_error "predict --output $bad" 1 "$bad: cannot create" -- \
    "$BIN" predict --model "$WORK/m.safetensors" --data "$ok" --output "$bad"
done

# An existing file at the output path, and a run that fails.
keep() { printf 'existing %s\n' "$1" >"$WORK/$1"; }
kept() {  # kept NAME CHECK: the file still holds what keep wrote
  if [ "$(cat "$WORK/$1" 2>/dev/null)" = "existing $1" ]; then
    pass "$2: the existing $1 is unchanged"
  else
    fail "$2: the existing $1 was replaced or removed"
  fi
}
keep model.st; keep metrics.csv; keep pred.csv
"$BIN" train --data "$WORK/nan.csv" --save "$WORK/model.st" --metrics "$WORK/metrics.csv" \
  --quiet >/dev/null 2>&1 && fail "training on nan.csv succeeded"
kept model.st "train on bad data"
kept metrics.csv "train on bad data"
"$BIN" train --data "$ok" --epochs 1 --save "$WORK/model.st" --metrics "$WORK/nofolder/m.csv" \
  --quiet >/dev/null 2>&1 && fail "train with an unwritable --metrics succeeded"
kept model.st "train with an unwritable --metrics"
"$BIN" predict --model "$WORK/m.safetensors" --data "$WORK/nan.csv" --output "$WORK/pred.csv" \
  >/dev/null 2>&1 && fail "predict on nan.csv succeeded"
kept pred.csv "predict on bad data"
"$BIN" predict --model "$WORK/nofile.st" --data "$ok" --output "$WORK/pred.csv" \
  >/dev/null 2>&1 && fail "predict with a missing model succeeded"
kept pred.csv "predict with a missing model"

# A run whose --save cannot be written is refused before it trains, and
# leaves an existing --metrics file as it was.
"$BIN" train --data "$ok" --epochs 1 --save "$WORK/nofolder/m.st" --metrics "$WORK/metrics.csv" \
  --quiet >/dev/null 2>&1 && fail "train with an unwritable --save succeeded"
kept metrics.csv "train with an unwritable --save"
verdict
