# Sourced by the bench scripts: the repo (made the working folder), the scratch folder
# ($BENCH_SCRATCH, default /tmp/artlint-bench, made absolute), the thread count
# ($BENCH_THREADS, default nproc), messages, and corpora built once.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
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
