#!/usr/bin/env bash
# One post through the whole CLI (process start, config lookup, parse, every default rule), as
# a pre-commit hook runs it: mean wall time over N runs of the release binary.
#     bash benches/hook.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
cargo build --release --quiet
post=fixtures/rules/FM002-front-matter-not-at-start/bad.md
start=$(date +%s%N)
for _ in $(seq "$runs"); do
  ./target/release/artlint --format concise --exit-zero "$post" >/dev/null
done
end=$(date +%s%N)
echo "one file through the CLI: $(( (end - start) / runs / 1000 )) µs mean over $runs runs"
