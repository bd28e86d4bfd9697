import json, random, re, os, collections
W = "../shared/fixtures/wild/"
split = json.load(open("eval/split.json"))
half_of = {r: "tuning" for r in split["tuning"]} | {r: "test" for r in split["test"]}
NORM = re.compile(r"\b(MUST|SHALL|SHOULD|REQUIRED|MAY)\b|^\s*[-*]?\s*\**(GIVEN|WHEN|THEN|IF|WHILE|WHERE)\b|\*\*(FR|NFR|SC)-\d+|^\s*[-*]\s*(FR|NFR|SC|AC)-?\d+|^\s*\d+\.\s+(WHEN|IF|THE|WHILE)\b")
cands = []
for root, _, files in os.walk(W):
    for fn in files:
        if not fn.endswith(".md") or fn == "SOURCES.md": continue
        p = os.path.join(root, fn); rel = p[len(W):]
        repo = "/".join(rel.split("/")[:2])
        if repo not in half_of: continue
        fence = False
        for i, line in enumerate(open(p, encoding="utf-8", errors="replace").read().split("\n")):
            if line.lstrip().startswith(("```", "~~~")): fence = not fence; continue
            if fence or line.lstrip().startswith(("|", "#", ">", "<!--")): continue
            if len(line.strip()) < 25: continue
            if NORM.search(line): cands.append((rel, repo, i + 1, line))
rng = random.Random(17)
by_kind = collections.defaultdict(list)
for c in cands: by_kind[c[0].split("/")[0]].append(c)
picked = []
for k in sorted(by_kind):
    rng.shuffle(by_kind[k])
    # per kind: about 52, at most 6 from one file
    per_file = collections.Counter(); n = 0
    for c in by_kind[k]:
        if n >= 52: break
        if per_file[c[0]] >= 3: continue
        per_file[c[0]] += 1; n += 1; picked.append(c)
print(len(cands), len(picked), collections.Counter(c[0].split("/")[0] for c in picked), collections.Counter(half_of[c[1]] for c in picked))
for b in range(2):
    with open(f"eval/work/recall-batch-{b}.jsonl", "w") as f:
        for j, c in enumerate(picked[b::2]):
            f.write(json.dumps({"id": f"r{b}{j:03d}", "path": c[0], "line": c[2], "line_text": c[3]}, ensure_ascii=False) + "\n")
