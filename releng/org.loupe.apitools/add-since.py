#!/usr/bin/env python3
"""Adds "@since VERSION" to the Javadoc of every public top-level type in Loupe's versioned API packages
(exported with version="1.0.0" by a bundles/*/META-INF/MANIFEST.MF) that has none. Run from the repository's root:

    python3 releng/org.loupe.apitools/add-since.py            # list what it would tag, and types without Javadoc
    python3 releng/org.loupe.apitools/add-since.py write 0.2  # tag them "@since 0.2"

New types of a release get the release they first appear in (docs/api.md)."""
import re,glob,os,sys
write = len(sys.argv) > 1 and sys.argv[1] == 'write'
since = sys.argv[2] if len(sys.argv) > 2 else '0.1'
pkgs=[]
for mf in sorted(glob.glob('bundles/*/META-INF/MANIFEST.MF')):
    t=open(mf).read()
    m=re.search(r'^Export-Package:(.*?)(?=^\S)', t+'\nX', re.S|re.M)
    if not m: continue
    h=m.group(1).replace('\n ','')
    for c in re.split(r',(?=(?:[^"]*"[^"]*")*[^"]*$)', h):
        c=c.strip()
        if c.startswith('org.loupe.') and 'version="1.0.0"' in c:
            pkgs.append((os.path.dirname(os.path.dirname(mf)), c.split(';')[0]))
decl=re.compile(r'^public\s+(?:(?:final|abstract|sealed|non-sealed|static|strictfp)\s+)*(class|interface|record|enum|@interface)\s+(\w+)', re.M)
missing=[];count=0;already=0
for bundle,pkg in pkgs:
    d=None
    for src in glob.glob(bundle+'/src*/')+[bundle+'/src/']:
        p=os.path.join(src,pkg.replace('.','/'))
        if os.path.isdir(p): d=p;break
    if d is None: print('NO DIR',bundle,pkg); continue
    for f in sorted(glob.glob(d+'/*.java')):
        s=open(f).read()
        m=decl.search(s)
        if not m: continue
        # javadoc before decl, allowing annotations between
        before=s[:m.start()]
        jm=re.search(r'/\*\*(?:(?!\*/).)*\*/\s*(?:@[\w.]+(?:\([^)]*\))?\s*)*$', before, re.S)
        if not jm:
            missing.append(f); continue
        jd=jm.group(0)
        end=before.rfind('*/', jm.start(), jm.start()+len(jd))
        jtext=before[jm.start():end+2]
        if '@since' in jtext: already+=1; continue
        if '\n' not in jtext:
            inner=jtext[3:-2].strip()
            new='/**\n * '+inner+'\n *\n * @since '+since+'\n */'
        else:
            body=jtext[:-2].rstrip()
            # body ends with '\n *' or text line
            lines=body.split('\n')
            if lines[-1].strip()=='*': lines=lines[:-1]
            new='\n'.join(lines)+'\n *\n * @since '+since+'\n */'
        s2=before[:jm.start()]+new+before[end+2:]+s[m.start():]
        count+=1
        if write: open(f,'w').write(s2)
print('types to tag',count,'already',already,'missing javadoc',len(missing))
for f in missing: print('  ',f)
