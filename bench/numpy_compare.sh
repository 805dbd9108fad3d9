#!/usr/bin/env bash
# ipsim against the vectorised NumPy version of its quarter (bench/numpy_reference.py), 1 thread,
# for issue 9's target "ipsim >= 10x faster than a vectorised NumPy version". Builds nothing.
# For each firm count it runs ipsim (`run mic2025 --threads 1 --quiet --profile`) and the NumPy
# reference alternately, ROUNDS times each, keeps the best of each, and prints a Markdown table
# for docs/performance.md. ipsim's time is the sum of its phases from --profile (setup and output
# excluded) and, separately, the whole run's wall time; the NumPy time covers its quarters only.
# Both divide by firm-quarters: rows present at the start of each quarter, summed.
# Usage: bench/numpy_compare.sh [BUILD_DIR] [QUARTERS] [FIRM COUNTS...]
#   bench/numpy_compare.sh build                  # 20,000, 100,000 and 500,000 firms, 84 quarters
#   bench/numpy_compare.sh build 8 20000          # a quick check
set -euo pipefail
build=${1:-build}
quarters=${2:-84}
shift $(( $# > 2 ? 2 : $# ))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(20000 100000 500000)
rounds=${ROUNDS:-2}
here=$(cd "$(dirname "$0")" && pwd)
ipsim="$build/ipsim"
python=${PYTHON:-/usr/bin/python3}
[ -x "$ipsim" ] || { echo "numpy_compare: no ipsim program at $ipsim (build first)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "numpy_compare: needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }
"$python" -c 'import numpy, yaml' || { echo "numpy_compare: $python needs numpy and yaml" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# best (smallest) of a list of numbers
best() { printf '%s\n' "$@" | sort -g | head -n 1; }

echo "| firms (start) | quarters | ipsim firm-quarters | ipsim ns / firm-quarter (phases) | ipsim wall, whole run (s) | NumPy firm-quarters | NumPy ns / firm-quarter | NumPy quarters (s) | NumPy / ipsim (phases) | NumPy / ipsim (whole run) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for firms in "${sizes[@]}"; do
  ip_ns=(); ip_wall=(); np_ns=(); np_s=()
  for ((r = 0; r < rounds; r++)); do
    /usr/bin/time -f "%e" -o "$out/time" "$ipsim" run mic2025 -o "$out/r.h5" --threads 1 --quiet --profile \
      --set "firms.count=$firms" --set "time.quarters=$quarters" > "$out/profile"
    rm -f "$out/r.h5"
    ip_fq=$(sed -n 's/^Time per phase ([0-9]* quarters, \([0-9]*\) firm-quarters)$/\1/p' "$out/profile")
    phases=$(awk '/^ all phases/ {print $3}' "$out/profile")
    ip_ns+=("$(awk -v p="$phases" -v fq="$ip_fq" 'BEGIN {printf "%.1f", 1e9 * p / fq}')")
    ip_wall+=("$(cat "$out/time")")
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
      "$python" "$here/numpy_reference.py" --firms "$firms" --quarters "$quarters" > "$out/numpy"
    np_fq=$(sed -n 's/^numpy reference: .*, \([0-9]*\) firm-quarters,.*$/\1/p' "$out/numpy")
    np_s+=("$(sed -n 's/^setup .*; quarters \([0-9.]*\) s;.*$/\1/p' "$out/numpy")")
    np_ns+=("$(sed -n 's/^.* \([0-9]*\) ns per firm-quarter$/\1/p' "$out/numpy")")
  done
  awk -v f="$firms" -v q="$quarters" -v ifq="$ip_fq" -v ins="$(best "${ip_ns[@]}")" -v iw="$(best "${ip_wall[@]}")" \
      -v nfq="$np_fq" -v nns="$(best "${np_ns[@]}")" -v ns="$(best "${np_s[@]}")" 'BEGIN {
    printf "| %d | %d | %d | %.0f | %.2f | %d | %.0f | %.2f | %.1f | %.1f |\n",
           f, q, ifq, ins, iw, nfq, nns, ns, nns / ins, nns / (1e9 * iw / ifq) }'
done
