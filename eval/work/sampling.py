"""What the sampling scripts share: the split's halves, a stratified pick, and the dealing of
picked findings into judges' batches (a repository's findings stay in one batch, so that its
judge reads each document once)."""
import collections, json

FIELDS = ['id', 'path', 'line', 'line_text', 'flagged', 'rule', 'severity', 'message', 'question']


def repo(path):
    return '/'.join(path.split('/')[:2])


def halves():
    """Repository -> 'tuning' or 'test', from eval/split.json."""
    split = json.load(open('eval/split.json'))
    return {r: 'tuning' for r in split['tuning']} | {r: 'test' for r in split['test']}


def pick(rows, cap, rng, stratum):
    """Up to `cap` of `rows`, one from each stratum in turn (strata sorted, each shuffled)."""
    strata = collections.defaultdict(list)
    for r in rows: strata[stratum(r)].append(r)
    for k in strata: rng.shuffle(strata[k])
    picked = []
    while len(picked) < cap and any(strata.values()):
        for k in sorted(strata):
            if strata[k] and len(picked) < cap: picked.append(strata[k].pop())
    return picked


def deal(out, n, prefix, judge):
    """Deals `out` into eval/work/<prefix>-<i>.jsonl by repository, largest first to the
    smallest batch, and records batch i's judge, `judge(i)`, in judges.json."""
    batches = [[] for _ in range(n)]
    byrepo = collections.defaultdict(list)
    for r in out: byrepo[repo(r['path'])].append(r)
    for _, rs in sorted(byrepo.items(), key=lambda kv: -len(kv[1])):
        min(batches, key=len).extend(sorted(rs, key=lambda r: (r['path'], r['line'])))
    for i, b in enumerate(batches):
        with open(f'eval/work/{prefix}-{i}.jsonl', 'w') as f:
            for r in b: f.write(json.dumps({k: r[k] for k in FIELDS}, ensure_ascii=False) + '\n')
        print(i, len(b), collections.Counter(r['rule'] for r in b))
    j = json.load(open('eval/work/judges.json'))
    for i in range(n): j[f'{prefix}-{i}.jsonl'] = judge(i)
    json.dump(j, open('eval/work/judges.json', 'w'), indent=1)
