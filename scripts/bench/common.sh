# Sourced by the bench scripts: the repo (made the working folder), the scratch folder
# ($BENCH_SCRATCH, default /tmp/artlint-bench, made absolute), the thread count
# ($BENCH_THREADS, default nproc), messages, and corpora built once.

REPO=$(CDPATH='' cd -- "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The script that sourced this file, before the working folder changes under a relative path.
SCRIPT=$(CDPATH='' cd -- "$(dirname "${BASH_SOURCE[1]}")" && pwd)/$(basename "${BASH_SOURCE[1]}")
cd "$REPO"
SCRATCH=${BENCH_SCRATCH:-/tmp/artlint-bench}
THREADS=${BENCH_THREADS:-$(nproc)}
mkdir -p "$SCRATCH/results"
SCRATCH=$(cd "$SCRATCH" && pwd)
MAKE_CORPUS="$REPO/../shared/bench/make-corpus.py"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# build_once DIR COMMAND...: run COMMAND (which writes DIR) unless DIR.done says DIR was built.
# The marker sits beside the folder, not inside it: a corpus must not lint it.
build_once() {
  local dir=$1
  shift
  [[ -f "$dir.done" ]] && return
  say "building $dir"
  rm -rf "$dir"
  "$@"
  touch "$dir.done"
}

# make_corpus N: $SCRATCH/corpus-N, from ../shared/bench/make-corpus.py.
make_corpus() {
  local dir="$SCRATCH/corpus-$1"
  [[ -f "$dir.done" ]] && return
  [[ -f "$MAKE_CORPUS" ]] || { echo "missing $MAKE_CORPUS (the shared/ folder beside the repo)" >&2; exit 1; }
  build_once "$dir" python3 "$MAKE_CORPUS" "$dir" --files "$1"
}

# instructions COMMAND...: the instructions COMMAND executes (callgrind; repeatable on a shared,
# noisy machine). artlint exits 1 when it finds something: not a failure.
instructions() {
  command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
  { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

# sample_and_floor: the 2,000-post sample ($SAMPLE) and the release builds of artlint and of the
# floor program (examples/html5ever_floor.rs) that the instruction counts run.
sample_and_floor() {
  make_corpus 2000
  SAMPLE="$SCRATCH/corpus-2000"
  cargo build --release --locked --quiet
  cargo build --release --locked --quiet --example html5ever_floor
}

# no_write_option ARGS...: WRITE=1, or 0 with --no-write; --help prints the script's header.
no_write_option() {
  local script=$SCRIPT arg
  WRITE=1
  for arg in "$@"; do
    case "$arg" in
      --no-write) WRITE=0 ;;
      -h|--help) sed -n '2,/^set -euo/p' "$script" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) echo "$(basename "$script"): unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
  done
}

# release_artlint: $ARTLINT (default target/release/artlint, built when missing), made
# absolute, and $REV, the commit it is measured at.
release_artlint() {
  ARTLINT=${ARTLINT:-target/release/artlint}
  if [[ ! -x "$ARTLINT" ]]; then
    say "building artlint (cargo build --release --locked)"
    cargo build --release --locked
  fi
  ARTLINT=$(cd "$(dirname "$ARTLINT")" && pwd)/$(basename "$ARTLINT")
  REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
}

# publish_section NAME HEADING: print $SECTION, and unless --no-write put it into BENCHMARKS.md
# between its NAME markers (under HEADING when it has none yet).
publish_section() {
  echo
  echo "$SECTION"
  if (( WRITE )); then
    printf '%s\n' "$SECTION" | python3 "$REPO/scripts/bench/put-section.py" "$REPO/BENCHMARKS.md" "$1" "$2"
    say "updated $REPO/BENCHMARKS.md"
  fi
}
