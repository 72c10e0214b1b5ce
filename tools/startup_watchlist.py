#!/usr/bin/env python3
"""Write a watchlist of N watches, each with its own `select` and an unreachable URL, for
the start-up benchmark in BENCHMARKS.md (every distinct setting used to compile the topic
rules again).

    python3 tools/startup_watchlist.py 400 /tmp/startup
    /usr/bin/time -v target/release/clausewatch check --dry-run --config /tmp/startup/watchlist.toml
"""
import pathlib
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    n, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    lines = ["[settings]", f'snapshots = "{out / "snapshots"}"', ""]
    for i in range(n):
        lines += [
            "[[watch]]",
            f'name = "w{i:04}"',
            # Port 9 (discard) on loopback: refused at once, no network needed.
            f'url = "http://127.0.0.1:9/page-{i}"',
            f'select = "div.story-{i} p"',
            "",
        ]
    (out / "watchlist.toml").write_text("\n".join(lines), encoding="utf-8")
    print(out / "watchlist.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
