#!/usr/bin/env bash
# What the HTML family costs, in instructions (callgrind: repeatable on a shared, noisy
# machine), on a 2,000-file sample of the benchmark corpus, single-threaded:
#   core        artlint --select FM,DT,ENC,IO
#   core+HTML   artlint --select FM,DT,ENC,IO,HTML
#   floor       html5ever alone over every body (examples/html5ever_floor.rs, minus the same
#               program reading the files without parsing them)
# Usage: bash scripts/bench/html-overhead.sh   (needs valgrind; builds the corpus if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=${BENCH_SCRATCH:-/tmp/artlint-bench}
sample="$scratch/corpus-2000"
if [ ! -d "$sample" ]; then
  python3 ../shared/bench/make-corpus.py "$sample" --files 2000
fi
cargo build --release --locked --quiet
cargo build --release --locked --quiet --example html5ever_floor
# Instructions executed by a command (artlint exits 1 when it finds something: not a failure).
count() {
  { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
core=$(count target/release/artlint --no-cache --threads 1 --format concise --select FM,DT,ENC,IO "$sample")
html=$(count target/release/artlint --no-cache --threads 1 --format concise --select FM,DT,ENC,IO,HTML "$sample")
parsed=$(count target/release/examples/html5ever_floor "$sample")
read_only=$(count target/release/examples/html5ever_floor "$sample" --read-only)
python3 - "$core" "$html" "$parsed" "$read_only" <<'PY'
import sys
core, html, parsed, read_only = map(int, sys.argv[1:])
floor = parsed - read_only  # html5ever's own work: the same files read and split, not parsed
extra = html - core
print(f"core rules            {core/1e6:8.0f} M instructions")
print(f"core + HTML rules     {html/1e6:8.0f} M  (+{100*extra/core:.0f}% over core)")
print(f"html5ever alone       {floor/1e6:8.0f} M  (the floor: {100*floor/core:.0f}% of core)")
print(f"HTML beyond the floor {(extra-floor)/1e6:8.0f} M  (+{100*(extra-floor)/core:.0f}% of core)")
PY
