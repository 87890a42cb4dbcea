"""The layers of ARCHITECTURE.md, enforced: every import (deferred ones included) runs downwards.

The test reads the source with `ast`, so an import inside a function counts as much as one
at the top of a module. It fails on an import against a layer's direction and on any cycle
between modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("grader", "baselines", "kit", "leaderboard")

# Layer → the layers it may import (itself included). Order is bottom to top.
FOUNDATION = "kit.foundation"  # kit/errors.py, clock.py, settings.py, tokens.py, text.py
ALLOWED: dict[str, set[str]] = {
    "grader": {"grader"},
    "baselines": {"baselines", "grader"},
    FOUNDATION: {FOUNDATION},
    "kit.store": {FOUNDATION, "kit.store"},
    "kit.challenge": {FOUNDATION, "kit.store", "kit.challenge", "grader"},
    "kit.season": {FOUNDATION, "kit.store", "kit.challenge", "kit.season", "grader"},
    "kit.services": {FOUNDATION, "kit.store", "kit.challenge", "kit.season", "kit.services", "grader"},
    "kit.api": {FOUNDATION, "kit.store", "kit.challenge", "kit.season", "kit.services", "kit.api", "grader"},
    "leaderboard": {FOUNDATION, "kit.store", "kit.challenge", "kit.season", "kit.services", "leaderboard",
                    "grader"},
    # The composition root: the CLI and `kit serve` wire the front ends and the baselines together.
    "kit.cli": {FOUNDATION, "kit.store", "kit.challenge", "kit.season", "kit.services", "kit.api", "kit.cli",
                "kit.client", "grader", "baselines", "leaderboard"},
    # The HTTP client a participant runs: it talks to the server, never to a database.
    "kit.client": {FOUNDATION, "kit.client", "grader"},
}
ENTRY_POINTS = {"kit", "kit.__main__"}  # `python -m kit` and the package itself: the CLI's doorway


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] in ("grader", "baselines", "leaderboard"):
        return parts[0]
    if parts[0] != "kit" or module in ENTRY_POINTS:
        return None
    if len(parts) >= 2 and f"kit.{parts[1]}" in ALLOWED:
        return f"kit.{parts[1]}"
    return FOUNDATION


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or ".streamlit" in path.parts:
                continue
            modules[module_name(path)] = path
    return modules


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules that `name` imports, resolved to the longest known module name."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import submodule` imports the submodule; `from pkg import name`, the package.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names]
        for target in targets:
            parts = target.split(".")
            while parts and ".".join(parts) not in known:
                parts.pop()
            if parts and parts[0] in PACKAGES and ".".join(parts) != name:
                found.add(".".join(parts))
    return found


MODULES = project_modules()
GRAPH = {name: imports_of(name, path, set(MODULES)) for name, path in MODULES.items()}


def test_every_module_belongs_to_a_layer():
    assert {name for name in MODULES if layer_of(name) is None} <= ENTRY_POINTS | {"kit"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_layers(module):
    layer = layer_of(module)
    if layer is None:
        return
    wrong = sorted(target for target in GRAPH[module]
                   if layer_of(target) is not None and layer_of(target) not in ALLOWED[layer])
    assert not wrong, f"{module} ({layer}) must not import {wrong}; see ARCHITECTURE.md"


def test_grader_imports_nothing_of_the_project():
    for module, targets in GRAPH.items():
        if module.startswith("grader"):
            assert all(target.startswith("grader") for target in targets), (module, targets)


def test_no_import_cycles():
    """Tarjan's strongly connected components; package __init__ re-exports count as edges too."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert not cycles, f"import cycles: {cycles}"


def test_the_checker_sees_a_forbidden_import(tmp_path):
    """The reader itself can fail: a deferred upward import is found."""
    source = tmp_path / "probe.py"
    source.write_text("def f():\n    from leaderboard.actions import join\n")
    found = imports_of("kit.store.probe", source, set(MODULES))
    assert "leaderboard.actions" in found and layer_of("leaderboard.actions") not in ALLOWED["kit.store"]
