import json, random, collections, os
W = "../shared/fixtures/wild/"
split = json.load(open("eval/split.json"))
half_of = {r: "tuning" for r in split["tuning"]} | {r: "test" for r in split["test"]}
d = json.load(open("/tmp/wild.json"))
kinds = {f["path"]: f["kind"] for f in d["files"]}
rows = []
for i, x in enumerate(d["findings"]):
    p = x["path"]
    rel = p[len(W):]
    repo = "/".join(rel.split("/")[:2])
    if repo not in half_of: continue
    raw = open(p, "rb").read()
    a, b = x["byteRange"]
    flagged = raw[a:b].decode("utf-8", "replace")
    lines = raw.decode("utf-8", "replace").split("\n")
    ln = x["start"]["line"]
    rows.append(dict(path=rel, repo=repo, half=half_of[repo], kind=kinds[p], rule=x["rule"], severity=x["severity"],
        message=x["message"], question=x.get("question"), line=ln, line_text=lines[ln-1] if ln-1 < len(lines) else "",
        flagged=flagged[:300]))
by_rule = collections.defaultdict(list)
for r in rows: by_rule[r["rule"]].append(r)
rng = random.Random(17)
CAP = 40
sample = []
for rule, rs in sorted(by_rule.items()):
    if len(rs) <= 30:
        sample += rs; continue
    strata = collections.defaultdict(list)
    for r in rs: strata[(r["half"], r["kind"])].append(r)
    for k in strata: rng.shuffle(strata[k])
    keys = sorted(strata); picked = []
    while len(picked) < CAP and any(strata.values()):
        for k in keys:
            if strata[k] and len(picked) < CAP: picked.append(strata[k].pop())
    sample += picked
# dedupe identical keys
seen=set(); out=[]
for r in sample:
    k=(r["path"],r["rule"],r["flagged"],r["line_text"])
    if k in seen: continue
    seen.add(k); out.append(r)
for i,r in enumerate(out): r["id"]=f"p{i:04d}"
print(len(out), collections.Counter(r["half"] for r in out))
# batches by repository, balanced
by_repo = collections.defaultdict(list)
for r in out: by_repo[r["repo"]].append(r)
N=6; batches=[[] for _ in range(N)]
for repo, rs in sorted(by_repo.items(), key=lambda kv:-len(kv[1])):
    min(batches, key=len).extend(sorted(rs, key=lambda r:(r["path"], r["line"])))
for i,b in enumerate(batches):
    with open(f"eval/work/batch-{i}.jsonl","w") as f:
        for r in b:
            f.write(json.dumps({k:r[k] for k in ["id","path","line","line_text","flagged","rule","severity","message","question"]}, ensure_ascii=False)+"\n")
    print(i, len(b), collections.Counter(r["repo"] for r in b).most_common(3))
json.dump(out, open("eval/work/sample.json","w"), ensure_ascii=False)
