import json,sys,collections,os
man=json.load(open('manifest.json'))
def src(p):
    b=os.path.basename(p)
    if b.startswith('hr_pandas'): return 'hr_csv'
    if b.startswith('hr_my'): return 'hr_my'
    if b.startswith('hr_pg'): return 'hr_pg'
    for k in man:
        if b.startswith(k): return k
recs=[json.loads(l) for l in open(sys.argv[1])]
F=collections.defaultdict(list); gaps=collections.Counter(); errs=collections.defaultdict(list)
files=sorted(set(os.path.basename(f) for f in os.listdir('out')))
for r in recs:
    if r['type']=='finding': F[os.path.basename(r['path'])].append(r)
    elif r['type']!='summary': gaps[os.path.basename(r.get('path',''))]+=1; errs[os.path.basename(r.get('path',''))].append(r)
rank={'low':0,'medium':1,'high':2}
def key(kind,v): return v[:3] if kind=='credential' else v[-4:]
def rkey(r):
    red=r['redacted']
    if r['category']=='credential':
        pre=red.split('*')[0]
        for p in man[src(r['path'])]:
            if p['kind']=='credential' and pre and p['value'].startswith(pre): return p['value'][:3]
        return red
    return red[-4:]
tot=collections.Counter()
print(f"{'file':28} {'plant':>5} {'def':>4} {'low':>4} {'dec@def':>7} {'dec@low':>7} {'extra':>5} gaps  missed(kind:last4/prefix)")
detail={}
for f in files:
    s=src(f); P=man[s]
    got={}
    for r in F[f]:
        k=(r['category'],rkey(r)); got[k]=max(got.get(k,-1),rank[r['confidence']])
    plant=[p for p in P if not p['decoy']]; dec=[p for p in P if p['decoy']]
    fd=sum(1 for p in plant if got.get((p['kind'],key(p['kind'],p['value'])),-1)>=1)
    fl=sum(1 for p in plant if got.get((p['kind'],key(p['kind'],p['value'])),-1)>=0)
    dd=[p for p in dec if got.get((p['kind'],key(p['kind'],p['value'])),-1)>=1]
    dl=[p for p in dec if got.get((p['kind'],key(p['kind'],p['value'])),-1)>=0]
    known={(p['kind'],key(p['kind'],p['value'])) for p in P}
    extra=[k for k in got if k not in known]
    missed=[f"{p['kind'][:2]}:{key(p['kind'],p['value'])}" for p in plant if got.get((p['kind'],key(p['kind'],p['value'])),-1)<0]
    lowonly=[f"{p['kind'][:2]}:{key(p['kind'],p['value'])}" for p in plant if got.get((p['kind'],key(p['kind'],p['value'])),-1)==0]
    print(f"{f:28} {len(plant):5} {fd:4} {fl:4} {len(dd):7} {len(dl):7} {len(extra):5} {gaps[f]:4}  miss={missed} lowonly={lowonly} decdef={[p['decoy']+':'+p['value'][-4:] for p in dd]} extra={extra}")
    for a,b in (('plant',len(plant)),('def',fd),('low',fl),('dd',len(dd)),('dl',len(dl)),('extra',len(extra))): tot[a]+=b
print(dict(tot))
for f,e in errs.items(): print(f, [ (x.get('type'),x.get('reason'),x.get('message','')[:120]) for x in e])
# precision over distinct (file,category,key) findings
def prec(minr):
    tp=fp=0; bad=0
    for f in files:
        if f=='hr_book.lo.pdf': continue
        P=man[src(f)]; true={(p['kind'],key(p['kind'],p['value'])) for p in P if not p['decoy']}
        badc={(p['kind'],key(p['kind'],p['value'])) for p in P if p['decoy']=='badcheck'}
        seen=set()
        for r in F[f]:
            if rank[r['confidence']]<minr: continue
            k=(r['category'],rkey(r))
            if k in seen: continue
            seen.add(k)
            if k in true: tp+=1
            else: fp+=1
            if k in badc: bad+=1
    return tp,fp,bad
print('precision default tp,fp,badcheck:',prec(1),' low:',prec(0))
