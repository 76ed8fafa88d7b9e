#!/usr/bin/env bash
# Bad data files, one check per kind: missing, empty, binary, ragged, NaN,
# Inf, a word where a number belongs, a folder; then, with a model saved from
# good data, files whose labels are outside the model's classes or whose
# feature count differs from the model's (eval and predict).  Each must exit
# non-zero with one line naming the file (and the line where there is one),
# and print nothing on stdout.
source "$(dirname "$0")/lib.sh"

# x1,x2,label rows; fractional first values, so no line reads as a header
printf '0.5,2,0\n3.5,4,1\n1.5,5,0\n2.5,1,1\n' >"$WORK/ok.csv"
: >"$WORK/empty.csv"
head -c 4096 "$BIN" >"$WORK/binary.csv"
printf '0.5,2,0\n3.5,4,1\n1.5,5,6,1\n' >"$WORK/ragged.csv"
printf '0.5,2,0\n3.5,nan,1\n' >"$WORK/nan.csv"
printf '0.5,2,0\n3.5,4,1\n1.5,-inf,0\n' >"$WORK/inf.csv"
printf '0.5,2,0\n3.5,four,1\n' >"$WORK/word.csv"
printf '0.5,2,0\n3.5,1e999,1\n' >"$WORK/overflow.csv"
mkdir "$WORK/folder.csv"

for cmd in train; do
  expect_error "missing file" 1 "$WORK/missing.csv: cannot open" -- \
    "$BIN" $cmd --data "$WORK/missing.csv"
  expect_error "empty file" 1 "$WORK/empty.csv: empty" -- "$BIN" $cmd --data "$WORK/empty.csv"
  expect_error "binary file" 1 "$WORK/binary.csv:1: binary data" -- \
    "$BIN" $cmd --data "$WORK/binary.csv"
  expect_error "ragged rows" 1 "$WORK/ragged.csv:3: expected 3 fields, found 4" -- \
    "$BIN" $cmd --data "$WORK/ragged.csv"
  expect_error "NaN" 1 "$WORK/nan.csv:2: field 2 is NaN or infinite" -- \
    "$BIN" $cmd --data "$WORK/nan.csv"
  expect_error "-inf" 1 "$WORK/inf.csv:3: field 2 is NaN or infinite" -- \
    "$BIN" $cmd --data "$WORK/inf.csv"
  expect_error "number too large (1e999)" 1 "$WORK/overflow.csv:2: field 2" -- \
    "$BIN" $cmd --data "$WORK/overflow.csv"
  expect_error "a word" 1 "$WORK/word.csv:2: field 2 is not a number: 'four'" -- \
    "$BIN" $cmd --data "$WORK/word.csv"
  expect_error "a folder" 1 "$WORK/folder.csv" -- "$BIN" $cmd --data "$WORK/folder.csv"
done

# With a model trained on ok.csv (2 features, classes 0 and 1).
"$BIN" devices >/dev/null 2>&1 || skip "no OpenCL device for the eval and predict checks"
"$BIN" train --data "$WORK/ok.csv" --epochs 2 --save "$WORK/m.safetensors" --quiet \
  || fail "training the model for the checks failed"
printf '0.5,2,0\n3.5,4,7\n' >"$WORK/label7.csv"
printf '0.5,2,3,0\n3.5,4,3,1\n' >"$WORK/three.csv"
for cmd in eval predict; do
  expect_error "$cmd: label outside the model's classes" 1 \
    "$WORK/label7.csv has a label '7' that is not one of the model's 2 classes" -- \
    "$BIN" $cmd --model "$WORK/m.safetensors" --data "$WORK/label7.csv"
  expect_error "$cmd: another feature count" 1 \
    "$WORK/three.csv has 3 features but the model $WORK/m.safetensors expects 2" -- \
    "$BIN" $cmd --model "$WORK/m.safetensors" --data "$WORK/three.csv"
  expect_error "$cmd: bad data file" 1 "$WORK/nan.csv:2" -- \
    "$BIN" $cmd --model "$WORK/m.safetensors" --data "$WORK/nan.csv"
done
verdict
