#!/usr/bin/env bash
# End-to-end harness: wall time and peak memory of whole `ipsim run`s, at 1 and 2 threads,
# for the default scenario and the full-scale one. Prints a Markdown table for
# docs/performance.md. Usage: bench/e2e.sh [BUILD_DIR] [REPEATS]
set -euo pipefail
build=${1:-build}
repeats=${2:-3}
ipsim="$build/ipsim"
[ -x "$ipsim" ] || { echo "e2e: no ipsim program at $ipsim (build first)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "e2e: needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "| scenario | threads | firms (start) | wall time, best of $repeats (s) | peak RSS (MB) |"
echo "| --- | --- | --- | --- | --- |"
for scenario in mic2025 mic2025_full; do
  firms=$("$ipsim" validate "$scenario" | sed -n 's/.* \([0-9]*\) firms.*/\1/p')
  for threads in 1 2; do
    best=""
    rss=0
    for _ in $(seq "$repeats"); do
      /usr/bin/time -f "%e %M" -o "$out/time" "$ipsim" run "$scenario" -o "$out/r.h5" --threads "$threads" --quiet
      read -r wall kb < "$out/time"
      if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; fi
      [ "$kb" -gt "$rss" ] && rss=$kb
    done
    echo "| $scenario | $threads | $firms | $best | $((rss / 1024)) |"
  done
done
