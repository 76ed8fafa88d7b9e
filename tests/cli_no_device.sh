#!/usr/bin/env bash
# The device-side failures of issue 2, each one line on stderr, exit 1,
# nothing on stdout: no OpenCL platform at all (the ICD loader pointed at an
# empty vendors folder: the hint names pocl-opencl-icd), a kernel program
# that fails to build (CLTRAIN_KERNEL_OPTIONS=-DREAL=no_such_type: the build
# log, the device and the options go to stderr), and --precision double on a
# device without fp64 (CLTRAIN_DISABLE_FP64=1), refused before any work.
source "$(dirname "$0")/lib.sh"

printf '0.5,2,0\n3.5,4,1\n1.5,5,0\n2.5,1,1\n' >"$WORK/ok.csv"
mkdir "$WORK/no_vendors"
for cmd in "devices" "xor" "train --data $WORK/ok.csv"; do
  expect_error "no platform: $cmd" 1 "no OpenCL platform found \(install pocl-opencl-icd" -- \
    env OCL_ICD_VENDORS="$WORK/no_vendors" OCL_ICD_FILENAMES= "$BIN" $cmd
done

"$BIN" devices >/dev/null 2>&1 || skip "no OpenCL device for the build and fp64 checks"

out=$(CLTRAIN_KERNEL_OPTIONS=-DREAL=no_such_type "$BIN" xor 2>"$WORK/err") && rc=0 || rc=$?
if [ "$rc" -ne 1 ] || [ -n "$out" ]; then
  fail "failed build: exit status $rc (wanted 1), stdout '$out'"
else
  grep -q -- "--- build log ---" "$WORK/err" || fail "failed build: no build log on stderr"
  grep -q "no_such_type" "$WORK/err" || fail "failed build: the log does not name the fault"
  grep -Eq "kernel build failed on device '.+' with options '.*-DREAL=no_such_type'" \
    "$WORK/err" || fail "failed build: device and options not named"
  grep -q "^cltrain xor: building the kernels for" "$WORK/err" \
    || fail "failed build: no closing one-line error"
  pass "failed build: log, device and options on stderr ($(wc -l <"$WORK/err") lines)"
fi

# Refused before any work: the data are loaded, but nothing is trained, and
# the files that would be written are not.
for cmd in "xor" "train --data $WORK/ok.csv --save $WORK/m.st --metrics $WORK/m.csv"; do
  expect_error "no fp64: $cmd" 1 "--precision double: device '.+' does not support double" -- \
    env CLTRAIN_DISABLE_FP64=1 "$BIN" $cmd --precision double
done
[ -e "$WORK/m.st" ] || [ -e "$WORK/m.csv" ] && fail "no fp64: an output file was written"
"$BIN" train --data "$WORK/ok.csv" --epochs 1 --save "$WORK/m.st" --quiet || fail "training failed"
expect_error "no fp64: eval --precision double" 1 "does not support double" -- \
  env CLTRAIN_DISABLE_FP64=1 "$BIN" eval --model "$WORK/m.st" --data "$WORK/ok.csv" \
  --precision double
verdict
