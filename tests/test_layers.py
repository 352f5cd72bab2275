"""The layer contract: imports only go down the pipeline, and there are no import cycles."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "canvascli"

# Lowest first: a module may import from its own layer and the layers before it.
LAYERS = ("base", "read", "store", "analyse", "render", "browse", "commands", "cli")
# Modules at the top of the package that are not sub-packages, by layer.
TOP_MODULES = {
    "canvascli": "base",
    "canvascli.errors": "base",
    "canvascli.model": "base",
    "canvascli.words": "base",
    "canvascli.env": "base",
    "canvascli.cache_folder": "base",
    "canvascli.kept_patterns": "base",
    "canvascli.cli": "cli",
    "canvascli.__main__": "cli",
    "canvascli.help_screens": "cli",
}
# Libraries that only some layers may touch: reading knows nothing of files, only the
# store talks to SQLite, and nothing below the output knows the terminal or the command line.
RESTRICTED = {
    "os": {"store", "analyse", "render", "commands", "cli"},
    "shutil": {"store", "analyse", "render", "commands", "cli"},
    "sqlite3": {"store"},
    # The pager, the browser's editor, and git for a post's history.
    "subprocess": {"store", "render", "browse", "commands", "cli"},
    "rich": {"render", "browse", "commands", "cli"},
    "typer": {"cli"},
    "click": {"cli"},
    # The interactive browser alone: every other command starts without it.
    "textual": {"browse"},
}
# Base modules that may still read the process: `Env.from_process` is where its variables,
# folder and terminal are read, once, for everything above to be handed; the reader's
# patterns are kept in a folder only the store names.
PROCESS_EDGE = {
    "canvascli.env": {"os"},
    "canvascli.cache_folder": {"os"},
    "canvascli.kept_patterns": {"os"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    if module in TOP_MODULES:
        return TOP_MODULES[module]
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in LAYERS:
        return parts[1]
    raise AssertionError(f"{module} belongs to no layer; add it to a sub-package or TOP_MODULES")


def imported_modules(path: Path, module: str) -> Iterator[tuple[str, int]]:
    """Every module `path` imports, wherever the import sits (lazy ones included)."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            yield source, node.lineno
            # `from canvascli.store import sync` imports the module canvascli.store.sync, and
            # `from canvascli import commands` the package canvascli.commands.
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                place = PACKAGE.parent / Path(*candidate.split("."))
                if place.with_suffix(".py").exists() or (place / "__init__.py").exists():
                    yield candidate, node.lineno
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value, node.lineno


def import_graph() -> dict[str, dict[str, int]]:
    graph: dict[str, dict[str, int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        edges = graph.setdefault(module, {})
        for target, line in imported_modules(path, module):
            edges.setdefault(target, line)
    return graph


GRAPH = import_graph()


def test_every_module_has_a_layer() -> None:
    for module in GRAPH:
        layer_of(module)


def back_edges(graph: dict[str, dict[str, int]]) -> list[str]:
    found = []
    for module, edges in graph.items():
        rank = LAYERS.index(layer_of(module))
        for target, line in edges.items():
            if target == "canvascli" or not target.startswith("canvascli."):
                continue
            if LAYERS.index(layer_of(target)) > rank:
                found.append(f"{module}:{line} imports {target}")
    return found


def import_cycles(graph: dict[str, dict[str, int]]) -> list[str]:
    internal = {
        module: sorted(
            target
            for target in edges
            # A package's __init__ is imported with each of its modules; that is no cycle.
            if target in graph and target != module and not module.startswith(target + ".")
        )
        for module, edges in graph.items()
    }
    visiting: list[str] = []
    done: set[str] = set()
    cycles: list[str] = []

    def visit(module: str) -> None:
        if module in done:
            return
        if module in visiting:
            cycles.append(" -> ".join([*visiting[visiting.index(module) :], module]))
            return
        visiting.append(module)
        for target in internal[module]:
            visit(target)
        visiting.pop()
        done.add(module)

    for module in sorted(internal):
        visit(module)
    return cycles


def test_imports_only_go_down_the_pipeline() -> None:
    found = back_edges(GRAPH)
    assert not found, "imports going up the pipeline:\n" + "\n".join(found)


def test_no_import_cycles() -> None:
    found = import_cycles(GRAPH)
    assert not found, "import cycles:\n" + "\n".join(found)


@pytest.mark.parametrize("library", sorted(RESTRICTED))
def test_libraries_stay_in_their_layers(library: str) -> None:
    allowed = RESTRICTED[library]
    misplaced = [
        f"{module}:{line} imports {target}"
        for module, edges in GRAPH.items()
        for target, line in edges.items()
        if target.split(".")[0] == library
        and layer_of(module) not in allowed
        and library not in PROCESS_EDGE.get(module, set())
    ]
    assert not misplaced, f"{library} outside {sorted(allowed)}:\n" + "\n".join(misplaced)


def test_the_contract_catches_a_back_edge_and_a_cycle() -> None:
    graph = {
        "canvascli.read.labels": {"canvascli.store.index": 3, "canvascli.model": 4},
        "canvascli.store.index": {"canvascli.store.sync": 5},
        "canvascli.store.sync": {"canvascli.store.index": 6},
        "canvascli.model": {},
    }
    assert back_edges(graph) == ["canvascli.read.labels:3 imports canvascli.store.index"]
    assert import_cycles(graph) == [
        "canvascli.store.index -> canvascli.store.sync -> canvascli.store.index"
    ]


def test_the_contract_sees_package_and_dynamic_imports(tmp_path: Path) -> None:
    source = tmp_path / "fake.py"
    source.write_text(
        "import importlib\n"
        "from canvascli import commands\n"
        "def later() -> None:\n"
        "    importlib.import_module('canvascli.store.index')\n",
        encoding="utf-8",
    )
    edges = dict(imported_modules(source, "canvascli.read.fake"))
    assert edges["canvascli.commands"] == 2
    assert edges["canvascli.store.index"] == 4
    graph = {"canvascli.read.fake": edges}
    assert back_edges(graph) == [
        "canvascli.read.fake:2 imports canvascli.commands",
        "canvascli.read.fake:4 imports canvascli.store.index",
    ]
