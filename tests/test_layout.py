"""The house rules a machine can check: imports point down only (cli/app -> screens -> widgets
-> core), no import cycles, no module over 450 lines.

Imports are read from the source with `ast`, so imports inside functions and under
TYPE_CHECKING count as much as the ones at the top of a module."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tui"
MAX_LINES = 450
# Modules other branches are rewriting right now (the session engine and store redesign);
# they are split there. Remove an entry once its module is under the limit.
OVER_LIMIT_ELSEWHERE: set[str] = set()


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every tui module `name` imports, anywhere in its source."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                targets.append(sub if sub in MODULES else module)
        for target in targets:
            # `import tui.a.b` names tui.a.b; keep the deepest tui module it names
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target.startswith("tui") and target != name and target != "tui":
                found.add(target)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "top"  # tui/__init__.py: __version__ only


def test_the_walk_sees_imports_inside_functions_and_type_checking() -> None:
    # the app imports the editor screen only inside a method, and the palette lazily
    assert "tui.screens.editor" in GRAPH["tui.app.app"]
    assert "tui.app.commands" in GRAPH["tui.app.app"]
    assert "tui.core.catalog" in GRAPH["tui.app.app"]  # under TYPE_CHECKING and in workers


def test_no_import_cycles() -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_arrows_point_down() -> None:
    """cli/app -> screens -> widgets -> core; config and the package root are leaves anyone
    may use. A screen gets what it needs passed in (or posts messages), never the App."""
    allowed = {
        "core": {"core"},
        "widgets": {"widgets", "core", "config"},
        "screens": {"screens", "widgets", "core", "config"},
        "app": {"app", "screens", "widgets", "core", "config"},
        "cli": {"cli", "app", "core", "config", "top"},
        "config": {"core"},
        "__main__": {"cli"},
    }
    wrong = [
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        for target in sorted(targets)
        if _layer(target) not in allowed.get(_layer(name), set())
    ]
    assert not wrong, "\n".join(wrong)


def test_top_level_keeps_only_init_and_config() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "config.py"]


def test_no_module_over_the_limit() -> None:
    lines = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in MODULES.items()}
    long = {n: k for n, k in lines.items() if k > MAX_LINES and n not in OVER_LIMIT_ELSEWHERE}
    assert not long, f"over {MAX_LINES} lines: {long}"


def test_test_modules_never_import_each_other() -> None:
    """Shared test code lives in tests/helpers (or a conftest's fixtures), not in a test
    module or a conftest that other modules import."""
    tests = Path(__file__).resolve().parent
    wrong = []
    for path in tests.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                last = node.module.rsplit(".", 1)[-1]
                if node.module.startswith("tests.") and (
                    last.startswith("test_") or last == "conftest"
                ):
                    wrong.append(f"{path.relative_to(tests)} imports {node.module}")
    assert not wrong, "\n".join(wrong)


def test_one_data_folder() -> None:
    """History, trash, exports and Bash job files share one folder rule (tui/core/dirs.py):
    two copies had drifted apart (one with platformdirs' app author, one without)."""
    tui = Path(__file__).resolve().parent.parent / "tui"
    defs = [
        str(p.relative_to(tui))
        for p in tui.rglob("*.py")
        if "def data_dir(" in p.read_text(encoding="utf-8")
    ]
    assert defs == ["core/dirs.py"]
