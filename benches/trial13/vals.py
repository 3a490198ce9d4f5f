import random, json
random.seed(13)
used=set()
def mn_check(d11):
    w=[6,5,4,3,2,7,6,5,4,3,2]; r=sum(int(a)*b for a,b in zip(d11,w))%11
    return '0' if r<=1 else str(11-r)
def mynum(lead0=False):
    while True:
        d=('0' if lead0 else str(random.randint(1,9)))+''.join(random.choice('0123456789') for _ in range(10))
        n=d+mn_check(d)
        if n[-4:] not in used: used.add(n[-4:]); return n
def badmn():
    while True:
        d=str(random.randint(1,9))+''.join(random.choice('0123456789') for _ in range(10))
        c=str((int(mn_check(d))+3)%10); n=d+c
        if n[-4:] not in used: used.add(n[-4:]); return n
def luhn_ok(s):
    t=0
    for i,ch in enumerate(reversed(s)):
        x=int(ch)
        if i%2: x*=2; x-= 9 if x>9 else 0
        t+=x
    return t%10==0
def card():
    while True:
        p=random.choice(['4','5'+str(random.randint(1,5)),'35'])  # Visa, Mastercard 51-55, JCB 358x
        body=p+''.join(random.choice('0123456789') for _ in range(15-len(p)))
        if p=='35': body='3530'+body[4:] if False else '358'+body[3:]
        for c in '0123456789':
            if luhn_ok(body+c): n=body+c; break
        if n[-4:] not in used: used.add(n[-4:]); return n
def pw():
    a='ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789'
    return ''.join(random.choice(a) for _ in range(10))+'#'+str(random.randint(10,99))
def g4(n,sep='-'): return sep.join([n[0:4],n[4:8],n[8:12]])
def c4(n,sep=' '): return sep.join(n[i:i+4] for i in range(0,len(n),4))
FW=str.maketrans('0123456789','０１２３４５６７８９')
NAMES=['山田 太郎','佐藤 花子','鈴木 一郎','高橋 美咲','田中 健太','伊藤 陽子','渡辺 翔','中村 愛']
manifest={}
def record(src,kind,val,decoy=None):
    manifest.setdefault(src,[]).append({'kind':kind,'value':val,'decoy':decoy})
def employees(src,n=4,lead0=True):
    rows=[]
    for i in range(n):
        m=mynum(lead0 and i==0); c=card(); p=pw(); emp=mynum()  # emp: valid-check 12 digits under 社員番号 = decoy
        record(src,'my_number',m); record(src,'payment_card',c); record(src,'credential',p)
        record(src,'my_number',emp,decoy='shain')
        rows.append(dict(shain=emp,name=NAMES[i%8],mn=m,card=c,pw=p))
    b=badmn(); record(src,'my_number',b,decoy='badcheck')
    return rows,b
