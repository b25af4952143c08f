#!/usr/bin/env bash
# Where artlint's time goes, by rule family: the benchmark corpus linted with the default rules
# of the core families (front matter, dates, encoding, files, meta) and of the HTML family,
# which together do the floor's work (read, split, parse the front matter, parse every body
# with html5ever), then with each other family's default rules added alone, then with every
# default rule; all in one hyperfine run, so the differences are of one moment. What a family
# adds over the core and HTML rules is its cost. Families are left out with --ignore, which
# keeps the default selection: --select IMG would also turn on the image rules that are off by
# default (IMG009 alone makes 37,000 findings on this corpus), which a default run never pays.
#
#   bash scripts/bench/families.sh             # about a minute once the corpus exists
#   bash scripts/bench/families.sh --no-write  # print the section, leave BENCHMARKS.md alone
#
# Environment:
#   BENCH_SCRATCH  scratch folder (default /tmp/artlint-bench): corpus-20000, built with
#                  ../shared/bench/make-corpus.py when missing, and results
#   ARTLINT        artlint binary (default target/release/artlint, built when missing)
#   BENCH_RUNS     timed runs per command (default 8)
#   BENCH_THREADS  --threads given to artlint (default: nproc)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
no_write_option "$@"
RUNS=${BENCH_RUNS:-8}
command -v hyperfine >/dev/null || { echo "families.sh: needs hyperfine" >&2; exit 1; }

make_corpus 20000
make_corpus 2000
release_artlint
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

cd "$SCRATCH"
# What each row leaves out of the default rules.
CORE_ONLY=IMG,BP,CORPUS
lint() { printf '%q ' "$ARTLINT" --no-cache --threads "$THREADS" --format concise -o /dev/null "$@" corpus-20000; }

# hyperfine ignores exit statuses (artlint's 1 means findings): a selection artlint refuses
# (status 2) must stop the script, not be timed as a fast run.
IGNORED=("$CORE_ONLY" BP,CORPUS IMG,CORPUS IMG,BP,CORPUS002,CORPUS004,CORPUS005
  IMG,BP,CORPUS001,CORPUS002,CORPUS003,CORPUS005 IMG,BP)
for ignore in "${IGNORED[@]}"; do
  status=0
  "$ARTLINT" --no-cache --format concise -o /dev/null --ignore "$ignore" corpus-2000 || status=$?
  (( status <= 1 )) || { echo "families.sh: artlint refused --ignore $ignore (exit $status)" >&2; exit 1; }
done
say "timing the rule families on corpus-20000 ($RUNS runs each)"
hyperfine --style basic --ignore-failure --warmup 1 --runs "$RUNS" --export-json results/families.json \
  -n "core+HTML" "$(lint --ignore "${IGNORED[0]}")" \
  -n "IMG" "$(lint --ignore "${IGNORED[1]}")" \
  -n "BP" "$(lint --ignore "${IGNORED[2]}")" \
  -n "CORPUS001,003" "$(lint --ignore "${IGNORED[3]}")" \
  -n "CORPUS004" "$(lint --ignore "${IGNORED[4]}")" \
  -n "CORPUS" "$(lint --ignore "${IGNORED[5]}")" \
  -n "every default rule" "$(lint)" >&2
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

TABLE=$(python3 - results/families.json <<'EOF'
import json, sys
runs = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
base = runs["core+HTML"]["mean"]
what = {
    "core+HTML": "front matter, dates, encoding, files, meta, HTML: the floor's work",
    "IMG": "+ the image rules",
    "BP": "+ the boilerplate packs",
    "CORPUS001,003": "+ duplicate titles and slugs",
    "CORPUS004": "+ duplicate bodies (the text blocks, hashed)",
    "CORPUS": "+ every corpus rule",
    "every default rule": "all of the above",
}
print("| rules | what | wall time (s), mean ± sd | CPU time (s), user+sys | added to core+HTML (s) |")
print("|---|---|---:|---:|---:|")
for name, r in runs.items():
    added = "" if name == "core+HTML" else f"{r['mean'] - base:+.3f}"
    print(f"| {name} | {what[name]} | {r['mean']:.3f} ± {r['stddev'] or 0:.3f} | "
          f"{r['user'] + r['system']:.3f} | {added} |")
EOF
)

SECTION=$(cat <<EOF
<!-- families:begin -->
<!-- Written by scripts/bench/families.sh: edits between these markers are replaced on the next run. -->
### By rule family: $(date -u +%Y-%m-%d)

Command: \`bash scripts/bench/families.sh\` at $REV (BENCH_THREADS=$THREADS, BENCH_RUNS=$RUNS), $(hyperfine --version), \`corpus-20000\`, \`--no-cache\`.
Machine: $(nproc) cores; load average $LOAD_START at the start, $LOAD_END at the end.

$TABLE

Each row is the default rules less the families it leaves out (\`--ignore\`), so rules that are
off by default are in none of them. The core and HTML rules do what the floor does (the divan
bench \`floor_with_html5ever_parse\` against \`artlint_core_and_html_rules\`, which selects those
families whole, with their off-by-default rules); what each other family adds is the gap to
the floor.
<!-- families:end -->
EOF
)
publish_section families "## By rule family"
