#!/usr/bin/env python3
"""Merges judges' verdicts (eval/work/verdicts-*.jsonl, recall-labels-*.jsonl) into the keyed
label files eval/labels/precision.jsonl and eval/labels/recall.jsonl. Labels already there are
kept; a new verdict on the same key replaces the old one."""
import json, glob, os, sys
here = os.path.dirname(os.path.abspath(__file__))
work = os.path.join(here, "work")
def load(p):
    out = []
    if os.path.exists(p):
        for l in open(p, encoding="utf-8"):
            l = l.strip()
            if l:
                try: out.append(json.loads(l))
                except json.JSONDecodeError as e: print(f"{p}: skipped a bad line: {e}", file=sys.stderr)
    return out
def keyp(l): return (l["path"], l["rule"], l["flagged"].strip(), l["line_text"].rstrip())
# precision
prec_path = os.path.join(here, "labels/precision.jsonl")
labels = {keyp(l): l for l in load(prec_path)}
for batch in sorted(glob.glob(os.path.join(work, "batch-*.jsonl")) + glob.glob(os.path.join(work, "new-batch-*.jsonl")) + glob.glob(os.path.join(work, "r[0-9]*-batch-*.jsonl"))):
    name = os.path.basename(batch)
    items = {x["id"]: x for x in load(batch)}
    vfile = os.path.join(work, name.replace("batch-", "verdicts-"))
    judge = json.load(open(os.path.join(work, "judges.json"))).get(name, "helper") if os.path.exists(os.path.join(work, "judges.json")) else "helper"
    for v in load(vfile):
        x = items.get(v.get("id"))
        if not x or not isinstance(v.get("verdict"), bool): continue
        l = {"path": x["path"], "rule": x["rule"], "flagged": x["flagged"].strip(), "line_text": x["line_text"].rstrip(),
             "verdict": v["verdict"], "reason": v.get("reason", ""), "judge": f"{judge}, {name}", "severity": x["severity"]}
        labels[keyp(l)] = l
os.makedirs(os.path.join(here, "labels"), exist_ok=True)
with open(prec_path, "w", encoding="utf-8") as f:
    for k in sorted(labels): f.write(json.dumps(labels[k], ensure_ascii=False) + "\n")
# recall
rec_path = os.path.join(here, "labels/recall.jsonl")
recall = {(r["path"], r["line_text"].rstrip()): r for r in load(rec_path)}
for batch in sorted(glob.glob(os.path.join(work, "recall-batch-*.jsonl"))):
    name = os.path.basename(batch)
    items = {x["id"]: x for x in load(batch)}
    for v in load(os.path.join(work, name.replace("recall-batch-", "recall-labels-"))):
        x = items.get(v.get("id"))
        if not x: continue
        r = {"path": x["path"], "line_text": x["line_text"].rstrip(), "problems": v.get("problems", []), "judge": f"helper, {name}, judged blind (before seeing findings)"}
        recall[(r["path"], r["line_text"])] = r
with open(rec_path, "w", encoding="utf-8") as f:
    for k in sorted(recall): f.write(json.dumps(recall[k], ensure_ascii=False) + "\n")
print(len(labels), "precision labels,", len(recall), "recall lines")
