"""What the app remembers between runs that is not configuration: the theme last chosen and
the tree's grouping. A small JSON file in the data folder (`tui.config.state_path`), written
atomically; a missing file means defaults, a corrupt one is ignored with a note (never a crash,
and it is replaced on the next change)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from tui.core.reading import read_definition

MAX_STATE_BYTES = 64 * 1024  # a bigger file is not ours to read


@dataclass(frozen=True, slots=True)
class UiState:
    theme: str | None = None
    grouping: str | None = None  # a GroupBy value


def read_state(path: Path) -> tuple[UiState, str | None]:
    """The remembered state, and a note when the file had to be ignored."""
    try:  # only a regular file is opened: a FIFO here would hang the start for ever
        raw = read_definition(path, MAX_STATE_BYTES)
    except FileNotFoundError:
        return UiState(), None
    except OSError as exc:
        why = exc.strerror or str(exc)
        return UiState(), f"cannot read {path}: {why}; using the defaults"
    if len(raw) > MAX_STATE_BYTES:
        return UiState(), f"{path} is larger than {MAX_STATE_BYTES // 1024} KiB; ignored"
    import json  # (only when there is a file: a first start's frame does without)

    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return UiState(), f"{path} is not valid JSON ({exc}); using the defaults"
    except RecursionError:  # `[[[[...`: json recurses once per level
        return UiState(), f"{path} is nested too deeply to be ours; using the defaults"
    if not isinstance(data, dict):
        return UiState(), f"{path} should hold a JSON object; using the defaults"

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) and 0 < len(value) <= 100 else None

    return UiState(theme=text("theme"), grouping=text("grouping")), None


def write_state(path: Path, state: UiState) -> str | None:
    """Write `state` atomically; returns what went wrong (the app goes on without it)."""
    import json

    from tui.core.storage import StorageError, atomic_write  # (not needed to start)

    data = json.dumps(asdict(state), indent=2).encode("utf-8") + b"\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except (OSError, StorageError) as exc:
        return f"cannot remember the view in {path}: {exc}"
    return None


def remember(path: Path, **changes: str) -> str | None:
    """Change some fields of the remembered state (a corrupt file is replaced)."""
    state, _note = read_state(path)
    return write_state(path, replace(state, **changes))
