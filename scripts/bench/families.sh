#!/usr/bin/env bash
# Where artlint's time goes, by rule family: the benchmark corpus linted with the core rules
# (front matter, dates, encoding, files) and the HTML rules, which together do the floor's work
# (read, split, parse the front matter, parse every body with html5ever), then with each other
# family added alone, then with every default rule; all in one hyperfine run, so the
# differences are of one moment. What a family adds over the core and HTML rules is its cost.
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
CORE=FM,DT,ENC,IO,HTML
lint() { printf '%q ' "$ARTLINT" --no-cache --threads "$THREADS" --format concise -o /dev/null "$@" corpus-20000; }

# hyperfine ignores exit statuses (artlint's 1 means findings): a selection artlint refuses
# (status 2) must stop the script, not be timed as a fast run.
for select in "$CORE" "$CORE,IMG" "$CORE,BP" "$CORE,CORPUS001,CORPUS003" "$CORE,CORPUS004" "$CORE,CORPUS"; do
  status=0
  "$ARTLINT" --no-cache --format concise -o /dev/null --select "$select" corpus-2000 || status=$?
  (( status <= 1 )) || { echo "families.sh: artlint refused --select $select (exit $status)" >&2; exit 1; }
done
say "timing the rule families on corpus-20000 ($RUNS runs each)"
hyperfine --style basic --ignore-failure --warmup 1 --runs "$RUNS" --export-json results/families.json \
  -n "core+HTML" "$(lint --select "$CORE")" \
  -n "IMG" "$(lint --select "$CORE,IMG")" \
  -n "BP" "$(lint --select "$CORE,BP")" \
  -n "CORPUS001,003" "$(lint --select "$CORE,CORPUS001,CORPUS003")" \
  -n "CORPUS004" "$(lint --select "$CORE,CORPUS004")" \
  -n "CORPUS" "$(lint --select "$CORE,CORPUS")" \
  -n "every default rule" "$(lint)" >&2
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

TABLE=$(python3 - results/families.json <<'EOF'
import json, sys
runs = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
base = runs["core+HTML"]["mean"]
what = {
    "core+HTML": "front matter, dates, encoding, files, HTML: the floor's work",
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

The core and HTML rules do what the floor does (the divan bench \`floor_with_html5ever_parse\`
against \`artlint_core_and_html_rules\`); what each other family adds is the gap to the floor.
<!-- families:end -->
EOF
)
publish_section families "## By rule family"
