#!/usr/bin/env bash
# Time artlint against the tools users would otherwise combine, over the same corpus.
#
#   bash scripts/bench/peers.sh            # everything (about 10-20 min, plus installs)
#   bash scripts/bench/peers.sh --quick    # skip markdownlint-cli2 and html-validate (~100 s+ each)
#
# Run from anywhere inside the repo. What it does:
#   1. builds $SCRATCH/corpus-20000 and $SCRATCH/corpus-5000 with ../shared/bench/make-corpus.py
#      (unless already built);
#   2. installs the peers, pinned, into $SCRATCH/tools (never globally): htmlhint, html-validate,
#      markdownlint-cli2 (npm), rumdl (PyPI), lychee (crates.io, compiled: several minutes).
#      A tool whose install or smoke test fails is skipped, with the reason printed;
#   3. times each tool over the 20,000-file corpus with hyperfine (installed with apt-get when
#      missing and possible; else a loop around /usr/bin/time), plus a shell floor (cat);
#   4. measures artlint's peak RSS at 5,000 and 20,000 files with /usr/bin/time -f %M;
#   5. prints a Markdown table and writes it into BENCHMARKS.md between
#      <!-- peers:begin --> and <!-- peers:end --> (other text of the file is kept).
#
# Environment:
#   BENCH_SCRATCH   scratch folder (default /tmp/artlint-bench)
#   ARTLINT         artlint binary (default target/release/artlint; built with
#                   `cargo build --release --locked` only when that default is missing)
#   BENCH_THREADS   thread count given to the tools that take one (default: nproc)
#   BENCH_RUNS      timed runs for the fast tools (default 5; the slow ones get 1)
#   BENCH_INSTALL_TIMEOUT  seconds allowed per install step (default 3600)
#   BENCH_SKIP      tools not to install or time, space-separated (e.g. "lychee html-validate")
#   BENCH_NOTE      a sentence added to the BENCHMARKS.md section (e.g. a caveat about the machine)
#
# Options: --quick, --no-write (print the table, leave BENCHMARKS.md alone), -h/--help.
set -euo pipefail

# ---- pinned versions (reproducible runs) --------------------------------------------------
# html-validate 11.x and markdownlint-cli2 0.23+ need Node >= 22; these are the newest releases
# that run on Node 20 (Debian 12's nodejs / the machine's node v20). With Node >= 22 you may
# bump them, but then record the new versions here.
HTMLHINT_VERSION=1.9.2
HTML_VALIDATE_VERSION=10.9.0
MARKDOWNLINT_CLI2_VERSION=0.22.1
RUMDL_VERSION=0.3.0
LYCHEE_VERSION=0.24.2

# Figures from the issue, measured on the same kind of machine before artlint existed (s).
declare -A ISSUE=([floor]=0.30 [lychee]=2.2 [htmlhint]=3.0 [rumdl]=4.7 [markdownlint-cli2]=95 [html-validate]=103)

QUICK=0
WRITE=1
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --no-write) WRITE=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "peers.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS=${BENCH_RUNS:-5}
INSTALL_TIMEOUT=${BENCH_INSTALL_TIMEOUT:-3600}
mkdir -p "$SCRATCH/tools" "$SCRATCH/logs"
LOGS="$SCRATCH/logs"
RESULTS="$SCRATCH/results"
rm -f "$RESULTS"/*

warn() { printf 'peers.sh: %s\n' "$*" >&2; }

declare -A CMD VER SKIP
ORDER=(floor artlint lychee htmlhint rumdl markdownlint-cli2 html-validate)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 1. corpora ---------------------------------------------------------------------------
make_corpus 20000
make_corpus 5000

# ---- 2. artlint ---------------------------------------------------------------------------
ARTLINT_FROM_ENV=${ARTLINT:-}
if [[ -z "${ARTLINT:-}" ]]; then
  ARTLINT=target/release/artlint
  if [[ ! -x "$ARTLINT" ]]; then
    say "building artlint (cargo build --release --locked)"
    cargo build --release --locked
  fi
fi
[[ -x "$ARTLINT" ]] || { warn "ARTLINT=$ARTLINT is not an executable"; exit 1; }
ARTLINT=$(cd "$(dirname "$ARTLINT")" && pwd)/$(basename "$ARTLINT")
ARTLINT_REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n "$(git -C "$REPO" status --porcelain --untracked-files=no -- src Cargo.toml Cargo.lock 2>/dev/null)" ]]; then
  ARTLINT_REV="$ARTLINT_REV+dirty"
fi
VER[artlint]=$("$ARTLINT" --version | awk '{print $2}')
# The checkout's revision only describes the default binary; another one may come from elsewhere.
[[ -n "$ARTLINT_FROM_ENV" ]] || VER[artlint]+=" ($ARTLINT_REV)"

# ---- 3. peers, installed into $SCRATCH/tools ----------------------------------------------
skip() { SKIP[$1]=$2; warn "skipping $1: $2"; }

tail_log() { tail -n 15 "$1" | sed 's/^/    | /' >&2; }

NPM_DIR="$SCRATCH/tools/npm"
npm_version() {  # installed version of an npm package in $NPM_DIR, or nothing
  local pj="$NPM_DIR/node_modules/$1/package.json"
  [[ -f "$pj" ]] && node -e 'console.log(require(process.argv[1]).version)' "$pj" 2>/dev/null || true
}
install_npm() {
  local want=("htmlhint@$HTMLHINT_VERSION" "html-validate@$HTML_VALIDATE_VERSION"
              "markdownlint-cli2@$MARKDOWNLINT_CLI2_VERSION")
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    for t in htmlhint html-validate markdownlint-cli2; do skip "$t" "node/npm not found"; done
    return
  fi
  local spec missing=0
  for spec in "${want[@]}"; do
    [[ "$(npm_version "${spec%@*}")" == "${spec##*@}" ]] || missing=1
  done
  if (( missing )); then
    say "npm install --prefix $NPM_DIR ${want[*]}"
    if ! timeout "$INSTALL_TIMEOUT" npm install --prefix "$NPM_DIR" --no-audit --no-fund \
         --save-exact "${want[@]}" >"$LOGS/npm-install.log" 2>&1; then
      tail_log "$LOGS/npm-install.log"
    fi
    if grep -q EBADENGINE "$LOGS/npm-install.log"; then
      warn "npm reports an unsupported Node engine ($(node --version)); the smoke test decides"
    fi
  fi
  for spec in "${want[@]}"; do
    local name=${spec%@*}
    if [[ "$(npm_version "$name")" == "${spec##*@}" && -x "$NPM_DIR/node_modules/.bin/$name" ]]; then
      VER[$name]=${spec##*@}
    else
      skip "$name" "npm install failed (see $LOGS/npm-install.log)"
    fi
  done
}

PY_DIR="$SCRATCH/tools/py"
install_rumdl() {
  # rumdl ships a binary wheel: `pip install --target` puts the executable in $PY_DIR/bin.
  if [[ "$("$PY_DIR/bin/rumdl" --version 2>/dev/null)" != "rumdl $RUMDL_VERSION" ]]; then
    say "python3 -m pip install --target $PY_DIR rumdl==$RUMDL_VERSION"
    rm -rf "$PY_DIR"
    if ! timeout "$INSTALL_TIMEOUT" python3 -m pip install --quiet --disable-pip-version-check \
         --target "$PY_DIR" "rumdl==$RUMDL_VERSION" >"$LOGS/pip-install.log" 2>&1; then
      tail_log "$LOGS/pip-install.log"
      skip rumdl "pip install failed (see $LOGS/pip-install.log)"; return
    fi
  fi
  if [[ "$("$PY_DIR/bin/rumdl" --version 2>/dev/null)" == "rumdl $RUMDL_VERSION" ]]; then
    VER[rumdl]=$RUMDL_VERSION
  else
    skip rumdl "no working $PY_DIR/bin/rumdl after install"
  fi
}

CARGO_DIR="$SCRATCH/tools/cargo"
install_lychee() {
  if [[ "$("$CARGO_DIR/bin/lychee" --version 2>/dev/null)" != "lychee $LYCHEE_VERSION" ]]; then
    if ! command -v cargo >/dev/null; then skip lychee "cargo not found"; return; fi
    say "cargo install lychee --version $LYCHEE_VERSION --root $CARGO_DIR --locked (compiles: several minutes)"
    if ! timeout "$INSTALL_TIMEOUT" cargo install lychee --version "$LYCHEE_VERSION" \
         --root "$CARGO_DIR" --locked >"$LOGS/lychee-install.log" 2>&1; then
      tail_log "$LOGS/lychee-install.log"
      skip lychee "cargo install failed (see $LOGS/lychee-install.log)"; return
    fi
  fi
  if [[ "$("$CARGO_DIR/bin/lychee" --version 2>/dev/null)" == "lychee $LYCHEE_VERSION" ]]; then
    VER[lychee]=$LYCHEE_VERSION
  else
    skip lychee "no working $CARGO_DIR/bin/lychee after install"
  fi
}

for t in ${BENCH_SKIP:-}; do SKIP[$t]="BENCH_SKIP"; done
[[ -n "${SKIP[htmlhint]:-}" && -n "${SKIP[html-validate]:-}" && -n "${SKIP[markdownlint-cli2]:-}" ]] || install_npm
[[ -n "${SKIP[rumdl]:-}" ]] || install_rumdl
[[ -n "${SKIP[lychee]:-}" ]] || install_lychee

if ! command -v hyperfine >/dev/null && command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
  say "apt-get install hyperfine"
  { timeout 600 apt-get update && timeout 600 apt-get install -y hyperfine; } >"$LOGS/apt.log" 2>&1 \
    || warn "could not install hyperfine (see $LOGS/apt.log); timing with a /usr/bin/time loop"
fi

# ---- 4. what each tool runs (from $SCRATCH, on the same corpus) ----------------------------
# The corpus is 20,000 `.md` posts under YAML front matter; many bodies are HTML. Every tool gets
# all of them, with its own defaults (no config file exists under $SCRATCH):
#   - htmlhint: a folder argument only picks *.htm/*.html, so it gets a glob of the .md files;
#   - html-validate: `--ext md` on the folder, recommended preset, plain-text formatter;
#   - markdownlint-cli2, rumdl, lychee: Markdown is their own input;
#   - rumdl and artlint: their result caches are off, so every run does the work.
# Node tools run on one thread (they have no option for more). artlint gets --threads $THREADS;
# rumdl and lychee (no thread option in 0.24) use one thread per core, i.e. nproc.
C=corpus-20000
N=tools/npm/node_modules/.bin
CMD[floor]="find $C -type f -name '*.md' -exec cat {} + >/dev/null"
CMD[artlint]="artlint --no-cache --threads $THREADS --format concise $C"
CMD[lychee]="lychee --offline --no-progress $C"
CMD[htmlhint]="htmlhint --format unix '$C/**/*.md'"
CMD[rumdl]="rumdl check --no-cache --no-config --color never $C"
CMD[markdownlint-cli2]="markdownlint-cli2 '$C/**/*.md'"
CMD[html-validate]="html-validate --ext md --formatter text $C"
VER[floor]="coreutils $(cat --version | awk 'NR==1{print $NF}')"

# The shown command uses the bare tool name; the run one, the installed path.
declare -A BIN=([artlint]="$ARTLINT" [lychee]="$CARGO_DIR/bin/lychee" [htmlhint]="$N/htmlhint"
  [rumdl]="$PY_DIR/bin/rumdl" [markdownlint-cli2]="$N/markdownlint-cli2" [html-validate]="$N/html-validate")
run_cmd() {  # the command line actually run for a tool, on corpus $2 (default corpus-20000)
  local t=$1 c=${2:-$C} cmd=${CMD[$1]}
  [[ -n "${BIN[$t]:-}" ]] && cmd="${BIN[$t]}${cmd#"$t"}"
  printf '%s' "${cmd//$C/$c}"
}

if (( QUICK )); then
  SKIP[markdownlint-cli2]="--quick"; SKIP[html-validate]="--quick"
fi

cd "$SCRATCH"
# Smoke test on one post: a linter may exit 0 (clean) or 1 (findings); lychee exits 2 for broken
# links. Any other status means the tool does not run here (e.g. a Node too old for it).
declare -A OKRC=([lychee]="0 2")
SMOKE=$C/d0000/post-0000000.md
for t in "${ORDER[@]}"; do
  [[ -n "${SKIP[$t]:-}" || $t == floor ]] && continue
  one=$(run_cmd "$t" "$SMOKE"); one=${one//\/\*\*\/\*.md/}
  set +e; bash -c "$one" >"$LOGS/smoke-$t.log" 2>&1; rc=$?; set -e
  if [[ " ${OKRC[$t]:-0 1} " != *" $rc "* ]]; then
    tail_log "$LOGS/smoke-$t.log"
    skip "$t" "exits $rc on one post (see $LOGS/smoke-$t.log)"
  fi
done

# ---- 5. timing ------------------------------------------------------------------------------
runs_for() { case $1 in markdownlint-cli2|html-validate) echo 1 ;; floor) echo $((RUNS * 2)) ;; *) echo "$RUNS" ;; esac; }

bench() {  # writes "mean sd runs cpu" to $RESULTS/$1 (seconds; cpu = mean user + system time)
  local t=$1 runs cmd
  runs=$(runs_for "$t"); cmd=$(run_cmd "$t")
  say "timing $t ($runs run(s)): ${CMD[$t]}"
  if command -v hyperfine >/dev/null; then
    local warm=1; (( runs == 1 )) && warm=0
    hyperfine --style basic --ignore-failure --warmup "$warm" --runs "$runs" \
      --export-json "$RESULTS/$t.json" -- "$cmd >/dev/null 2>&1" >&2
    python3 - "$RESULTS/$t.json" >"$RESULTS/$t" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(r["mean"], r.get("stddev") or 0.0, len(r["times"]), r["user"] + r["system"])
EOF
  else
    bash -c "$cmd" >/dev/null 2>&1 || true   # warm-up (page cache)
    local i times=()
    for ((i = 0; i < runs; i++)); do
      /usr/bin/time -f '%e %U %S' -o "$RESULTS/$t.time" bash -c "$cmd" >/dev/null 2>&1 || true
      times+=("$(tail -n 1 "$RESULTS/$t.time")")
    done
    printf '%s\n' "${times[@]}" | awk '{s+=$1; q+=$1*$1; c+=$2+$3; n++} END {m=s/n; v=(n>1)?(q-n*m*m)/(n-1):0; if (v<0) v=0; printf "%.4f %.4f %d %.4f\n", m, sqrt(v), n, c/n}' >"$RESULTS/$t"
  fi
}

for t in "${ORDER[@]}"; do
  [[ -n "${SKIP[$t]:-}" ]] || bench "$t"
done

# ---- 6. artlint peak RSS --------------------------------------------------------------------
declare -A RSS
for n in 5000 20000; do
  best=0
  for _ in 1 2 3; do
    /usr/bin/time -f %M -o "$RESULTS/rss.tmp" \
      "$ARTLINT" --no-cache --threads "$THREADS" --format concise "corpus-$n" >/dev/null 2>&1 || true
    kb=$(tail -n 1 "$RESULTS/rss.tmp")
    if (( kb > best )); then best=$kb; fi
  done
  RSS[$n]=$best
  say "artlint peak RSS on corpus-$n: $((best / 1024)) MB"
done
FINDINGS=$("$ARTLINT" --no-cache --threads "$THREADS" --format concise "$C" 2>/dev/null | wc -l || true)

# ---- 7. the table -----------------------------------------------------------------------------
cd "$REPO"
TABLE=$(
  {
    for t in "${ORDER[@]}"; do
      if [[ -f "$RESULTS/$t" ]]; then
        printf '%s\t%s\t%s\t%s\t%s\n' "$t" "${VER[$t]:-?}" "${CMD[$t]}" "$(cat "$RESULTS/$t")" "${ISSUE[$t]:-}"
      else
        printf '%s\t%s\t%s\t-\t%s\t%s\n' "$t" "${VER[$t]:-?}" "${CMD[$t]}" "${ISSUE[$t]:-}" "${SKIP[$t]:-not run}"
      fi
    done
  } | python3 -c '
import sys
rows = [l.rstrip("\n").split("\t") for l in sys.stdin]
art = next((float(r[3].split()[0]) for r in rows if r[0] == "artlint" and r[3] != "-"), None)
print("| tool | version | command (run in $BENCH_SCRATCH) | wall time (s), mean ± sd | runs | CPU time (s), user+sys | ratio to artlint (wall) | issue figure (s) |")
print("|---|---|---|---:|---:|---:|---:|---:|")
def fmt(x):
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"
for r in rows:
    tool, ver, cmd = r[0], r[1], r[2].replace("|", "\\|")
    if r[3] == "-":
        print(f"| {tool} | {ver} | `{cmd}` | skipped: {r[5]} | 0 | | | {r[4]} |")
        continue
    mean, sd, n, cpu = r[3].split()
    mean, sd, cpu = float(mean), float(sd), float(cpu)
    spread = f"{fmt(mean)} ± {fmt(sd)}" if int(n) > 1 else f"{fmt(mean)}"
    ratio = "1x" if tool == "artlint" else (f"{mean / art:.1f}x" if art else "")
    if tool == "floor" and art:
        ratio = f"{mean / art:.2f}x"
    name = f"**{tool}**" if tool == "artlint" else tool
    print(f"| {name} | {ver} | `{cmd}` | {spread} | {n} | {fmt(cpu)} | {ratio} | {r[4]} |")
'
)

ratio() { python3 -c "import sys; a, b = sys.argv[1:]; print(f\"{float(a.split()[0]) / float(b.split()[0]):.1f}\")" "$(cat "$RESULTS/$1")" "$(cat "$RESULTS/artlint")"; }
verdict() { python3 -c "import sys; print('met' if float(sys.argv[1]) >= float(sys.argv[2]) else 'NOT met')" "$1" "$2"; }
TARGETS=""
if [[ -f "$RESULTS/artlint" ]]; then
  for pair in htmlhint:7 rumdl:10; do
    t=${pair%:*} want=${pair#*:}
    if [[ -f "$RESULTS/$t" ]]; then
      r=$(ratio "$t"); TARGETS+="- artlint vs $t: ${r}x faster (target ≥ ${want}x: $(verdict "$r" "$want"))"$'\n'
    else
      TARGETS+="- artlint vs $t: not measured (${SKIP[$t]:-})"$'\n'
    fi
  done
fi
R5=$((RSS[5000] / 1024)) R20=$((RSS[20000] / 1024))
RSS_OK=$( (( R20 < 200 )) && echo met || echo "NOT met")
TARGETS+="- artlint peak RSS: ${R5} MB at 5,000 files, ${R20} MB at 20,000 files (target < 200 MB: $RSS_OK; growth 5k→20k: $(python3 -c "print(f'{$R20 / max($R5, 1):.2f}x')"))"$'\n'
TARGETS+="- artlint findings on corpus-20000 (concise lines): $FINDINGS; the corpus is not clean, and findings are part of the work"$'\n'

CPU=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
MEM=$(awk '/^MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
INVOCATION="${ARTLINT_FROM_ENV:+ARTLINT=$ARTLINT_FROM_ENV }bash scripts/bench/peers.sh${*:+ $*}"
CAVEAT=""
if awk -v a="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN{exit !(a > n/4)}'; then
  CAVEAT="**Caveat:** the machine was busy when this ran (load average $LOAD_START at the start, $LOAD_END at the end, on $(nproc) cores): absolute times are inflated; read the ratios."
fi

SECTION=$(cat <<EOF
<!-- peers:begin -->
<!-- Written by scripts/bench/peers.sh: edits between these markers are replaced on the next run. -->
### Peers: $(date -u +%Y-%m-%d)

Command: \`$INVOCATION\` (BENCH_THREADS=$THREADS, BENCH_RUNS=$RUNS).
Machine: $(nproc) cores ($CPU), $MEM; load average $LOAD_START at the start, $LOAD_END at the end.
Corpus: \`corpus-20000\` (20,000 posts, $(du -sh --apparent-size "$SCRATCH/$C" | cut -f1), from \`make-corpus.py --files 20000\`, seed 17).
Timing: $(command -v hyperfine >/dev/null && hyperfine --version || echo "a loop around /usr/bin/time") (1 warm-up run for the fast tools, none for the 1-run ones); wall time, outputs to /dev/null; exit status 1 (findings) counts as a normal run.
${CAVEAT:+
$CAVEAT
}${BENCH_NOTE:+
$BENCH_NOTE
}
$TABLE

$TARGETS
<!-- peers:end -->
EOF
)
publish_section peers "## Peers"
