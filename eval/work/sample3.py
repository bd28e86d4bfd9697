# Round 3: every vague-term finding the word-list change brought up (the subjective list plus
# the recall misses: clear, proper, consistent, actionable, ...), and 60 uncovered-requirement
# findings still unjudged, stratified by half and kind. Input: `--unlabelled /tmp/unl3.jsonl`.
import json, random, collections
from sampling import halves, repo, pick, deal
rows=[json.loads(l) for l in open('/tmp/unl3.jsonl')]
half=halves()
caps={'vague-term':1000,'uncovered-requirement':60}
rng=random.Random(19); out=[]
by=collections.defaultdict(list)
for r in rows: by[r['rule']].append(r)
for rule,cap in caps.items():
    out+=pick(by.get(rule,[]), cap, rng, lambda r:(half[repo(r['path'])], r['kind']))
for i,r in enumerate(out):
    r['id']=f"r{i:04d}"
    # What a user would see: vague-term earns a note on these labels, uncovered-requirement one.
    r['severity']='info'
deal(out, 5, 'r3-batch', lambda i: f'helper-{15+i} (round 3)')
