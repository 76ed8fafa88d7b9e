#!/usr/bin/env bash
# Runs one test program under the Oclgrind simulator:
#
#   oclgrind.sh [OCLGRIND OPTIONS...] -- PROGRAM [ARGS...]
#
# The program runs in small mode (CLTRAIN_TEST_SMALL=1: small sizes, few
# iterations) on Oclgrind's own OpenCL platform.  The verdict is strict: the
# program must exit 0 and nothing at all may appear on stderr, because
# Oclgrind reports races, invalid accesses, uninitialised values, API misuse
# and instructions it cannot simulate on stderr while letting the program
# exit 0.  (Its --log option is not used: each new OpenCL context truncates
# the log file, so a program that opens two contexts loses the first one's
# reports.)  Exit 0 passed, 1 failed, 77 skipped (no oclgrind).
set -u
if ! command -v oclgrind >/dev/null; then
    echo "skipped: oclgrind not installed (scripts/deps checks)"
    exit 77
fi

opts=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
[ $# -gt 1 ] || { echo "usage: oclgrind.sh [OPTIONS...] -- PROGRAM [ARGS...]" >&2; exit 2; }
shift

err=$(mktemp)
trap 'rm -f "$err"' EXIT
CLTRAIN_TEST_SMALL=1 CLTRAIN_DEVICE= oclgrind "${opts[@]}" "$@" 2>"$err"
rc=$?
reports=$(grep -c '^[^[:space:]]' "$err")
if [ "$rc" -ne 0 ] || [ -s "$err" ]; then
    head -n 60 "$err" >&2
    echo "FAIL: $(basename "$1") under oclgrind ${opts[*]}: exit status $rc, $reports line(s) of" \
         "reports on stderr" >&2
    exit 1
fi
echo "ok: $(basename "$1") under oclgrind ${opts[*]}: no reports"
exit 0
