# Shared by the tests/cli_*.sh scripts: sourced, not run.
# A script's exit status is its verdict: 0 passed, 1 failed, 77 skipped.
set -u
BIN=${CLTRAIN_BIN:?CLTRAIN_BIN must name the cltrain program}
TESTS=${CLTRAIN_TESTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
DATA=${CLTRAIN_DATA:-}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
skip() { echo "skipped: $*"; exit 77; }

# A python3 that has numpy (Debian's /usr/bin/python3 first), or empty.
numpy_python() {
  for py in /usr/bin/python3 python3; do
    if command -v "$py" >/dev/null && "$py" -c 'import numpy' 2>/dev/null; then
      echo "$py"; return
    fi
  done
}

# expect_error NAME STATUS PATTERN -- COMMAND...: the command must exit with
# STATUS (or any non-zero when STATUS is "nz"), print one line to stderr
# matching PATTERN (grep -E), and nothing on stdout.
expect_error() {
  local name=$1 want=$2 pattern=$3
  shift 4
  local out err rc
  out=$("$@" 2>"$WORK/stderr") && rc=0 || rc=$?
  err=$(cat "$WORK/stderr")
  if [ "$rc" -eq 0 ] || { [ "$want" != nz ] && [ "$rc" -ne "$want" ]; }; then
    fail "$name: exit status $rc, wanted $want; stderr: $err"
  elif ! grep -Eq -- "$pattern" <<<"$err"; then
    fail "$name: stderr does not match /$pattern/: $err"
  elif [ -n "$out" ]; then
    fail "$name: printed on stdout: $out"
  else
    pass "$name ($(head -c 160 <<<"$err" | head -n 1))"
  fi
}

verdict() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
  exit 0
}
