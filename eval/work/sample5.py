# Round 5: every uncovered-requirement finding still unjudged once the cover-list reader read
# `**Validates: Requirements 1.2**` and `R1.1`. Input: `--unlabelled /tmp/unl9.jsonl`.
import json
from sampling import deal
rows=[json.loads(l) for l in open('/tmp/unl9.jsonl')]
out=[r for r in rows if r['rule']=='uncovered-requirement']
for i,r in enumerate(out): r['id']=f"v{i:04d}"; r['severity']='info'
deal(out, 2, 'r5-batch', lambda i: f'helper-{22+i} (round 5)')
