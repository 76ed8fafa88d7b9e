#!/usr/bin/env bash
# Real data sets from ../shared/data, each trained with the settings recorded
# in README.md and docs/results.md, must reach the figures they are known to
# reach (../shared/data/README.md lists what a plain numpy net reached).
# The test figure comes from `cltrain eval --json` on the saved model, i.e.
# from the file a user would keep, on the held-out data.
# Fashion-MNIST, the slow one, is tests/slow_fashion_mnist.sh (ctest -L slow).
source "$(dirname "$0")/lib.sh"
[ -n "$DATA" ] && [ -d "$DATA/fann" ] || skip "../shared/data absent"
"$BIN" devices >/dev/null 2>&1 || skip "no OpenCL device"

# check NAME KEY OP BOUND TRAIN-ARGS... -- EVAL-DATA-ARGS...
check() {
  local name=$1 key=$2 op=$3 bound=$4
  shift 4
  local train=() evalargs=()
  while [ "$1" != -- ]; do train+=("$1"); shift; done
  shift
  evalargs=("$@")
  local model="$WORK/$name.safetensors" t0=$SECONDS
  if ! "$BIN" train "${train[@]}" --quiet --save "$model" 2>"$WORK/err"; then
    fail "$name: training failed: $(cat "$WORK/err")"; return
  fi
  local json value
  json=$("$BIN" eval --model "$model" "${evalargs[@]}" --json) || { fail "$name: eval failed"; return; }
  value=$(sed -n "s/.*\"$key\": \([0-9.e+-]*\).*/\1/p" <<<"$json")
  if awk -v v="$value" -v b="$bound" -v op="$op" \
       'BEGIN { exit !((op == ">=" && v >= b) || (op == "<=" && v <= b)) }'; then
    pass "$name: test $key $value $op $bound ($((SECONDS - t0)) s)"
  else
    fail "$name: test $key $value, wanted $op $bound"
  fi
}

F=$DATA/fann
# The CSV sets have no test file: the run holds out a seeded 20% split
# itself, and the figure is the last epoch's test accuracy from --metrics.
split_check() {
  local name=$1 bound=$2
  shift 2
  local t0=$SECONDS out acc
  out=$("$BIN" train "$@" --split 0.2 --quiet --metrics "$WORK/$name.csv" 2>&1) \
    || { fail "$name: training failed: $out"; return; }
  acc=$(tail -n 1 "$WORK/$name.csv" | cut -d, -f5)
  if awk -v v="$acc" -v b="$bound" 'BEGIN { exit !(v >= b) }'; then
    pass "$name: test accuracy $acc >= $bound on a seeded 20% split ($((SECONDS - t0)) s)"
  else
    fail "$name: test accuracy $acc, wanted >= $bound"
  fi
}

split_check breast_cancer 0.96 --data "$DATA/breast_cancer.csv" --hidden 32 --epochs 50 \
  --batch 32 --lr 0.5 --normalize --seed 1
split_check iris 0.93 --data "$DATA/iris.csv" --hidden 8 --epochs 300 --batch 16 --lr 0.1 \
  --normalize --seed 1
split_check digits 0.96 --data "$DATA/digits.csv" --hidden 128 --activation tanh --epochs 60 \
  --batch 32 --lr 0.1 --normalize --seed 1

check mushroom accuracy ">=" 1.0 --data "$F/mushroom.train" --hidden 32 --epochs 50 --batch 32 \
  --lr 0.5 --seed 1 -- --data "$F/mushroom.test"
check thyroid accuracy ">=" 0.97 --data "$F/thyroid.train" --hidden 32 --epochs 100 --batch 32 \
  --lr 0.5 --normalize --seed 1 -- --data "$F/thyroid.test"
check soybean accuracy ">=" 0.90 --data "$F/soybean.train" --hidden 32 --epochs 100 --batch 16 \
  --lr 0.5 --normalize --seed 1 -- --data "$F/soybean.test"
check diabetes accuracy ">=" 0.74 --data "$F/diabetes.train" --hidden 16 --epochs 100 --batch 32 \
  --lr 0.1 --normalize --seed 1 -- --data "$F/diabetes.test"
check building mse "<=" 0.008 --data "$F/building.train" --hidden 32 --activation tanh \
  --epochs 200 --batch 16 --lr 0.05 --normalize --seed 1 -- --data "$F/building.test"
verdict
