"""Static regression check of django_hold: for every corpus app whose id or repo says Django, check it out, read its
declared dependencies and (with nothing declared) the inferred ones, and print the Django requirement and the hold
note (or "none"). No install, no serve."""
import importlib.util, json, shutil, subprocess, sys
from pathlib import Path
WT = Path("/work/wt/left35")
sys.path.insert(0, str(WT / "src"))
spec = importlib.util.spec_from_file_location("corpus", WT / "bench" / "corpus.py")
corpus = importlib.util.module_from_spec(spec); spec.loader.exec_module(corpus)
# checkouts as bench/corpus.py makes them now (a history dating each file)
from shipyard.project import Project
from shipyard.detect import deps, imports
apps = [a for a in json.load(open(WT / "bench" / "corpus.json"))["apps"] if "django" in (a["id"] + a["repo"]).lower()]
dest = Path("/work/apps35/left35/reg/co")
for app in apps:
    if not corpus.git_dir(app["repo"], corpus.MIRRORS).exists():
        print(f"{app['id']}\tno mirror", flush=True); continue
    try:
        corpus.checkout([app], dest, corpus.MIRRORS)
        root = dest / app["id"]
        project = Project(root)
        found = deps.declared(project)
        rows = [d for d in found.dependencies if d.name.lower() == "django"]
        notes = [n for n in found.notes if n.startswith("Django held")]
        if not found.complete:
            inf = imports.infer(project, None, found, installed=False)
            rows += [d for d in inf.dependencies if d.name.lower() == "django"]
            notes += [n for n in inf.notes if n.startswith("Django held")]
        print(f"{app['id']}\t{[d.requirement for d in rows]}\t{notes[0] if notes else 'none'}", flush=True)
    except Exception as exc:
        print(f"{app['id']}\terror {type(exc).__name__}: {exc}", flush=True)
    finally:
        shutil.rmtree(dest / app["id"], ignore_errors=True)
