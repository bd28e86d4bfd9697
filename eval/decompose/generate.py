#!/usr/bin/env python3
"""Regenerates eval/decompose/generated/: for each spec in picks.json (chosen with seed 17, one
folder per repository: 5 spec-kit, 4 Kiro, 3 OpenSpec changes), copies its folder without
tasks.md to a temporary directory, runs `specwright tasks SPEC --write` (every delta spec of an
OpenSpec change, into the change's own tasks.md) and keeps the tasks.md it wrote.
Usage: eval/decompose/generate.py PATH/TO/specwright"""
import glob, json, os, shutil, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
wild = os.path.join(here, "../../../shared/fixtures/wild")
binary = sys.argv[1] if len(sys.argv) > 1 else "specwright"
picks = json.load(open(os.path.join(here, "picks.json")))
out = os.path.join(here, "generated")
os.makedirs(out, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    for p in picks:
        n = f"{p['n']:02d}"
        src = os.path.join(wild, p["source"])
        if p["family"] == "openspec":
            dst = os.path.join(tmp, n, "openspec/changes", os.path.basename(src))
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("tasks.md"))
            specs = sorted(glob.glob(os.path.join(dst, "specs/*/spec.md")))
            tasks = os.path.join(dst, "tasks.md")
        else:
            dst = os.path.join(tmp, n)
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("tasks.md"))
            specs = [os.path.join(dst, p["spec"])]
            tasks = os.path.join(dst, "tasks.md")
        for spec in specs:
            subprocess.run([binary, "tasks", spec, "--write"], check=True, capture_output=True)
        shutil.copy(tasks, os.path.join(out, f"{n}-tasks.md"))
        print(n, p["source"], open(tasks).read().count("- [ ]"), "tasks")
