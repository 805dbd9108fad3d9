#!/usr/bin/env bash
# Scaling harness: time per firm-quarter and memory per firm of `ipsim run mic2025` against the
# number of firms (10,000 to 1,000,000) and threads, and the share of a run's wall time spent
# outside the quarter's phases (setup, HDF5 output, exit). Prints a Markdown table for
# docs/performance.md. The phase time comes from `ipsim run --profile` (results are identical with
# or without it); firm-quarters are the firms alive in each quarter, summed.
# Usage: bench/scaling.sh [BUILD_DIR] [QUARTERS] [FIRM COUNTS...]
#   bench/scaling.sh build 16                      # 10k, 30k, 100k, 300k, 1M firms, 16 quarters
#   bench/scaling.sh build 84 20000 500000         # chosen sizes, the whole horizon
set -euo pipefail
build=${1:-build}
quarters=${2:-16}
shift $(( $# > 2 ? 2 : $# ))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 30000 100000 300000 1000000)
ipsim="$build/ipsim"
[ -x "$ipsim" ] || { echo "scaling: no ipsim program at $ipsim (build first)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "scaling: needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "| firms (start) | threads | quarters | firm-quarters | wall (s) | phases (s) | ns / firm-quarter (phases) | outside phases | peak RSS (MB) | bytes / initial firm |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for firms in "${sizes[@]}"; do
  for threads in 1 2; do
    /usr/bin/time -f "%e %M" -o "$out/time" "$ipsim" run mic2025 -o "$out/r.h5" --threads "$threads" --quiet --profile \
      --set "firms.count=$firms" --set "time.quarters=$quarters" > "$out/profile"
    rm -f "$out/r.h5"
    read -r wall kb < "$out/time"
    firm_quarters=$(sed -n 's/^Time per phase ([0-9]* quarters, \([0-9]*\) firm-quarters)$/\1/p' "$out/profile")
    phases=$(awk '/^ all phases/ {print $3}' "$out/profile")
    awk -v f="$firms" -v t="$threads" -v q="$quarters" -v fq="$firm_quarters" -v w="$wall" -v p="$phases" -v kb="$kb" 'BEGIN {
      printf "| %d | %d | %d | %d | %.2f | %.2f | %.0f | %.0f%% | %d | %.0f |\n",
             f, t, q, fq, w, p, 1e9 * p / fq, 100 * (w - p) / w, kb / 1024, kb * 1024 / f }'
  done
done
