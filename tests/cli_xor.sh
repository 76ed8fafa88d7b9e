#!/usr/bin/env bash
# `cltrain xor` is the notebook: its stdout equals the notebook's printed
# output character for character (tests/data/xor_notebook_output.txt, copied
# from the notebook), --verify passes in both precisions, and the saved
# weights equal those of the notebook's own code run with numpy
# (tests/numpy_xor.py, float64): to 1e-9 relative in double, 1e-4 in float.
source "$(dirname "$0")/lib.sh"

"$BIN" devices >/dev/null 2>&1 || skip "no OpenCL device"

"$BIN" xor >"$WORK/out" 2>"$WORK/err" || fail "cltrain xor exited non-zero: $(cat "$WORK/err")"
if cmp -s "$WORK/out" "$TESTS/data/xor_notebook_output.txt"; then
  pass "stdout is the notebook's output"
else
  fail "stdout differs from the notebook's output:"; diff "$TESTS/data/xor_notebook_output.txt" "$WORK/out" >&2
fi

for p in float double; do
  if "$BIN" xor --precision $p --verify --save "$WORK/xor_$p.safetensors" >"$WORK/out" 2>"$WORK/err"; then
    pass "xor --precision $p --verify: $(grep '^verify' "$WORK/err")"
  else
    fail "xor --precision $p --verify failed: $(cat "$WORK/err")"
  fi
  cmp -s "$WORK/out" "$TESTS/data/xor_notebook_output.txt" || fail "$p: stdout differs from the notebook"
done

py=$(numpy_python)
if [ -z "$py" ]; then
  echo "numpy not found: saved weights not compared with numpy (install python3-numpy)"
else
  # The committed expectations must still be what the notebook's code gives.
  # numpy's products go through whichever BLAS is installed (OpenBLAS fuses
  # multiply-adds, the reference BLAS does not), which moves the last bits:
  # a fresh run must agree to 1e-12 relative, far inside the 1e-9 bound below.
  "$py" "$TESTS/numpy_xor.py" --weights-only >"$WORK/numpy_weights" || fail "numpy_xor.py failed"
  if paste -d' ' "$WORK/numpy_weights" "$TESTS/data/xor_numpy_weights.txt" | awk '
       $1 != $4 || $2 != $5 { bad = 1 }
       { d = $3 - $6; if (d < 0) d = -d; a = $6 < 0 ? -$6 : $6; if (d > 1e-12 * a) bad = 1 }
       END { exit bad || NR != 9 }'; then
    pass "tests/data/xor_numpy_weights.txt agrees with a fresh numpy run (1e-12 relative)"
  else
    fail "tests/data/xor_numpy_weights.txt differs from a fresh numpy run"
  fi
  "$py" "$TESTS/numpy_xor.py" >"$WORK/numpy_out"
  cmp -s "$WORK/numpy_out" "$TESTS/data/xor_notebook_output.txt" \
    && pass "numpy prints the notebook's output" || fail "numpy's output differs from the notebook"
  for p in double:1e-9 float:1e-4; do
    prec=${p%%:*} bound=${p#*:}
    if msg=$("$py" "$TESTS/compare_weights.py" "$WORK/xor_$prec.safetensors" \
               "$TESTS/data/xor_numpy_weights.txt" "$bound" 2>&1); then
      pass "$prec weights vs numpy: $msg"
    else
      fail "$prec weights vs numpy: $msg"
    fi
  done
fi
verdict
