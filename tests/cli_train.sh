#!/usr/bin/env bash
# `cltrain train` as a user meets it, on data generated here:
#  - the output layer follows the data and says it was chosen;
#  - --metrics writes the documented header and one row per epoch, accuracy
#    columns empty for regression and test columns empty without test data;
#  - --quiet prints nothing;
#  - a loss that becomes NaN stops training naming the epoch, suggests a
#    smaller --lr, exits non-zero, and the last good model is still saved;
#  - training --verify passes with mini-batches, softmax, tanh and relu.
source "$(dirname "$0")/lib.sh"
"$BIN" devices >/dev/null 2>&1 || skip "no OpenCL device"

awk 'BEGIN { for (i = 0; i < 200; i++) { x = sin(i * 0.7); y = cos(i * 1.9);
  printf "%.6f,%.6f,%s\n", x, y, (x + y > 0.3 ? "up" : (x > 0 ? "left" : "down")) } }' >"$WORK/cls.csv"
awk 'BEGIN { for (i = 0; i < 200; i++) { x = sin(i * 0.7); y = cos(i * 1.9);
  printf "%.6f,%.6f,%.6f\n", x, y, 100 * x * y + 3.25 } }' >"$WORK/reg.csv"

"$BIN" train --data "$WORK/cls.csv" --hidden 8 --epochs 3 --batch 17 --split 0.25 \
  --metrics "$WORK/cls_metrics.csv" >"$WORK/out" 2>"$WORK/err" || fail "classification run failed"
grep -q "output softmax (categorical cross-entropy), chosen from the data" "$WORK/err" \
  && pass "three string classes: softmax chosen and said" || fail "no softmax choice line: $(cat "$WORK/err")"
[ "$(head -n 1 "$WORK/cls_metrics.csv")" = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds" ] \
  && pass "metrics header" || fail "metrics header: $(head -n 1 "$WORK/cls_metrics.csv")"
[ "$(wc -l <"$WORK/cls_metrics.csv")" -eq 4 ] && pass "one metrics row per epoch" \
  || fail "metrics rows: $(wc -l <"$WORK/cls_metrics.csv")"
awk -F, 'NR > 1 && ($3 == "" || $4 == "" || $5 == "") { bad = 1 } END { exit bad }' \
  "$WORK/cls_metrics.csv" && pass "classification with a split fills every column" \
  || fail "empty columns in $(cat "$WORK/cls_metrics.csv")"

"$BIN" train --data "$WORK/reg.csv" --hidden 8 --epochs 2 --normalize --metrics "$WORK/reg_metrics.csv" \
  >"$WORK/out" 2>"$WORK/err" || fail "regression run failed"
grep -q "output linear (mean squared error), chosen from the data" "$WORK/err" \
  && pass "real-valued target: linear output chosen" || fail "no linear choice line"
awk -F, 'NR > 1 && !($3 == "" && $4 == "" && $5 == "") { bad = 1 } END { exit bad }' \
  "$WORK/reg_metrics.csv" && pass "regression without test data: accuracy and test columns empty" \
  || fail "regression metrics: $(cat "$WORK/reg_metrics.csv")"

out=$("$BIN" train --data "$WORK/cls.csv" --hidden 4 --epochs 2 --quiet 2>&1)
[ -z "$out" ] && pass "--quiet prints nothing" || fail "--quiet printed: $out"

# A learning rate that makes the loss overflow in the first epoch: nothing to
# keep, and an existing file at --save stays as it was.
echo "existing" >"$WORK/nan.safetensors"
rc=0
"$BIN" train --data "$WORK/reg.csv" --hidden 8 --epochs 30 --batch 4 --lr 1000 \
  --save "$WORK/nan.safetensors" >"$WORK/out" 2>"$WORK/err" || rc=$?
if [ "$rc" -eq 0 ]; then
  fail "lr 1000 on a regression: training did not stop"
else
  grep -Eq "epoch 1: the training loss became (NaN|infinite).*smaller --lr" "$WORK/err" \
    && pass "non-finite loss in epoch 1: $(grep -o 'epoch [0-9]*: the training loss became [a-zA-Z]*' "$WORK/err")" \
    || fail "non-finite loss message: $(cat "$WORK/err")"
  [ "$(cat "$WORK/nan.safetensors")" = existing ] && pass "no good epoch: --save left as it was" \
    || fail "no good epoch, yet --save was replaced"
fi

# Full batch, relu, lr 4: finite for four epochs, then the loss overflows.
# The model of the last good epoch is saved: its loss, evaluated afresh, is
# the one printed for that epoch.
rc=0
"$BIN" train --data "$WORK/reg.csv" --hidden 8 --activation relu --epochs 300 --lr 4 \
  --save "$WORK/good.safetensors" >"$WORK/out" 2>"$WORK/err" || rc=$?
bad=$(sed -n 's/.*epoch \([0-9]*\): the training loss became.*/\1/p' "$WORK/err")
if [ "$rc" -eq 0 ] || [ -z "$bad" ] || [ "$bad" -lt 2 ]; then
  fail "lr 4 relu: expected a non-finite loss after a good epoch (rc $rc): $(cat "$WORK/err")"
else
  printed=$(sed -n "s/^epoch $((bad - 1))  loss \([0-9.]*\).*/\1/p" "$WORK/out")
  loss=$("$BIN" eval --model "$WORK/good.safetensors" --data "$WORK/reg.csv" --quiet \
         | sed -n 's/^loss //p')
  [ -n "$printed" ] && [ "$loss" = "$printed" ] \
    && pass "stopped at epoch $bad; the saved model is epoch $((bad - 1))'s (loss $loss)" \
    || fail "saved model loss '$loss', epoch $((bad - 1)) printed '$printed'"
fi

for act in tanh relu sigmoid; do
  "$BIN" train --data "$WORK/cls.csv" --hidden 9,5 --activation $act --epochs 3 --batch 13 \
    --verify --quiet 2>"$WORK/err" && pass "--verify, $act hidden, softmax output, batch 13" \
    || fail "--verify with $act: $(cat "$WORK/err")"
done
"$BIN" train --data "$WORK/reg.csv" --hidden 7 --epochs 3 --batch 32 --normalize --verify \
  --precision double --quiet 2>"$WORK/err" && pass "--verify, linear output, double" \
  || fail "--verify regression: $(cat "$WORK/err")"
# Values beyond float's range are refused in float precision, naming the
# file and the sample; --precision double takes them.
printf '3,4,1\n1e39,2,0\n5,6,0\n7,1,1\n' >"$WORK/big.csv"
expect_error "a value beyond float" 1 "big.csv: sample 2 has feature 1 = 1e\+39" -- \
  "$BIN" train --data "$WORK/big.csv" --epochs 1 --quiet
"$BIN" train --data "$WORK/big.csv" --epochs 1 --quiet --precision double --normalize \
  && pass "--precision double takes 1e39" || fail "--precision double refused 1e39"

expect_error "--save and --metrics the same file" 2 "same file" -- \
  "$BIN" train --data "$WORK/cls.csv" --epochs 1 --save "$WORK/same" --metrics "$WORK/same"
verdict
