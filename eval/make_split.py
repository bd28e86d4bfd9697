#!/usr/bin/env python3
"""Writes eval/split.json: the wild set's repositories, split by repository into a tuning half
and a test half. Within each kind folder (adr, kiro, openspec, speckit, other) the repositories
are shuffled with a fixed seed and dealt alternately, so both halves hold every kind.
Run once; the committed file is the split (re-running reproduces it)."""
import json, os, random, sys
wild = sys.argv[1] if len(sys.argv) > 1 else "../shared/fixtures/wild"
SEED = 17
split = {"seed": SEED, "method": "per kind folder: sorted, shuffled with random.Random(17), dealt alternately starting with tuning", "tuning": [], "test": []}
for kind in sorted(os.listdir(wild)):
    p = os.path.join(wild, kind)
    if not os.path.isdir(p):
        continue
    repos = sorted(os.listdir(p))
    random.Random(SEED).shuffle(repos)
    for i, r in enumerate(repos):
        split["tuning" if i % 2 == 0 else "test"].append(f"{kind}/{r}")
split["tuning"].sort(); split["test"].sort()
json.dump(split, open(os.path.join(os.path.dirname(__file__), "split.json"), "w"), indent=2)
print(len(split["tuning"]), len(split["test"]))
