#!/usr/bin/env bash
# artlint against issue 9's floor in instructions (callgrind: repeatable on a shared, noisy
# machine, where wall-time ratios swing by a tenth from run to run), on a 2,000-file sample of
# the benchmark corpus, single-threaded:
#   floor    every file read, its front matter split and parsed with serde-saphyr, its body
#            parsed with html5ever (examples/html5ever_floor.rs --with-yaml: the steps of the
#            divan bench floor_with_html5ever_parse)
#   artlint  every default rule, --no-cache --threads 1 --format concise
# Usage: bash scripts/bench/instructions.sh   (needs valgrind; builds the sample if missing)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
sample_and_floor
floor=$(instructions target/release/examples/html5ever_floor "$SAMPLE" --with-yaml)
artlint=$(instructions target/release/artlint --no-cache --threads 1 --format concise "$SAMPLE")
python3 - "$floor" "$artlint" "$(git rev-parse --short HEAD)" <<'PY'
import sys
floor, artlint, rev = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
print(f"instructions on corpus-2000 at {rev} (callgrind, one thread):")
print(f"  floor (read, split, serde-saphyr, html5ever)  {floor / 1e9:.3f} G")
print(f"  artlint, every default rule                  {artlint / 1e9:.3f} G")
print(f"  ratio {artlint / floor:.2f}x (target 1.3x: {'met' if artlint / floor <= 1.3 else 'not met'})")
PY
