# Round 4: the uncovered-requirement findings the coverage change brought up (`All` no longer
# covers, parents cite through sub-tasks, a tasks file that cites nothing says so): every `All`
# note and every "cannot be checked" note, and 60 of the newly uncovered criteria, stratified by
# half. Input: `--unlabelled /tmp/unl6.jsonl`.
import json, random, collections
rows=[json.loads(l) for l in open('/tmp/unl6.jsonl') if json.loads(l)['rule']=='uncovered-requirement']
split=json.load(open('eval/split.json'))
half={r:'tuning' for r in split['tuning']}|{r:'test' for r in split['test']}
notes=[r for r in rows if 'claims every requirement' in r['message'] or 'cannot be checked' in r['message']]
rest=[r for r in rows if r not in notes]
rng=random.Random(20)
strata=collections.defaultdict(list)
for r in rest: strata[half['/'.join(r['path'].split('/')[:2])]].append(r)
for k in strata: rng.shuffle(strata[k])
picked=[]
while len(picked)<60 and any(strata.values()):
    for k in sorted(strata):
        if strata[k] and len(picked)<60: picked.append(strata[k].pop())
out=notes+picked
for i,r in enumerate(out):
    r['id']=f"u{i:04d}"; r['severity']='info'
N=2; batches=[[] for _ in range(N)]
byrepo=collections.defaultdict(list)
for r in out: byrepo['/'.join(r['path'].split('/')[:2])].append(r)
for repo,rs in sorted(byrepo.items(), key=lambda kv:-len(kv[1])): min(batches,key=len).extend(sorted(rs,key=lambda r:(r['path'],r['line'])))
for i,b in enumerate(batches):
    with open(f'eval/work/r4-batch-{i}.jsonl','w') as f:
        for r in b: f.write(json.dumps({k:r[k] for k in ['id','path','line','line_text','flagged','rule','severity','message','question']},ensure_ascii=False)+'\n')
    print(i,len(b))
j=json.load(open('eval/work/judges.json'))
for i in range(N): j[f'r4-batch-{i}.jsonl']=f'helper-{20+i} (round 4)'
json.dump(j,open('eval/work/judges.json','w'),indent=1)
