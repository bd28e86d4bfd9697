# Round 6: the orphan-task findings (off by default, run as hints) that the cover-list reader's
# new notations brought up: every finding not in the findings before that change. Inputs:
# `--unlabelled /tmp/unl13.jsonl` now, `--findings /tmp/f8.jsonl` from before the change.
import json
from sampling import deal
before=set()
for l in open('/tmp/f8.jsonl'):
    d=json.loads(l); before.add((d['path'],d['rule'],d['flagged'],d['line_text']))
rows=[json.loads(l) for l in open('/tmp/unl13.jsonl')]
out=[r for r in rows if (r['path'],r['rule'],r['flagged'],r['line_text']) not in before]
for i,r in enumerate(out): r['id']=f"w{i:04d}"
deal(out, 1, 'r6-batch', lambda i: 'helper-24 (round 6)')
