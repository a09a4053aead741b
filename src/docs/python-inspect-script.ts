/**
 * The Python program that reads installed modules' docs without importing them: it finds each
 * module on the search path (`PathFinder`, which runs no module code), parses its source with
 * `ast` for docstrings and signatures, and reads the version from the distribution's metadata.
 * Run with `-I` (isolated: no PYTHON* variables, no user site, not the project's folder on the path).
 */
export const PYTHON_INSPECT = String.raw`
import ast, json, os, sys
import importlib.machinery as mach
import importlib.metadata as md

req = json.loads(sys.argv[1])
search = [p for p in req["paths"] if os.path.isdir(p)] + [p for p in sys.path if p and os.path.isdir(p)]

def sig(node):
    try:
        args = ast.unparse(node.args)
    except Exception:
        args = "..."
    ret = " -> " + ast.unparse(node.returns) if getattr(node, "returns", None) is not None else ""
    return ("async def " if isinstance(node, ast.AsyncFunctionDef) else "def ") + node.name + "(" + args + ")" + ret

def doc(node, n):
    return (ast.get_docstring(node) or "")[:n]

def describe(path, wanted):
    with open(path, encoding="utf-8", errors="replace") as f:
        tree = ast.parse(f.read(2_000_000))
    items = []
    for node in tree.body:
        name = getattr(node, "name", "")
        if not name or (name.startswith("_") and name not in wanted):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            items.append({"name": name, "kind": "function", "signature": sig(node), "doc": doc(node, 900)})
        elif isinstance(node, ast.ClassDef):
            bases = ", ".join(ast.unparse(b) for b in node.bases)
            methods = [{"name": m.name, "signature": sig(m), "doc": doc(m, 400)} for m in node.body
                       if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and (not m.name.startswith("_") or m.name == "__init__")]
            items.append({"name": name, "kind": "class", "signature": "class " + name + ("(" + bases + ")" if bases else ""),
                          "doc": doc(node, 900), "methods": methods[:30]})
    return {"doc": (ast.get_docstring(tree) or "")[:2000], "items": items[:120]}

def find(dotted):
    parts = dotted.split(".")
    spec = mach.PathFinder.find_spec(parts[0], search)
    if spec is None:
        return None
    if spec.origin and spec.origin not in ("namespace", "built-in", "frozen"):
        path = spec.origin
    elif spec.submodule_search_locations:
        path = None
        base = list(spec.submodule_search_locations)[0]
    else:
        return None
    if path is not None:
        base = os.path.dirname(path) if os.path.basename(path).startswith("__init__.") else None
    for part in parts[1:]:
        if base is None:
            return None
        for cand in (os.path.join(base, part + ".py"), os.path.join(base, part, "__init__.py")):
            if os.path.isfile(cand):
                path = cand
                break
        else:
            return None
        base = os.path.dirname(path) if os.path.basename(path) == "__init__.py" else None
    return path

def norm(s):
    return s.lower().replace("_", "-").replace(".", "-")

dists = None
def distribution(top):
    global dists
    if dists is None:
        dists = list(md.distributions(path=search))
    for d in dists:
        if norm(d.metadata.get("Name") or "") == norm(top):
            return d
    for d in dists:
        tl = d.read_text("top_level.txt") or ""
        if top in tl.split():
            return d
    for d in dists:
        for f in (d.files or [])[:400]:
            if str(f) in (top + "/__init__.py", top + ".py"):
                return d
    return None

out = []
for m in req["modules"]:
    name = m["name"]
    entry = {"name": name, "modules": []}
    try:
        d = distribution(name.split(".")[0])
        if d is not None:
            entry["version"] = d.version
            entry["dist"] = d.metadata.get("Name")
            p = getattr(d, "_path", None)
            entry["metadata"] = os.path.realpath(str(p)) if p else None
        for dotted in [name] + [name + "." + s for s in m.get("names", [])]:
            path = find(dotted)
            if path is None or not path.endswith((".py", ".pyi")):
                if dotted == name and path:
                    entry["compiled"] = True
                continue
            info = describe(path, set(m.get("names", [])))
            info["module"] = dotted
            info["file"] = os.path.realpath(path)
            entry["modules"].append(info)
    except Exception as e:
        entry["error"] = type(e).__name__ + ": " + str(e)[:200]
    out.append(entry)
print(json.dumps(out))
`;
