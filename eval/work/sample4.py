# Round 4: the uncovered-requirement findings the coverage change brought up (`All` no longer
# covers, parents cite through sub-tasks, a tasks file that cites nothing says so): every `All`
# note and every "cannot be checked" note, and 60 of the newly uncovered criteria, stratified by
# half. Input: `--unlabelled /tmp/unl6.jsonl`.
import json, random
from sampling import halves, repo, pick, deal
rows=[json.loads(l) for l in open('/tmp/unl6.jsonl') if json.loads(l)['rule']=='uncovered-requirement']
half=halves()
notes=[r for r in rows if 'claims every requirement' in r['message'] or 'cannot be checked' in r['message']]
rest=[r for r in rows if r not in notes]
out=notes+pick(rest, 60, random.Random(20), lambda r: half[repo(r['path'])])
for i,r in enumerate(out):
    r['id']=f"u{i:04d}"; r['severity']='info'
deal(out, 2, 'r4-batch', lambda i: f'helper-{20+i} (round 4)')
