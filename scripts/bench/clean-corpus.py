#!/usr/bin/env python3
"""Write N generated posts that artlint finds nothing in (unique titles, random paragraphs),
to see how memory grows with clean files:

    python3 scripts/bench/clean-corpus.py /tmp/clean-20000 20000
    /usr/bin/time -f %M target/release/artlint --no-cache /tmp/clean-20000
"""
import os
import random
import sys


def main() -> None:
    out, count = sys.argv[1], int(sys.argv[2])
    random.seed(7)
    words = (
        "river stone garden window letter market harbor winter summer candle bridge forest "
        "valley meadow lantern orchard village mountain station museum library theatre"
    ).split()
    for i in range(count):
        folder = os.path.join(out, f"d{i // 500:04d}")
        os.makedirs(folder, exist_ok=True)
        title = " ".join(random.choice(words) for _ in range(5)).capitalize() + f" {i}"
        paragraphs = [
            " ".join(random.choice(words) for _ in range(40)).capitalize() + f" ({i}.{p})."
            for p in range(6)
        ]
        with open(os.path.join(folder, f"post-{i:06d}.md"), "w", encoding="utf-8") as post:
            post.write(
                f'---\ntitle: "{title}"\ndate: 2021-03-{1 + i % 28:02d}\ntags: [notes]\n---\n\n'
                + "\n\n".join(paragraphs)
                + "\n"
            )


if __name__ == "__main__":
    main()
