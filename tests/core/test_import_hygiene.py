"""tui.core must never import Textual or Rich (nor anything above it: app, screens, widgets,
cli), and importing tui must stay cheap. tests/test_layout.py checks every arrow statically."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import tui.core as core
for m in pkgutil.walk_packages(core.__path__, "tui.core."):
    importlib.import_module(m.name)
above = ("tui.app", "tui.screens", "tui.widgets", "tui.cli")
bad = sorted(
    n for n in sys.modules
    if n.split(".")[0] in ("textual", "rich") or n.startswith(above)
)
print(",".join(bad))
"""


def test_core_imports_no_ui_modules() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_cli_module_import_is_light() -> None:
    code = (
        "import sys, tui.cli; "
        "print(','.join(n for n in ('textual', 'anthropic', 'rich', 'yaml') if n in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
