#!/usr/bin/env bash
# What the HTML family costs, in instructions (callgrind: repeatable on a shared, noisy
# machine), on a 2,000-file sample of the benchmark corpus, single-threaded:
#   core        artlint --select FM,DT,ENC,IO
#   core+HTML   artlint --select FM,DT,ENC,IO,HTML
#   floor       html5ever alone over every body (examples/html5ever_floor.rs, minus the same
#               program reading the files without parsing them)
# Usage: bash scripts/bench/html-overhead.sh   (needs valgrind; builds the corpus if missing)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
sample_and_floor
core=$(instructions target/release/artlint --no-cache --threads 1 --format concise --select FM,DT,ENC,IO "$SAMPLE")
html=$(instructions target/release/artlint --no-cache --threads 1 --format concise --select FM,DT,ENC,IO,HTML "$SAMPLE")
parsed=$(instructions target/release/examples/html5ever_floor "$SAMPLE")
read_only=$(instructions target/release/examples/html5ever_floor "$SAMPLE" --read-only)
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
