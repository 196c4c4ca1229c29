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


def test_the_whole_way_to_the_first_frame_is_light(tmp_path: object) -> None:
    """What `roster` runs before its first frame on a first start (no config file, no
    remembered view): the parser, the settings, the app module, the remembered view. None of
    it needs the session machinery, the history database, hashing, TOML or JSON."""
    code = (
        "import sys; import tui.cli.main; m = sys.modules['tui.cli.main']; "
        "m._parse(m.build_parser(), []); "
        "from tui.config import load_settings, state_path; load_settings(); "
        "from tui.core.ui_state import read_state; read_state(state_path()); "
        "import tui.app.app; "
        "print(','.join(m for m in ('tui.cli.run', 'tui.cli.permissions', 'sqlite3', 'hashlib', "
        "'tomllib', 'json', 'tui.app.attention', 'tui.core.storage', "
        "'tui.core.session.block_text') if m in sys.modules))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": f"{tmp_path}/config",
        "XDG_DATA_HOME": f"{tmp_path}/data",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout.strip()
    assert out == "", f"imported on the startup path: {out}"
