#!/usr/bin/env python3
"""Derive each rule's prefilter `cues` from its patterns and write them into the rule file.

For every `[[rule]]` of the file, the patterns of `all` are parsed (vocabulary expanded) and
the set of literal words that every match must contain is computed: a literal run, the union
over the branches of an alternation, the inside of a group or of a repetition of at least one.
The most selective set over the rule's patterns becomes its `cues` (lowercase; a literal run
split at spaces keeps its longest piece, so cues never span a space that a mask could
create). Rules whose patterns need no literal get `cues = []` and always run.

The unit test `prefilter_never_changes_a_result` checks the outcome; rerun this script after
editing patterns:

    python3 tools/derive_cues.py src/extract/rules/builtin.toml
"""
import re, sys, tomllib
import re._parser as sp
from re._constants import *
path=sys.argv[1]
d=tomllib.load(open(path,'rb'))
vocab=d['vocab']
def expand(p):
    return re.sub(r'\{([a-z_]+)\}', lambda m: vocab[m.group(1)], p)
def score(S):
    if S is None: return -1
    return min(len(x) for x in S) - 0.01*len(S)
def req(items):
    # items: list of (op, av) (a SubPattern); returns set of required substrings or None
    cands=[]; run=''
    def flush():
        nonlocal run
        if run:
            pieces=[x for x in run.split(' ') if x]
            if pieces: cands.append({max(pieces,key=len)})
        run=''
    for op,av in items:
        if op is LITERAL:
            run+=chr(av).lower()
            continue
        flush()
        if op is SUBPATTERN:
            r=req(av[3])
            if r: cands.append(r)
        elif op is BRANCH:
            u=set(); ok=True
            for b in av[1]:
                r=req(b)
                if not r: ok=False; break
                u|=r
            if ok: cands.append(u)
        elif op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
            lo,hi,sub=av
            if lo>=1:
                r=req(sub)
                if r: cands.append(r)
        elif op is IN:
            # single-char class like [cs] -> none
            pass
    flush()
    cands=[c for c in cands if c and min(len(x) for x in c)>=2]
    if not cands: return None
    return max(cands,key=score)
out={}
for r in d['rule']:
    best=None
    for p in r['all']:
        try:
            t=sp.parse(expand(p).replace(r"\p{Lu}", "[A-Z]"))
        except Exception as e:
            print('PARSEFAIL',r['name'],e,file=sys.stderr); continue
        S=req(list(t))
        if S and (best is None or score(S)>score(best)): best=S
    out[r['name']]=sorted(best) if best else []
    print(r['name'], out[r['name']][:12], len(out[r['name']]), file=sys.stderr)
# rewrite file cues lines
text=open(path).read()
def repl(m):
    return m.group(0)
lines=text.split('\n'); cur=None; res=[]
for line in lines:
    mm=re.match(r'name = "([^"]+)"',line)
    if mm: cur=mm.group(1)
    if line.startswith('cues = ') and cur in out:
        cues=out[cur]
        line='cues = ['+', '.join('"'+c.replace('\\','\\\\').replace('"','\\"')+'"' for c in cues)+']'
    res.append(line)
open(path,'w').write('\n'.join(res))
