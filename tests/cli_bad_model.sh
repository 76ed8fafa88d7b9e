#!/usr/bin/env bash
# Bad model files for eval and predict, one check per kind: missing,
# truncated (inside the header and inside the data), from a newer format
# (format_version edited in a copy), a safetensors file that is not a cltrain
# model, a data file given as the model, and an empty file.  Each must exit 1
# with one line naming the model file, and print nothing on stdout.
source "$(dirname "$0")/lib.sh"

"$BIN" devices >/dev/null 2>&1 || skip "no OpenCL device to train the model the checks edit"
py=$(numpy_python)
[ -n "$py" ] || py=python3

printf '0.5,2,0\n3.5,4,1\n1.5,5,0\n2.5,1,1\n' >"$WORK/ok.csv"
good="$WORK/good.safetensors"
"$BIN" train --data "$WORK/ok.csv" --hidden 3 --epochs 2 --save "$good" --quiet \
  || fail "training the model for the checks failed"
"$BIN" eval --model "$good" --data "$WORK/ok.csv" >/dev/null 2>&1 \
  || fail "the untouched model is refused"

size=$(stat -c %s "$good")
head -c 100 "$good" >"$WORK/cut_header.safetensors"
head -c $((size - 4)) "$good" >"$WORK/cut_data.safetensors"
: >"$WORK/empty.safetensors"

# Copies of the model with the header's metadata edited; the header stays
# valid JSON and the data are untouched.
edit() {  # edit OUT PYTHON-STATEMENT-ON-meta
  "$py" - "$good" "$1" "$2" <<'PY'
import json, struct, sys
src, out, stmt = sys.argv[1:]
b = open(src, "rb").read()
n = struct.unpack("<Q", b[:8])[0]
h = json.loads(b[8:8 + n])
meta = h["__metadata__"]
exec(stmt)
hb = json.dumps(h).encode()
hb += b" " * (-len(hb) % 8)
open(out, "wb").write(struct.pack("<Q", len(hb)) + hb + b[8 + n:])
PY
}
edit "$WORK/newer.safetensors" 'meta["format_version"] = "99"'
edit "$WORK/foreign.safetensors" 'del meta["format"]; del meta["format_version"]'
edit "$WORK/shapes.safetensors" 'meta["layers"] = "2,5,1"'

for cmd in eval predict; do
  m="$WORK/missing.safetensors"
  expect_error "$cmd: missing model" 1 "$m" -- "$BIN" $cmd --model "$m" --data "$WORK/ok.csv"
  for kind in cut_header cut_data empty; do
    m="$WORK/$kind.safetensors"
    expect_error "$cmd: model $kind" 1 "$m: " -- "$BIN" $cmd --model "$m" --data "$WORK/ok.csv"
  done
  m="$WORK/newer.safetensors"
  expect_error "$cmd: newer format" 1 "$m: model format version 99 is newer" -- \
    "$BIN" $cmd --model "$m" --data "$WORK/ok.csv"
  m="$WORK/foreign.safetensors"
  expect_error "$cmd: safetensors but not a cltrain model" 1 "$m: .*cltrain" -- \
    "$BIN" $cmd --model "$m" --data "$WORK/ok.csv"
  m="$WORK/shapes.safetensors"
  expect_error "$cmd: layers disagree with the tensors" 1 "$m: " -- \
    "$BIN" $cmd --model "$m" --data "$WORK/ok.csv"
  expect_error "$cmd: a CSV given as the model" 1 "$WORK/ok.csv: " -- \
    "$BIN" $cmd --model "$WORK/ok.csv" --data "$WORK/ok.csv"
done
verdict
