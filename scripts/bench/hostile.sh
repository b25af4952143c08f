#!/usr/bin/env bash
# Hostile inputs: one post each, built to make a careless linter quadratic (a tag with 100,000
# attributes, 50,000 reference images, 50,000 suppression comments, deep nesting, ...), each at
# n and at 4n, timed through artlint on one thread: linear work grows about 4x, quadratic 16x.
# The floor (read, split, serde-saphyr, html5ever) at 4n is there for scale.
#
#   bash scripts/bench/hostile.sh             # about a minute
#   bash scripts/bench/hostile.sh --no-write  # print the section, leave BENCHMARKS.md alone
#
# Environment:
#   BENCH_SCRATCH  scratch folder (default /tmp/artlint-bench): hostile/, one folder per input
#   BENCH_RUNS     timed runs per command, the fastest kept (default 3)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
no_write_option "$@"
RUNS=${BENCH_RUNS:-3}
cargo build --release --locked --quiet
cargo build --release --locked --quiet --example html5ever_floor
release_artlint
FLOOR="$REPO/target/release/examples/html5ever_floor"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

say "timing hostile inputs ($RUNS runs each, the fastest kept)"
TABLE=$(python3 - "$SCRATCH/hostile" "$ARTLINT" "$FLOOR" "$RUNS" <<'PY'
import os, subprocess, sys, time

out, artlint, floor, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
HEAD = "---\ntitle: Hostile\ndate: 2024-01-02\n---\n"
# Each input at n and at 4n: linear work takes about 4x as long at 4n, quadratic 16x.
INPUTS = {
    "one `<img>` with 2n attributes":
        lambda n: "<p><img src=\"https://e.com/a.png\" " + " ".join(f'a{i}="x"' for i in range(2 * n)) + "></p>\n",
    "the same attribute twice on n tags":
        lambda n: "".join('<p class="a" class="b">x</p>\n' for _ in range(n)),
    "n malformed tags":
        lambda n: "".join('<a href="x"" title=<b>>y</a>\n' for _ in range(n)),
    "n reference images and their definitions":
        lambda n: "".join(f"![x][r{i}]\n\n" for i in range(n)) + "".join(f"[r{i}]: https://e.com/{i}.png\n" for i in range(n)),
    "n inline images over http://":
        lambda n: "".join(f"![](http://e.com/{i}.png)\n\n" for i in range(n)),
    "n `disable-next-line` comments, each used":
        lambda n: "".join(f"<!-- artlint-disable-next-line -->\n![](http://e.com/{i}.png)\n\n" for i in range(n)),
    "n `disable` … `enable` ranges":
        lambda n: "".join(f"<!-- artlint-disable IMG003 -->\n![](http://e.com/{i}.png)\n<!-- artlint-enable -->\n\n" for i in range(n)),
    "n `disable-file` comments and n findings":
        lambda n: "<!-- artlint-disable-file FM004 -->\n" * n + "".join(f"![](http://e.com/{i}.png)\n\n" for i in range(n)),
    "one `disable-file` naming n codes, and n findings":
        lambda n: "<!-- artlint-disable-file " + ",".join(f"FM{i:05}" for i in range(n)) + " -->\n" + "".join(f"![](http://e.com/{i}.png)\n\n" for i in range(n)),
    "n HTML comments":
        lambda n: "".join(f"<!-- note {i} -->\ntext {i}\n\n" for i in range(n)),
    "n paragraphs and n CMS comments (blocks against boilerplate)":
        lambda n: "".join(f"This is paragraph number {i}, with enough text to be a block.\n\n" for i in range(n)) + "<!-- c -->\n" * n,
    "n app promos in one wrapper `<div>` (the fix's holder)":
        lambda n: "<div>" + "<p>海量资讯、精准解读，尽在新浪财经APP</p>\n" * n + "</div>\n",
    "n `<p>` then n app promos as loose text (the fix's holder)":
        lambda n: "<p>x</p>\n" * n + "海量资讯、精准解读，尽在新浪财经APP\n\n" * n,
    "n nested `<div>`":
        lambda n: "<div>" * n + "x" + "</div>" * n,
    "n/4 nested QR-code blocks on one line (each a finding spanning the rest)":
        lambda n: '<div class="clearfix appendQr_wrap">x' * (n // 4) + "</div>" * (n // 4) + "\n",
    "n unclosed `<b><i>`":
        lambda n: "<b><i>" * n + "x\n",
    "one line of 16n words":
        lambda n: "word " * (16 * n) + "\n",
    "front matter of 3n fields (over the YAML budget at 4n)":
        lambda n: "".join(f"k{i}: v\n" for i in range(3 * n)),
}
N = 50_000

def build(index, name, n):
    folder = os.path.join(out, f"{index:02}-{n}")
    os.makedirs(folder, exist_ok=True)
    body = INPUTS[name](n)
    text = f"---\n{body}---\nx\n" if name.startswith("front matter") else HEAD + body
    with open(os.path.join(folder, "post.md"), "w") as f:
        f.write(text)
    return folder, len(text)

def fastest(command):
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        status = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        if status > 1:
            sys.exit(f"hostile.sh: {command} exited {status}")
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best

lint = lambda folder: [artlint, "--no-cache", "--threads", "1", "--format", "concise", "-o", "/dev/null", folder]
print(f"n = {N // 4:,} and {N:,}.")
print()
print("| input | size at n | artlint at n | at 4n | growth | floor at 4n | artlint / floor at 4n |")
print("|---|---:|---:|---:|---:|---:|---:|")
for index, name in enumerate(INPUTS):
    small, size = build(index, name, N // 4)
    large, _ = build(index, name, N)
    a_small, a_large = fastest(lint(small)), fastest(lint(large))
    f = fastest([floor, large, "--with-yaml"])
    print(f"| {name} | {size / 1e6:.2f} MB | {a_small * 1000:.0f} ms | {a_large * 1000:.0f} ms "
          f"| {a_large / a_small:.1f}x | {f * 1000:.0f} ms | {a_large / f:.1f}x |", flush=True)
PY
)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

SECTION=$(cat <<EOF
<!-- hostile:begin -->
<!-- Written by scripts/bench/hostile.sh: edits between these markers are replaced on the next run. -->
### Hostile inputs: $(date -u +%Y-%m-%d)

Command: \`bash scripts/bench/hostile.sh\` at $REV (one thread, fastest of $RUNS runs, wall time).
Growth is artlint's time at 4n over its time at n: about 4x is linear, 16x quadratic.
Machine: $(nproc) cores; load average $LOAD_START at the start, $LOAD_END at the end.

$TABLE

- The \`<img>\` row grows as the floor does: html5ever's tokenizer compares each attribute with the tag's earlier ones, quadratic in one tag's attributes. artlint's own steps look names up in a hash map past 16 attributes (before, the same input took 97 s).
- The nested \`<div>\` row: html5ever's tree builder slows with depth; artlint stops building the tree at 1,024 levels (HTML016).
- The image rows are linear: what costs is each of the 50,000 findings (position, message, fix), which the floor does not make.
- The suppression rows: suppressions are applied rule by rule, a rule's findings against the line ranges of the suppressions that name it, by binary search (before, 20,000 \`disable-file\` comments over 20,000 findings took 5.8 s). The one comment naming n codes costs its check that each code names a rule.
- The nested QR-code row: each of the n/4 findings spans the rest of the one line; a baseline fingerprint hashes the two ends and the length of a text over 4 KiB (before, 16,000 of them took 21 s).
<!-- hostile:end -->
EOF
)
publish_section hostile "## Hostile inputs"
