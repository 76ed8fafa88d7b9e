#!/usr/bin/env bash
# Crashes and interruptions lose nothing:
#  - a run killed with SIGKILL after its first checkpoint, resumed with --resume,
#    ends with the same model, byte for byte, as the run left alone;
#  - SIGINT stops at a batch boundary (inside an epoch), writes a checkpoint,
#    says where, exits 130; resuming from it gives the same model again;
#  - the checkpoint is itself a model that `cltrain eval` reads.
# The data are generated here (a two-class problem of 3000 samples), so the
# test does not depend on ../shared/data.
source "$(dirname "$0")/lib.sh"
"$BIN" devices >/dev/null 2>&1 || skip "no OpenCL device"

awk 'BEGIN { print "a,b,c,label";
  for (i = 0; i < 3000; i++) { x = sin(i * 0.7) * 2; y = cos(i * 1.3); z = sin(i * 0.11);
    printf "%.6f,%.6f,%.6f,%d\n", x, y, z, (x * y + z > 0.1) } }' >"$WORK/data.csv"
args=(train --data "$WORK/data.csv" --hidden 12,6 --batch 8 --lr 0.3 --epochs 30 --seed 3
      --normalize --quiet)

"$BIN" "${args[@]}" --save "$WORK/whole.safetensors" || fail "the uninterrupted run failed"

# Waits (up to 60 s) for a file to appear.
wait_for() {
  for _ in $(seq 1200); do [ -f "$1" ] && return 0; sleep 0.05; done
  return 1
}

# SIGKILL a little after the first checkpoint is on disk, then resume.
"$BIN" "${args[@]}" --checkpoint "$WORK/run.ckpt" --save "$WORK/killed.safetensors" &
pid=$!
wait_for "$WORK/run.ckpt"
sleep 0.2
kill -KILL $pid 2>/dev/null && killed=yes || killed=no
wait $pid 2>/dev/null
if [ "$killed" = no ]; then
  fail "the run finished before it could be killed (make it longer)"
else
  # A kill while a checkpoint is being written may leave its temporary file,
  # never a half-written checkpoint: the one on disk must load whole.
  "$BIN" eval --model "$WORK/run.ckpt" --data "$WORK/data.csv" --quiet >/dev/null \
    && pass "the checkpoint left by the killed run is whole" \
    || fail "the checkpoint left by the killed run does not load"
  [ -f "$WORK/killed.safetensors" ] && fail "the killed run wrote its final model"
  "$BIN" "${args[@]}" --checkpoint "$WORK/run.ckpt" --resume "$WORK/run.ckpt" \
      --save "$WORK/killed.safetensors" || fail "resuming after SIGKILL failed"
  cmp -s "$WORK/whole.safetensors" "$WORK/killed.safetensors" \
    && pass "killed and resumed: the same model, byte for byte" \
    || fail "killed and resumed: the model differs from the uninterrupted run"
fi

# SIGINT once the first epoch's checkpoint is written: inside a later epoch.
"$BIN" "${args[@]}" --save "$WORK/int.safetensors" --checkpoint "$WORK/int.ckpt" \
    2>"$WORK/int.err" &
pid=$!
wait_for "$WORK/int.ckpt"
kill -INT $pid
wait $pid && rc=0 || rc=$?
if [ "$rc" -eq 0 ]; then
  fail "the run finished before SIGINT arrived (make it longer)"
else
  [ "$rc" -eq 130 ] && pass "SIGINT: exit status 130" || fail "SIGINT: exit status $rc"
  grep -q "checkpoint written to $WORK/int.ckpt" "$WORK/int.err" \
    && pass "SIGINT: $(grep -o 'interrupted.*' "$WORK/int.err" | head -1)" \
    || fail "SIGINT: no checkpoint message: $(cat "$WORK/int.err")"
  "$BIN" "${args[@]}" --resume "$WORK/int.ckpt" --save "$WORK/int.safetensors" \
    || fail "resuming after SIGINT failed"
  cmp -s "$WORK/whole.safetensors" "$WORK/int.safetensors" \
    && pass "interrupted and resumed: the same model, byte for byte" \
    || fail "interrupted and resumed: the model differs from the uninterrupted run"
fi

# Resuming with other options is refused, naming the difference.
expect_error "resume with another --lr" 1 "lr" -- \
  "$BIN" train --data "$WORK/data.csv" --hidden 12,6 --batch 8 --lr 0.2 --epochs 30 --seed 3 \
  --normalize --quiet --resume "$WORK/int.ckpt"
expect_error "resume without --normalize" 1 "normalize" -- \
  "$BIN" train --data "$WORK/data.csv" --hidden 12,6 --batch 8 --lr 0.3 --epochs 30 --seed 3 \
  --quiet --resume "$WORK/int.ckpt"
expect_error "resume with another --seed" 1 "seed" -- \
  "$BIN" train --data "$WORK/data.csv" --hidden 12,6 --batch 8 --lr 0.3 --epochs 30 --seed 4 \
  --normalize --quiet --resume "$WORK/int.ckpt"
expect_error "resume in double from a float run" 1 "precision float" -- \
  "$BIN" "${args[@]}" --precision double --resume "$WORK/int.ckpt"
expect_error "resume with --epochs already reached" 1 "already holds" -- \
  "$BIN" train --data "$WORK/data.csv" --hidden 12,6 --batch 8 --lr 0.3 --epochs 1 --seed 3 \
  --normalize --quiet --resume "$WORK/run.ckpt"
verdict
