"""Model aliases (`sonnet`, `opus`, `haiku`, `fable`, `inherit`) -> model ids.

Defaults are the newest ids of each family that the installed `anthropic` SDK lists in
`anthropic/types/model_param.py`. The file is read as text so `anthropic` is not imported.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

FAMILIES = ("sonnet", "opus", "haiku", "fable")
FALLBACK_IDS: dict[str, str] = {
    "sonnet": "claude-sonnet-5-5",
    "opus": "claude-opus-5-5",
    "haiku": "claude-haiku-5-5",
    "fable": "claude-fable-5-2",
}
DEFAULT_ALIAS = "sonnet"

_ID = re.compile(r'"(claude-([a-z]+)-(\d+)(?:-(\d+))?)"')


def _version_key(major: str, minor: str | None) -> tuple[int, int]:
    # "claude-opus-4-5-20251101" is a dated snapshot: the date is not a minor version.
    minor_n = int(minor) if minor is not None and len(minor) < 3 else 0
    return int(major), minor_n


def newest_ids(source: str) -> dict[str, str]:
    """Newest undated id per family in the text of model_param.py."""
    best: dict[str, tuple[tuple[int, int], str]] = {}
    for match in _ID.finditer(source):
        model_id, family, major, minor = match.groups()
        if minor is not None and len(minor) >= 3:
            continue  # dated snapshot
        key = _version_key(major, minor)
        if family not in best or key > best[family][0]:
            best[family] = (key, model_id)
    return {family: model_id for family, (_, model_id) in best.items()}


@lru_cache(maxsize=1)
def _model_param_text() -> str:
    """The installed SDK's `types/model_param.py` ("" when it cannot be read)."""
    spec = importlib.util.find_spec("anthropic")
    locations = spec.submodule_search_locations if spec else None
    if not locations:
        return ""
    try:
        return (Path(next(iter(locations))) / "types" / "model_param.py").read_text("utf-8")
    except OSError:
        return ""


@lru_cache(maxsize=1)
def sdk_default_ids() -> dict[str, str]:
    ids = dict(FALLBACK_IDS)
    found = newest_ids(_model_param_text())
    ids.update({k: v for k, v in found.items() if k in FAMILIES})
    return ids


def known_models(overrides: Mapping[str, str] | None = None) -> list[str]:
    """What a model field completes: `inherit`, the aliases, then every id the SDK lists
    and the config's (any other id may still be typed)."""
    ids = [m.group(1) for m in _ID.finditer(_model_param_text())]
    table = {**sdk_default_ids(), **(overrides or {})}
    names = ["inherit", *table, *table.values(), *sorted(ids, reverse=True)]
    return list(dict.fromkeys(names))


def resolve_model(
    name: str | None,
    *,
    overrides: Mapping[str, str] | None = None,
    default: str | None = None,
) -> str:
    """The model id for a definition's `model` value (or a --model flag).

    `overrides` maps aliases to ids (from config); `default` is what `inherit` / absent means
    (an alias or an id; `sonnet` when not given). Anything else is taken as a full model id.
    """
    table = {**sdk_default_ids(), **(overrides or {})}
    value = (name or "").strip()
    if not value or value.lower() == "inherit":
        value = default or DEFAULT_ALIAS
        if value.lower() == "inherit":
            value = DEFAULT_ALIAS
    return table.get(value.lower(), value)


# Output-token ceilings per model (prefix of the id, most specific first). The installed SDK
# has no such table (anthropic 2.x only lists non-streaming limits of two old models), so it
# lives here; `max_tokens` in config.toml or a definition's `maxTokens` overrides it.
MAX_OUTPUT_TOKENS: tuple[tuple[str, int], ...] = (
    ("claude-3-haiku", 4_096),
    ("claude-3-opus", 4_096),
    ("claude-3-5", 8_192),
    ("claude-3-7-sonnet", 64_000),
    ("claude-opus-4-0", 32_000),
    ("claude-opus-4-1", 32_000),
    ("claude-opus-4", 64_000),
    ("claude-sonnet-4", 64_000),
    ("claude-haiku-4", 64_000),
    ("claude-opus-5", 128_000),
    ("claude-sonnet-5", 64_000),
    ("claude-haiku-5", 64_000),
)
UNKNOWN_MODEL_MAX_TOKENS = 32_000
# Context windows (tokens a request may hold), by id prefix; 200,000 when not listed.
CONTEXT_WINDOWS: tuple[tuple[str, int], ...] = ()
DEFAULT_CONTEXT_WINDOW = 200_000


def context_window(model_id: str) -> int:
    for prefix, size in CONTEXT_WINDOWS:
        if model_id.startswith(prefix):
            return size
    return DEFAULT_CONTEXT_WINDOW


def default_max_tokens(model_id: str) -> int:
    """The model's output ceiling from MAX_OUTPUT_TOKENS (32,000 for an id it does not know)."""
    for prefix, limit in MAX_OUTPUT_TOKENS:
        if model_id.startswith(prefix):
            return limit
    return UNKNOWN_MODEL_MAX_TOKENS
