"""Typed settings: TOML in the platformdirs config dir, overridable by environment variables.

    ROSTER_CONFIG      path of the TOML file (default: <config dir>/config.toml)
    ROSTER_DATA_DIR    where history and trash live (default: platformdirs user data dir)

config.toml:
    roots = ["~/work/agents"]          # extra agent folders, like --agents-dir
    default_model = "sonnet"           # what `model: inherit` (or no model) means
    max_tokens = 16000
    theme = "textual-dark"
    [secrets]                          # redacted from every tool result, kept out of Bash
    github = "ghp_..."                 # a value
    env = ["DATABASE_URL"]             # or names of environment variables holding one
    [models]                           # alias -> model id
    sonnet = "claude-sonnet-5-5"
    [keys]                             # binding id -> keys (ids are listed in the help, F1)
    "main.launch" = "enter,ctrl+r"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("roster", appauthor=False))


def data_dir() -> Path:
    env = os.environ.get("ROSTER_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("roster", appauthor=False))


def config_path() -> Path:
    env = os.environ.get("ROSTER_CONFIG")
    return Path(env).expanduser() if env else config_dir() / "config.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    roots: tuple[Path, ...] = ()
    default_model: str = "sonnet"
    max_tokens: int = 16000
    theme: str = "textual-dark"
    secrets: tuple[str, ...] = ()  # values from [secrets] (and the variables it names)
    models: dict[str, str] = field(default_factory=dict)
    watch: bool = True
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> comma-separated keys
    problems: tuple[str, ...] = ()  # what was wrong with the config file, for the UI to show


def load_settings(path: Path | None = None) -> Settings:
    """Never raises: a broken config file gives defaults plus a problem message."""
    path = path or config_path()
    problems: list[str] = []
    data: dict[str, Any] = {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"{path}: {exc}; using defaults")

    def pick(key: str, kind: type, default: Any) -> Any:
        value = data.get(key, default)
        if not isinstance(value, kind):
            problems.append(f"{path}: `{key}` should be {kind.__name__}; using {default!r}")
            return default
        return value

    roots_raw = pick("roots", list, [])
    roots = tuple(Path(str(r)).expanduser() for r in roots_raw if isinstance(r, str))
    models_raw = pick("models", dict, {})
    models = {str(k): str(v) for k, v in models_raw.items() if isinstance(v, str)}
    keys: dict[str, str] = {}
    for binding_id, value in pick("keys", dict, {}).items():
        if isinstance(value, str) and value.strip():
            keys[str(binding_id)] = value.replace(" ", "")
        else:
            problems.append(
                f'{path}: keys.{binding_id} should be keys like "ctrl+l" or '
                f'"f5,ctrl+r"; keeping the default'
            )
    return Settings(
        roots=roots,
        default_model=pick("default_model", str, "sonnet"),
        max_tokens=pick("max_tokens", int, 16000),
        theme=pick("theme", str, "textual-dark"),
        secrets=_secrets(pick("secrets", dict, {}), path, problems),
        models=models,
        watch=pick("watch", bool, True),
        keys=keys,
        problems=tuple(problems),
    )


def _secrets(table: dict[str, Any], path: Path, problems: list[str]) -> tuple[str, ...]:
    """`[secrets]`: string values are secrets; `env = [NAMES]` names variables holding one."""
    values: list[str] = []
    for name, value in table.items():
        if name == "env" and isinstance(value, list):
            values.extend(os.environ[v] for v in value if isinstance(v, str) and os.environ.get(v))
        elif isinstance(value, str) and value:
            values.append(value)
        else:
            problems.append(f"{path}: secrets.{name} should be a string; ignored")
    return tuple(values)
