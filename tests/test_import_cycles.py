"""No import cycles among the package's modules, counting imports made inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import worldorder

SRC = Path(worldorder.__file__).parent.parent


def _modules() -> dict[str, Path]:
    """Dotted name -> file of every module of the package (a package is its ``__init__``)."""
    found = {}
    for path in (SRC / "worldorder").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imported(node: ast.AST, package: str) -> list[str]:
    """The dotted names an import statement names (``from a import b`` gives ``a.b``, a module or not)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
        return [f"{base}.{alias.name}" for alias in node.names]
    return []


def import_graph() -> nx.DiGraph:
    """Module -> module it imports (the nearest enclosing module of each imported name), anywhere in the file."""
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _imported(node, package):
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph.add_edge(name, target)
    return graph


def test_the_graph_sees_plain_relative_and_function_level_imports():
    graph = import_graph()
    assert graph.has_edge("worldorder.sim.calibration", "worldorder.sim.shrinkage")  # top of the file
    assert graph.has_edge("worldorder.sim.observed", "worldorder.sim.scenario")  # inside a function
    assert graph.has_edge("worldorder.sim.scenario", "worldorder.sim.shocks")  # a module, not a name in it
    tree = ast.parse("from .layers import NetworkError\nfrom . import draw\n")
    assert [t for node in tree.body for t in _imported(node, "worldorder.networks")] == [
        "worldorder.networks.layers.NetworkError", "worldorder.networks.draw"]


def test_no_module_imports_itself_back():
    cycles = sorted((sorted(c) for c in nx.simple_cycles(import_graph())), key=len)
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles[:10])
