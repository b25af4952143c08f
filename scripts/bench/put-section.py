#!/usr/bin/env python3
"""Put a benchmark script's section into a Markdown file: the text on standard input, which runs
from `<!-- NAME:begin -->` to `<!-- NAME:end -->`, replaces the file's section of that name, or
is added at its end under HEADING when it has none (a new file starts with `# Benchmarks`).

    put-section.py BENCHMARKS.md peers "## Peers" < section.md
"""
import os
import re
import sys


def main() -> None:
    path, name, heading = sys.argv[1:4]
    section = sys.stdin.read().strip("\n")
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Benchmarks\n"
    marked = re.compile(rf"<!-- {re.escape(name)}:begin -->.*?<!-- {re.escape(name)}:end -->", re.S)
    if marked.search(text):
        text = marked.sub(lambda _match: section, text, count=1)
    else:
        text = text.rstrip("\n") + f"\n\n{heading}\n\n{section}"
    with open(path, "w", encoding="utf-8") as out:
        out.write(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
