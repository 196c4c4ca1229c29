"""Typed settings: TOML in the platformdirs config dir, overridable by environment variables.

    ROSTER_CONFIG      path of the TOML file (default: <config dir>/config.toml)
    ROSTER_DATA_DIR    history, trash, the remembered view (default: platformdirs user data dir)

config.toml:
    roots = ["~/work/agents"]          # extra agent folders, like --agents-dir
    bundled = false                    # hide Roster's library (like --no-bundled)
    default_model = "sonnet"           # what `model: inherit` (or no model) means
    max_tokens = 64000                 # default: the model's own output ceiling
    continuations = 3                  # an answer cut at max_tokens is continued this often
    connect_timeout_s = 10             # API connection timeout
    stall_timeout_s = 90               # no byte from the API this long: the attempt is retried
    theme = "textual-dark"
    bell = true                        # ring when a session out of sight needs you
    desktop_notify = false             # and a desktop notification (notify-send / OSC 777)
    [secrets]                          # redacted from every tool result, kept out of Bash
    github = "ghp_..."                 # a value
    env = ["DATABASE_URL"]             # or names of environment variables holding one
    [models]                           # alias -> model id
    sonnet = "claude-sonnet-5-5"
    [keys]                             # binding id -> keys (ids are listed in the help, F1)
    "main.launch" = "enter,ctrl+r"
    [permissions]                      # rules in Claude Code's syntax; deny > ask > allow
    allow = ["Bash(git status:*)", "Bash(npm test:*)", "Edit(src/**)"]
    deny = ["Bash(rm *)", "Read(~/.ssh/**)"]
    ask = ["Bash(git push:*)"]
    [infer.domains]                    # more words -> domain, checked before the built-in ones
    frontend = ["htmx", "alpine"]
    [infer.levels]                     # more role words -> level
    L3 = ["validator"]
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.dirs import data_dir as data_dir
from tui.core.reading import read_definition

MAX_CONFIG_BYTES = 1024 * 1024  # a bigger config.toml is not read (a link to /dev/zero…)


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("roster", appauthor=False))


def state_path() -> Path:
    """What the app remembers between runs (theme, grouping): tui.core.ui_state."""
    return data_dir() / "ui-state.json"


def config_path() -> Path:
    env = os.environ.get("ROSTER_CONFIG")
    return Path(env).expanduser() if env else config_dir() / "config.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    roots: tuple[Path, ...] = ()
    bundled: bool = True  # show Roster's library of agents
    default_model: str = "sonnet"
    max_tokens: int | None = None  # None: the model's own ceiling (core.session.models)
    continuations: int = 3
    connect_timeout_s: float = 10.0
    stall_timeout_s: float = 90.0
    theme: str = "textual-dark"
    secrets: tuple[str, ...] = ()  # values from [secrets] (and the variables it names)
    models: dict[str, str] = field(default_factory=dict)
    watch: bool = True
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> comma-separated keys
    allow: tuple[str, ...] = ()  # [permissions] rules
    deny: tuple[str, ...] = ()
    ask: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # what was wrong with the config file, for the UI to show
    infer_levels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    infer_domains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_delegation_depth: int = 5  # Agent calls nest at most this deep
    web_tools: bool = True  # offer WebSearch/WebFetch (the API's server tools)
    bell: bool = True  # a terminal bell when a session out of sight needs the user
    desktop_notify: bool = False  # and a desktop notification


def load_settings(path: Path | None = None) -> Settings:
    """Never raises: a broken config file gives defaults plus a problem message."""
    path = path or config_path()
    problems: list[str] = []
    data: dict[str, Any] = {}
    try:
        raw = read_definition(path, MAX_CONFIG_BYTES)  # a regular file only: a FIFO hung here
        if len(raw) > MAX_CONFIG_BYTES:
            raise OSError(f"larger than {MAX_CONFIG_BYTES // 1024} KiB")
    except FileNotFoundError:
        raw = None
    except OSError as exc:
        raw = None
        problems.append(f"{path}: {exc}; using defaults")
    if raw is not None:
        import tomllib  # (only when there is a file: not on the way to a first start's frame)

        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            problems.append(f"{path}: {exc}; using defaults")
        except RecursionError:  # `a = [[[[...`: tomllib recurses once per level
            problems.append(f"{path}: values nested too deeply; using defaults")

    def pick(key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        value = data.get(key, default)
        if not isinstance(value, kind):
            name = kind.__name__ if isinstance(kind, type) else "a number"
            problems.append(f"{path}: `{key}` should be {name}; using {default!r}")
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
    rules: dict[str, tuple[str, ...]] = {}
    for kind, entries in pick("permissions", dict, {}).items():
        if kind in {"allow", "deny", "ask"} and isinstance(entries, list):
            rules[kind] = tuple(str(e) for e in entries if isinstance(e, str) and e.strip())
        else:
            problems.append(
                f'{path}: permissions.{kind} should be allow, deny or ask = ["Bash(npm test:*)"]'
                "; ignored"
            )
    infer = pick("infer", dict, {})
    tables: list[dict[str, tuple[str, ...]]] = [{}, {}]
    for i, part in enumerate(("levels", "domains")):
        table = infer.get(part, {})
        if not isinstance(table, dict):
            problems.append(f"{path}: `infer.{part}` should be a table of word lists")
            continue
        for key, words in table.items():
            if isinstance(words, list) and all(isinstance(w, str) for w in words):
                tables[i][str(key)] = tuple(words)
            else:
                problems.append(f"{path}: `infer.{part}.{key}` should be a list of words")
    for level in list(tables[0]):
        if level.upper() not in ("L0", "L1", "L2", "L3"):
            problems.append(f"{path}: `infer.levels.{level}` is not L0, L1, L2 or L3")
            del tables[0][level]
    return Settings(
        infer_levels=tables[0],
        infer_domains=tables[1],
        roots=roots,
        bundled=pick("bundled", bool, True),
        default_model=pick("default_model", str, "sonnet"),
        max_tokens=pick("max_tokens", int, None) if "max_tokens" in data else None,
        continuations=max(0, pick("continuations", int, 3)),
        max_delegation_depth=max(0, pick("max_delegation_depth", int, 5)),
        web_tools=bool(pick("web_tools", bool, True)),
        bell=bool(pick("bell", bool, True)),
        desktop_notify=bool(pick("desktop_notify", bool, False)),
        connect_timeout_s=float(pick("connect_timeout_s", (int, float), 10.0)),
        stall_timeout_s=float(pick("stall_timeout_s", (int, float), 90.0)),
        theme=pick("theme", str, "textual-dark"),
        secrets=_secrets(pick("secrets", dict, {}), path, problems),
        models=models,
        watch=pick("watch", bool, True),
        keys=keys,
        allow=rules.get("allow", ()),
        deny=rules.get("deny", ()),
        ask=rules.get("ask", ()),
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
