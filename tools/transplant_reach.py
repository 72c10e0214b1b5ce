#!/usr/bin/env python3
"""How many labelled clauses of the transplant set reach clausewatch's main text.

Usage: python3 tools/transplant_reach.py BINARY CORPUS_DIR [-v]

For every transplant page with clauses, runs `BINARY extract PAGE --text` and counts the
labelled clauses whose text (normalised: NFKC, lowercase, word characters only) occurs in
the printed main text, per insertion form. This separates main-content loss from topic
tagging: a clause that never reaches the text can never be tagged. Reads the corpus at run
time; nothing from it is stored here.
"""
import glob
import os
import re
import subprocess
import sys
import tomllib
import unicodedata


def norm(text):
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.findall(r"\w+", text))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, corpus = sys.argv[1], sys.argv[2]
    verbose = "-v" in sys.argv[3:]
    reached = total = 0
    by_form = {}
    for labels in sorted(glob.glob(os.path.join(corpus, "transplant", "*.labels.toml"))):
        with open(labels, "rb") as f:
            data = tomllib.load(f)
        clauses = data.get("clause", [])
        if not clauses:
            continue
        page = labels.replace(".labels.toml", ".html")
        out = subprocess.run([binary, "extract", page, "--text"], capture_output=True, text=True)
        text = norm(out.stdout)
        form = by_form.setdefault(data.get("form", "?"), [0, 0])
        for clause in clauses:
            total += 1
            form[1] += 1
            if norm(clause["text"]) in text:
                reached += 1
                form[0] += 1
            elif verbose:
                print("lost", os.path.basename(page), data.get("form", "?"), clause["text"][:80])
    forms = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_form.items()))
    print(f"reached {reached}/{total} ({forms})")


if __name__ == "__main__":
    main()
