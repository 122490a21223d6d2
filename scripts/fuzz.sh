#!/usr/bin/env bash
# Fuzzes JSON → plan → rules → DOCX and PDF for a bounded time and fails on any crash.
#
#   scripts/fuzz.sh [SECONDS]     (default 120)
#
# Uses cargo-fuzz (libFuzzer + AddressSanitizer). cargo-fuzz needs nightly compiler flags; on the
# stable toolchain RUSTC_BOOTSTRAP=1 lets them through. The corpus starts from the samples, the
# fixtures and the starter plans; new inputs go to fuzz/corpus/plan (not committed), crashes to
# fuzz/artifacts/plan/. Exit status: 0 when the time ran out with no crash, non-zero otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-120}"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
mkdir -p fuzz/corpus/plan
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
echo "== fuzzing for ${SECS} s"
set +e
cargo fuzz run plan fuzz/corpus/plan samples tests/fixtures src/plan/starter -- \
  -max_total_time="$SECS" -dict=fuzz/plan.dict -max_len=65536 -timeout=20 -rss_limit_mb=4096 \
  -print_final_stats=1 2>&1 | tee "$LOG" | grep -E "^#[0-9]+\s+(INITED|DONE)|Done |ERROR|panicked|SUMMARY|stat::" 
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  echo "== the fuzzer stopped with status $status (a crash, a timeout or an out-of-memory); see fuzz/artifacts/plan/" >&2
  tail -n 60 "$LOG" >&2
  exit "$status"
fi
echo "== no crash in ${SECS} s"
