# Round 5: the uncovered-requirement findings the cover-list reader's new notations
# (`**Validates: Requirements 1.2**`, `R1.1`) brought up; all of them. Input:
# `--unlabelled /tmp/unl9.jsonl`.
import json
rows=[json.loads(l) for l in open('/tmp/unl9.jsonl')]
done=set()
for l in open('eval/labels/precision.jsonl'):
    d=json.loads(l); done.add((d['path'],d['rule'],d['flagged'],d['line_text']))
out=[r for r in rows if r['rule']=='uncovered-requirement']
for i,r in enumerate(out): r['id']=f"v{i:04d}"; r['severity']='info'
# Then dealt by repository into r5-batch-0 and r5-batch-1 (largest first, to the smaller).
with open('eval/work/r5-batch-0.jsonl','w') as f:
    for r in out: f.write(json.dumps({k:r[k] for k in ['id','path','line','line_text','flagged','rule','severity','message','question']},ensure_ascii=False)+'\n')
print(len(out))
j=json.load(open('eval/work/judges.json')); j['r5-batch-0.jsonl']='helper-22 (round 5)'
json.dump(j,open('eval/work/judges.json','w'),indent=1)
