"""The import rule of docs/architecture.md, checked on the source with `ast`.

Every `import` and `from ... import` counts, wherever it stands: at the top of a module,
inside a function (a lazy import) or under `if TYPE_CHECKING`. An import of a submodule
is an edge to that submodule only, not to the packages above it that Python also runs:
a package's __init__ is a facade, and it is checked as a module of its own.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: lawproof's packages and the folders that hold them (pyproject's package-dir)
FOLDERS = {"lawproof": "lawproof", "lawproof.symbolic": "symbolic", "lawproof.proofs": "proofs",
           "lawproof.numeric": "numeric"}

#: The layers, bottom first, and the module paths that put a module in each: a module
#: is in a layer when its dotted name is one of the paths or lies under one.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("language", ("lawproof.language",)),
    ("symbolic", ("lawproof.symbolic",)),
    ("proofs", ("lawproof.proofs",)),
    ("numeric", ("lawproof.numeric",)),
    ("pipeline", ("lawproof.engine", "lawproof.verdict", "lawproof.regions", "lawproof.cache")),
    ("explore", ("lawproof.explore",)),
    ("report", ("lawproof.report",)),
    ("front", ("lawproof.cli",)),
]
#: The package's own __init__ (the public API) sits in the top layer, with the command line.
FRONT_DOOR = ("lawproof", "front")

#: The longest chain of layers that import one another (the issue's measure: 12 module
#: levels before the layout, which had no layers).
MAX_LEVELS = 6

Graph = dict[str, set[str]]


def source_modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for package, folder in FOLDERS.items():
        for path in sorted((root / folder).rglob("*.py")):
            parts = [p for p in path.relative_to(root / folder).with_suffix("").parts if p != "__init__"]
            out[".".join([package, *parts])] = path
    return out


def import_graph(root: Path = ROOT) -> Graph:
    """Module -> the package modules it imports (static imports, any position)."""
    modules = source_modules(root)

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: Graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            else:
                continue
            deps |= {t for t in map(known, targets) if t is not None and t != name}
        graph[name] = deps
    return graph


def layer_of(module: str) -> str | None:
    """The layer a module's path puts it in (None: outside every layer)."""
    if module == FRONT_DOOR[0]:
        return FRONT_DOOR[1]
    for layer, paths in LAYERS:
        if any(module == p or module.startswith(p + ".") for p in paths):
            return layer
    return None


def cycles(graph: Graph) -> list[list[str]]:
    """The import cycles: strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def upward(graph: Graph) -> list[str]:
    """Imports that point to a higher layer (or from or to a module outside every layer)."""
    rank = {layer: i for i, (layer, _) in enumerate(LAYERS)}
    out = []
    for a in sorted(graph):
        for b in sorted(graph[a]):
            la, lb = layer_of(a), layer_of(b)
            if la is None or lb is None:
                out.append(f"{a if la is None else b} is in no layer: put it in a layer's folder")
            elif rank[lb] > rank[la]:
                out.append(f"{a} ({la}) imports {b} ({lb}), a layer above it")
    return sorted(set(out))


def levels(graph: Graph) -> int:
    """The longest chain of layers importing one another, counted in layers."""
    edges: dict[str, set[str]] = {}
    for a, deps in graph.items():
        for b in deps:
            if layer_of(a) != layer_of(b):
                edges.setdefault(layer_of(a), set()).add(layer_of(b))
    depth: dict[str, int] = {}
    for layer, _ in LAYERS:  # bottom first, so every layer below is already counted
        depth[layer] = 1 + max((depth[b] for b in edges.get(layer, ()) if b in depth), default=0)
    return max(depth.values())


def test_the_import_graph_has_no_cycles():
    assert cycles(import_graph()) == []


def test_no_layer_imports_a_layer_above_it():
    assert upward(import_graph()) == []


def test_the_layers_are_at_most_six_levels_deep():
    assert levels(import_graph()) <= MAX_LEVELS


def test_the_graph_sees_lazy_and_relative_imports():
    graph = import_graph()
    assert "lawproof.report.display" in graph["lawproof"]  # imported inside a function
    assert "lawproof.language.parser" in graph["lawproof.language.claims"]  # `from .parser import`
    assert "lawproof.numeric.sample" in graph["lawproof.numeric"]  # a package's __init__


# -- the checks fail on a planted violation (a synthetic graph, not the package) ---------

def test_a_planted_cycle_is_found():
    graph = {"lawproof.language.a": {"lawproof.language.b"}, "lawproof.language.b": {"lawproof.language.c"},
             "lawproof.language.c": {"lawproof.language.a"}, "lawproof.engine": {"lawproof.language.a"}}
    assert cycles(graph) == [["lawproof.language.a", "lawproof.language.b", "lawproof.language.c"]]


@pytest.mark.parametrize("importer, imported", [
    ("lawproof.language.loader", "lawproof.explore.variants"),  # the cycle the layout broke
    ("lawproof.verdict", "lawproof.report.markdown"),
    ("lawproof.symbolic.normalize", "lawproof.engine"),
    ("lawproof.report.model", "lawproof.cli.common"),
])
def test_a_planted_upward_import_is_found(importer, imported):
    assert upward({importer: {imported}, imported: set()}) == [
        f"{importer} ({layer_of(importer)}) imports {imported} ({layer_of(imported)}), a layer above it"]
    assert upward({imported: {importer}, importer: set()}) == []


def test_a_module_outside_every_layer_is_found():
    assert upward({"lawproof.engine": {"lawproof.helpers"}, "lawproof.helpers": set()}) == [
        "lawproof.helpers is in no layer: put it in a layer's folder"]


def test_a_planted_chain_of_seven_layers_is_too_deep():
    chain = ["lawproof.language.a", "lawproof.symbolic.a", "lawproof.proofs.a", "lawproof.numeric.a",
             "lawproof.engine", "lawproof.explore.a", "lawproof.report.a"]
    graph = {a: {b} for a, b in zip(chain[1:], chain)} | {chain[0]: set()}
    assert levels(graph) == 7 > MAX_LEVELS
    assert levels({a: deps for a, deps in graph.items() if a != "lawproof.numeric.a"}
                  | {"lawproof.engine": {"lawproof.proofs.a"}}) == 6
