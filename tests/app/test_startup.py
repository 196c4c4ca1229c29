"""The way to the first frame stays light: no anthropic, no watchfiles, no YAML parser."""

from __future__ import annotations

import subprocess
import sys


def test_app_import_is_light() -> None:
    code = (
        "import sys; import tui.app.app; "
        "print(','.join(m for m in ('anthropic', 'watchfiles', 'yaml', 'tui.core.catalog', "
        "'tui.widgets.preview', 'tui.app.commands', 'tui.core.session.tools', 'pathspec', "
        "'textual.widgets._text_area', 'tree_sitter', 'sqlite3') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"imported on the startup path: {out}"
