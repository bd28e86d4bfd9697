# Round 3: every vague-term finding the word-list change brought up (the subjective list plus
# the recall misses: clear, proper, consistent, actionable, ...), and 60 uncovered-requirement
# findings still unjudged, stratified by half and kind. Input: `--unlabelled /tmp/unl3.jsonl`.
import json, random, collections
rows=[json.loads(l) for l in open('/tmp/unl3.jsonl')]
split=json.load(open('eval/split.json'))
half={r:'tuning' for r in split['tuning']}|{r:'test' for r in split['test']}
caps={'vague-term':1000,'uncovered-requirement':60}
rng=random.Random(19); out=[]
by=collections.defaultdict(list)
for r in rows: by[r['rule']].append(r)
for rule,cap in caps.items():
    rs=by.get(rule,[]); strata=collections.defaultdict(list)
    for r in rs: strata[(half['/'.join(r['path'].split('/')[:2])], r['kind'])].append(r)
    for k in strata: rng.shuffle(strata[k])
    picked=[]
    while len(picked)<cap and any(strata.values()):
        for k in sorted(strata):
            if strata[k] and len(picked)<cap: picked.append(strata[k].pop())
    out+=picked
for i,r in enumerate(out):
    r['id']=f"r{i:04d}"
    # What a user would see: vague-term earns a note on these labels, uncovered-requirement one.
    r['severity']='info'
N=5; batches=[[] for _ in range(N)]
byrepo=collections.defaultdict(list)
for r in out: byrepo['/'.join(r['path'].split('/')[:2])].append(r)
for repo,rs in sorted(byrepo.items(), key=lambda kv:-len(kv[1])): min(batches,key=len).extend(sorted(rs,key=lambda r:(r['path'],r['line'])))
for i,b in enumerate(batches):
    with open(f'eval/work/r3-batch-{i}.jsonl','w') as f:
        for r in b: f.write(json.dumps({k:r[k] for k in ['id','path','line','line_text','flagged','rule','severity','message','question']},ensure_ascii=False)+'\n')
    print(i,len(b), collections.Counter(r['rule'] for r in b))
j=json.load(open('eval/work/judges.json'))
for i in range(N): j[f'r3-batch-{i}.jsonl']=f'helper-{15+i} (round 3)'
json.dump(j,open('eval/work/judges.json','w'),indent=1)
