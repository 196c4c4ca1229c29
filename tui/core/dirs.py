"""The ONE data folder: history, trash, exports and Bash job files all live under it.

`$ROSTER_DATA_DIR`, else platformdirs' user data dir for "roster" (no app author, so Windows
and macOS agree with Linux on a single folder). `tui.config` re-exports it.
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    override = os.environ.get("ROSTER_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("roster", appauthor=False))
