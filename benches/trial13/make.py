import sys, json, os, sqlite3
sys.path.insert(0,os.path.dirname(__file__))
from vals import *
O=os.environ.get('OUT', 'trial13/src'); os.makedirs(O,exist_ok=True)
# ---- A: xlsx openpyxl
import openpyxl
from openpyxl.styles import Alignment
wb=openpyxl.Workbook(); ws=wb.active; ws.title='従業員'
rows,b=employees('hr_book')
ws.append(['社員番号','氏名','個人番号','クレジットカード番号','パスワード','部署','住所','備考'])
for i,r in enumerate(rows):
    mn = g4(r['mn']) if i%2 else r['mn']
    ws.append([r['shain'],r['name'],mn,c4(r['card']),r['pw'],'総務部','東京都千代田区丸の内1-1-1 サンプルビル12階','特になし' if i else '参考番号 '+b])
# sheet 2: numeric cells + fullwidth
ws2=wb.create_sheet('扶養')
ws2.append(['社員番号','扶養親族氏名','扶養親族の個人番号','続柄'])
for i in range(3):
    m=mynum(lead0=(i==0)); e=mynum(); record('hr_book','my_number',m); record('hr_book','my_number',e,decoy='shain')
    if i==2: ws2.append([int(e),NAMES[i+3],m.translate(FW),'子'])
    else: ws2.append([int(e),NAMES[i+3],int(m),'配偶者' if i==0 else '子'])
# sheet 3: merged title, wrapped header, wrapped cells
ws3=wb.create_sheet('カード一覧')
ws3.merge_cells('A1:D1'); ws3['A1']='法人カード一覧（社外秘）'
ws3.append(['氏名','クレジット\nカード番号','有効期限','暗証番号'])
for i in range(3):
    c=card(); record('hr_book','payment_card',c)
    ws3.append([NAMES[i], c4(c,'-') if i==1 else c, '12/29', f'{4000+i*1111}'])  # 4-digit PIN: should be a credential? cells>=4 chars
    record('hr_book','credential',f'{4000+i*1111}')
for row in ws3.iter_rows():
    for c in row: c.alignment=Alignment(wrap_text=True)
# sheet 4: no header row
ws4=wb.create_sheet('無見出し')
for i in range(3):
    m=mynum(); record('hr_book','my_number',m,decoy=None)
    ws4.append([NAMES[i],m,'東京都'])
wb.save(f'{O}/hr_book.xlsx')

# ---- B: docx
import docx
from docx.shared import Pt
d=docx.Document(); d.add_heading('従業員名簿（人事部）',1)
rows,b=employees('hr_doc')
t=d.add_table(rows=1,cols=6); t.style='Table Grid'
for c,h in zip(t.rows[0].cells,['社員番号','氏名','個人番号','クレジットカード番号','パスワード','備考']): c.text=h
for i,r in enumerate(rows):
    cs=t.add_row().cells
    for c,v in zip(cs,[r['shain'],r['name'],g4(r['mn'],' ') if i==1 else r['mn'],c4(r['card']),r['pw'],'参考 '+b if i==0 else '']): c.text=v
d.add_heading('令和6年分 給与所得者の扶養控除等（異動）申告書',2)
f=d.add_table(rows=3,cols=4); f.style='Table Grid'
m1=mynum(); m2=mynum(); record('hr_doc','my_number',m1); record('hr_doc','my_number',m2)
f.cell(0,0).text='氏名'; f.cell(0,1).text='山田 太郎'; f.cell(0,2).text='あなたの個人番号'; f.cell(0,3).text=m1
f.cell(1,0).text='配偶者氏名'; f.cell(1,1).text='山田 花子'; f.cell(1,2).text='配偶者個人番号'; f.cell(1,3).text=g4(m2)
a=f.cell(2,0).merge(f.cell(2,3)); a.text='住所 東京都港区芝公園4-2-8'
d.add_heading('源泉徴収票',2)
m3=mynum(); record('hr_doc','my_number',m3)
d.add_paragraph('支払を受ける者 個人番号').add_run('\n'+m3.translate(FW))
d.save(f'{O}/hr_doc.docx')

# ---- C: pptx
from pptx import Presentation
from pptx.util import Inches
p=Presentation(); s=p.slides.add_slide(p.slide_layouts[5]); s.shapes.title.text='カード・パスワード一覧'
rows,b=employees('hr_slides',n=3)
tb=s.shapes.add_table(4,5,Inches(0.3),Inches(1.5),Inches(9.4),Inches(3)).table
for j,h in enumerate(['社員番号','氏名','個人番号','クレジットカード番号','パスワード']): tb.cell(0,j).text=h
for i,r in enumerate(rows):
    for j,v in enumerate([r['shain'],r['name'],r['mn'],r['card'],r['pw']]): tb.cell(i+1,j).text=v
s.shapes.add_textbox(Inches(0.3),Inches(5),Inches(9),Inches(1)).text_frame.text='参考番号 '+b
p.save(f'{O}/hr_slides.pptx')

# ---- D: html
rows,b=employees('hr_html')
h=['<html><head><meta charset="utf-8"><style>body{font-family:"Noto Sans CJK JP",sans-serif} td,th{border:1px solid #000;padding:2px;font-size:10pt}</style></head><body>',
   '<h1>従業員名簿</h1><table><thead><tr><th>社員番号</th><th>氏名</th><th>個人番号</th><th>クレジットカード番号</th><th>パスワード</th><th>住所</th></tr></thead><tbody>']
for i,r in enumerate(rows):
    h.append(f"<tr><td>{r['shain']}</td><td>{r['name']}</td><td>{g4(r['mn']) if i==2 else r['mn']}</td><td>{c4(r['card'])}</td><td>{r['pw']}</td><td>東京都新宿区西新宿2-8-1 都庁第一本庁舎 長い住所のため折り返しが発生する可能性がある</td></tr>")
h.append(f'</tbody></table><p>参考番号 {b}</p>')
m=mynum(); record('hr_html','my_number',m)
h.append(f'<h2>源泉徴収票</h2><table><tr><td>支払を受ける者</td><td>個人番号</td><td>{m}</td></tr></table></body></html>')
open(f'{O}/hr_html.html','w').write('\n'.join(h))

# ---- E: pandas csv numeric
import pandas as pd
rows,b=employees('hr_csv',n=5)
df=pd.DataFrame({'社員番号':[int(r['shain']) for r in rows],'氏名':[r['name'] for r in rows],'個人番号':[int(r['mn']) for r in rows],
  'クレジットカード番号':[int(r['card']) for r in rows],'パスワード':[r['pw'] for r in rows],'備考':['参考 '+b]+['']*4})
df.to_csv(f'{O}/hr_csv.csv',index=False)
df.to_csv(f'{O}/hr_csv_sjis.csv',index=False,encoding='cp932')
df.to_excel(f'{O}/hr_pandas.xlsx',index=False)

# ---- F: reportlab
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import SimpleDocTemplate, Table, Paragraph, TableStyle
from reportlab.lib.styles import getSampleStyleSheet
pdfmetrics.registerFont(UnicodeCIDFont('HeiseiKakuGo-W5'))
rows,b=employees('hr_rl')
st=getSampleStyleSheet()['Normal']; st.fontName='HeiseiKakuGo-W5'
data=[['社員番号','氏名','個人番号','クレジットカード番号','パスワード']]+[[r['shain'],r['name'],r['mn'],c4(r['card']),r['pw']] for r in rows]
tt=Table(data); tt.setStyle(TableStyle([('FONT',(0,0),(-1,-1),'HeiseiKakuGo-W5',9),('GRID',(0,0),(-1,-1),0.5,'black')]))
SimpleDocTemplate(f'{O}/hr_rl.pdf',pagesize=landscape(A4)).build([Paragraph('従業員名簿',st),tt,Paragraph('参考番号 '+b,st)])

# ---- G: sqlite
rows,b=employees('hr_db')
if os.path.exists(f'{O}/hr_db.sqlite'): os.remove(f'{O}/hr_db.sqlite')
con=sqlite3.connect(f'{O}/hr_db.sqlite')
con.execute('create table employees(shain_bango integer, name text, kojin_bango text, card_number text, password text, note text)')
for i,r in enumerate(rows): con.execute('insert into employees values(?,?,?,?,?,?)',(int(r['shain']),r['name'],r['mn'],r['card'],r['pw'],'ref '+b if i==0 else ''))
con.commit(); con.close()

# ---- H: rows for a real pg_dump (loaded by run.sh) and a mysqldump-style dump
rows,b=employees('hr_pg')
q=lambda v: "'"+v.replace("'","''")+"'"
with open(f'{O}/hr_pg_load.sql','w') as f:
    f.write('create table employees("社員番号" bigint, "氏名" text, "個人番号" text, "クレジットカード番号" text, "パスワード" text, "備考" text);\n')
    for i,r in enumerate(rows):
        f.write(f"insert into employees values({int(r['shain'])}, {q(r['name'])}, {q(r['mn'])}, {q(r['card'])}, {q(r['pw'])}, {q('参考 '+b if i==0 else '')});\n")
rows,b=employees('hr_my')
vals=','.join(f"({int(r['shain'])},'{r['name']}','{r['mn']}','{c4(r['card'],'-')}','{r['pw']}','{'ref '+b if i==0 else ''}')" for i,r in enumerate(rows))
open(f'{O}/hr_my.sql','w').write(f"""-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: hr
-- ------------------------------------------------------
-- Server version\t8.0.36

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;

--
-- Table structure for table `employees`
--

DROP TABLE IF EXISTS `employees`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `employees` (
  `shain_bango` bigint DEFAULT NULL,
  `name` varchar(64) DEFAULT NULL,
  `kojin_bango` char(12) DEFAULT NULL,
  `card_number` varchar(19) DEFAULT NULL,
  `password` varchar(64) DEFAULT NULL,
  `note` text
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `employees`
--

LOCK TABLES `employees` WRITE;
/*!40000 ALTER TABLE `employees` DISABLE KEYS */;
INSERT INTO `employees` VALUES {vals};
/*!40000 ALTER TABLE `employees` ENABLE KEYS */;
UNLOCK TABLES;

-- Dump completed on 2026-12-01 10:00:00
""")
json.dump(manifest,open(os.path.join(os.path.dirname(O), 'manifest.json'),'w'),ensure_ascii=False,indent=1)
print({k:len(v) for k,v in manifest.items()})
