#!/usr/bin/env bash
# Bad command lines, one check per kind: an unknown option, a missing value,
# numbers out of range (--lr -1, --batch -1, --hidden 0, --epochs 0, not a
# number, not a whole number) and a bad --precision.  Each must exit 2 with
# one line on stderr naming the option, and print nothing on stdout.  None
# needs a device: every one is refused before the data or the device is
# touched.
source "$(dirname "$0")/lib.sh"

printf '0.5,2,0\n3.5,4,1\n1.5,5,0\n2.5,1,1\n' >"$WORK/ok.csv"
ok="$WORK/ok.csv"

expect_error "unknown option" 2 "unknown option '--bogus'" -- "$BIN" train --data "$ok" --bogus
expect_error "unknown command" 2 "unknown command 'trian'" -- "$BIN" trian --data "$ok"
expect_error "missing value at the end" 2 "--data needs a value" -- "$BIN" train --data
expect_error "missing value before an option" 2 "--hidden needs a value" -- \
  "$BIN" train --data "$ok" --hidden --epochs 3
expect_error "--lr -1" 2 "--lr: -1 is out of range" -- "$BIN" train --data "$ok" --lr -1
expect_error "--lr 0" 2 "--lr: 0 is out of range" -- "$BIN" train --data "$ok" --lr 0
expect_error "--lr nan" 2 "--lr: 'nan' is not a number" -- "$BIN" train --data "$ok" --lr nan
expect_error "--batch -1" 2 "--batch: -1 is out of range" -- "$BIN" train --data "$ok" --batch -1
expect_error "--batch 2.5" 2 "--batch: '2.5' is not a whole number" -- \
  "$BIN" train --data "$ok" --batch 2.5
expect_error "--hidden 0" 2 "--hidden: width 0 is out of range" -- \
  "$BIN" train --data "$ok" --hidden 0
expect_error "--hidden 16,0" 2 "--hidden: width 0 is out of range" -- \
  "$BIN" train --data "$ok" --hidden 16,0
expect_error "--hidden 16," 2 "--hidden: '16,' ends with a comma" -- \
  "$BIN" train --data "$ok" --hidden 16,
expect_error "--hidden abc" 2 "--hidden: 'abc' is not a list of widths" -- \
  "$BIN" train --data "$ok" --hidden abc
expect_error "--epochs 0" 2 "--epochs: 0 is out of range" -- "$BIN" train --data "$ok" --epochs 0
expect_error "--epochs 1e99" 2 "--epochs: 1e99 is out of range" -- \
  "$BIN" train --data "$ok" --epochs 1e99
expect_error "--seed -1" 2 "--seed: -1 is out of range" -- "$BIN" train --data "$ok" --seed -1
expect_error "--split 1" 2 "--split: 1 is out of range" -- "$BIN" train --data "$ok" --split 1
expect_error "--precision half" 2 "--precision: 'half' is not float or double" -- \
  "$BIN" train --data "$ok" --precision half
expect_error "--activation softmax (hidden)" 2 "--activation: 'softmax'" -- \
  "$BIN" train --data "$ok" --activation softmax
expect_error "no --data" 2 "--data FILE is required" -- "$BIN" train --epochs 3
expect_error "xor --iterations -1" 2 "--iterations" -- "$BIN" xor --iterations -1
expect_error "eval without --model" 2 "--model FILE and --data FILE are required" -- \
  "$BIN" eval --data "$ok"
verdict
