#!/usr/bin/env bash
# The pre-commit hooks as a site uses them: the real `pre-commit` tool (from PyPI) builds
# artlint from this checkout's HEAD (`language: rust`) and runs it on staged posts.
# Run by .ci/run; needs `pre-commit` on PATH and a committed HEAD.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$repo" rev-parse HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
# Reuse one target folder for the hook's `cargo install` across runs of this script.
export CARGO_TARGET_DIR="$repo/target/pre-commit"

cd "$work"
mkdir site && cd site
git init -q
git config user.email ci@example.org
git config user.name ci
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: artlint
      - id: artlint-fix
        stages: [manual]
YAML
printf -- '---\ntitle: A good post\ndate: 2021-05-22 12:02:19\n---\n\nText.\n' > good.md
printf -- '---\ntitle: A post without a date\n---\n\nText.\n' > no-date.md
printf -- '\n---\ntitle: A post after a blank line\ndate: 2021-05-22 12:02:19\n---\n\nText.\n' > blank-line.md
printf 'not a post\n' > notes.txt
git add .pre-commit-config.yaml good.md notes.txt

fail() { echo "pre-commit test failed: $*"; exit 1; }

echo "== clean post: hook passes"
pre-commit run artlint --files good.md notes.txt > out.txt 2>&1 || { cat out.txt; fail "a clean post failed"; }
grep -q "artlint.*Passed" out.txt || { cat out.txt; fail "the hook did not run"; }

echo "== post without a date: hook fails with FM004, exit code 1"
set +e
pre-commit run artlint --files good.md no-date.md > out.txt 2>&1
code=$?
set -e
[ "$code" -eq 1 ] || { cat out.txt; fail "expected exit 1, got $code"; }
grep -q "no-date.md:1:1: FM004 required field \`date\` is missing" out.txt || { cat out.txt; fail "no FM004 finding"; }

echo "== git commit: refused with artlint's message, accepted after the fix"
pre-commit install >/dev/null
git commit -q -m "add good post" > out.txt 2>&1 || { cat out.txt; fail "a clean commit was refused"; }
git add no-date.md
set +e
git commit -m "add post without a date" > out.txt 2>&1
code=$?
set -e
[ "$code" -ne 0 ] || { cat out.txt; fail "the commit of a bad post was accepted"; }
grep -q "FM004 required field \`date\` is missing" out.txt || { cat out.txt; fail "the refusal does not carry artlint's message"; }
printf -- '---\ntitle: A post without a date\ndate: 2021-05-22\n---\n\nText.\n' > no-date.md
git add no-date.md
git commit -q -m "add post, now dated" > out.txt 2>&1 || { cat out.txt; fail "the fixed post was refused"; }

echo "== artlint-fix: fixes the blank line, then passes"
git add blank-line.md
set +e
pre-commit run artlint-fix --hook-stage manual --files blank-line.md > out.txt 2>&1
code=$?
set -e
[ "$code" -eq 1 ] || { cat out.txt; fail "a fixing hook must fail the commit (files modified), got $code"; }
head -c 3 blank-line.md | grep -q -- '---' || fail "the blank line was not removed"
pre-commit run artlint-fix --hook-stage manual --files blank-line.md > out.txt 2>&1 || { cat out.txt; fail "second run must pass"; }

echo "pre-commit: 4 passed, 0 failed"
