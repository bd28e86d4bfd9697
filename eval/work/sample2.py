import json, random, collections
rows=[json.loads(l) for l in open('/tmp/unl2.jsonl')]
split=json.load(open('eval/split.json'))
half={r:'tuning' for r in split['tuning']}|{r:'test' for r in split['test']}
caps={'uncovered-requirement':40,'vague-term':30,'universal-quantifier':30,'ears-form':30,'incomplete-marker':40,'dangling-reference':40,'missing-failure-behaviour':20,'unmeasurable-success-criterion':20,'duplicate-requirement':10,'missing-section':5,'missing-scope-boundary':5,'weak-phrase':5}
rng=random.Random(18); out=[]
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
for i,r in enumerate(out): r['id']=f"q{i:04d}"
N=4; batches=[[] for _ in range(N)]
byrepo=collections.defaultdict(list)
for r in out: byrepo['/'.join(r['path'].split('/')[:2])].append(r)
for repo,rs in sorted(byrepo.items(), key=lambda kv:-len(kv[1])): min(batches,key=len).extend(sorted(rs,key=lambda r:(r['path'],r['line'])))
for i,b in enumerate(batches):
    with open(f'eval/work/new-batch-{i}.jsonl','w') as f:
        for r in b: f.write(json.dumps({k:r[k] for k in ['id','path','line','line_text','flagged','rule','severity','message','question']},ensure_ascii=False)+'\n')
    print(i,len(b))
j=json.load(open('eval/work/judges.json'))
for i in range(N): j[f'new-batch-{i}.jsonl']=f'helper-{9+i}'
json.dump(j,open('eval/work/judges.json','w'),indent=1)
