#!/usr/bin/env python3
"""Split a sentence TSV (header + rows) into a tune half and a held-out half.

Rows are numbered from 1 after the header; odd rows go to `tune.tsv`, even rows to
`heldout.tsv`, both with the header. Rules are designed looking only at the tune half's
misses; the held-out half is scored, never read.

    python3 tools/split_sentences.py ../shared/corpus/sentences/dev.tsv /tmp/split
"""
import pathlib
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    out.mkdir(parents=True, exist_ok=True)
    halves = {"tune.tsv": rows[0::2], "heldout.tsv": rows[1::2]}
    for name, part in halves.items():
        (out / name).write_text(header + "".join(part), encoding="utf-8")
        print(f"{out / name}: {len(part)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
