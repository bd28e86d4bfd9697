# Round 2: findings the rule changes brought up, per rule up to its cap, stratified by half and
# document kind. Input: `--unlabelled /tmp/unl2.jsonl`.
import json, random, collections
from sampling import halves, repo, pick, deal
rows=[json.loads(l) for l in open('/tmp/unl2.jsonl')]
half=halves()
caps={'uncovered-requirement':40,'vague-term':30,'universal-quantifier':30,'ears-form':30,'incomplete-marker':40,'dangling-reference':40,'missing-failure-behaviour':20,'unmeasurable-success-criterion':20,'duplicate-requirement':10,'missing-section':5,'missing-scope-boundary':5,'weak-phrase':5}
rng=random.Random(18); out=[]
by=collections.defaultdict(list)
for r in rows: by[r['rule']].append(r)
for rule,cap in caps.items():
    out+=pick(by.get(rule,[]), cap, rng, lambda r:(half[repo(r['path'])], r['kind']))
for i,r in enumerate(out): r['id']=f"q{i:04d}"
deal(out, 4, 'new-batch', lambda i: f'helper-{9+i}')
