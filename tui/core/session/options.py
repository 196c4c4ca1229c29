"""What a session is built from: the definition it runs (as a Protocol) and its settings."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .pricing import Price


class DefinitionLike(Protocol):
    """What the engine reads from `tui.core.definition.AgentDefinition`."""

    @property
    def name(self) -> str | None: ...
    @property
    def path(self) -> Path: ...
    @property
    def body(self) -> str: ...
    @property
    def tools(self) -> tuple[str, ...] | None: ...
    @property
    def disallowed_tools(self) -> tuple[str, ...] | None: ...
    @property
    def model(self) -> str | None: ...
    @property
    def permission_mode(self) -> str | None: ...
    @property
    def frontmatter(self) -> Mapping[str, Any]: ...
    @property
    def content_hash(self) -> str: ...


@dataclass(frozen=True)
class Subagents:
    """What the Agent tool may call: `resolve(name)` through the catalog's precedence (None:
    unknown), `listing()` the (name, description) pairs it offers. Given by the app or the
    CLI, so the engine never imports the catalog."""

    resolve: Callable[[str], DefinitionLike | None]
    listing: Callable[[], Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class SessionConfig:
    model: str | None = None  # overrides the definition's `model`
    permission_mode: str | None = None  # overrides the definition's `permissionMode`
    default_model: str | None = None  # what `inherit` means (alias or id)
    model_aliases: Mapping[str, str] | None = None
    max_tokens: int | None = None  # when the definition has no maxTokens (else the model's)
    continuations: int = 3  # times an answer cut by max_tokens is continued automatically
    max_turns: int | None = None  # when the definition has no maxTurns (else unlimited)
    thinking: bool = True
    api_key: str | None = None  # else ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN
    base_url: str | None = None  # else ANTHROPIC_BASE_URL
    secrets: tuple[str, ...] = ()  # config [secrets]: redacted from tool results, not in Bash env
    read_timeout_s: float = 90.0  # no byte for this long: the attempt stalled (retried)
    connect_timeout_s: float = 10.0
    max_retries: int = 4
    retry_base_s: float = 1.0
    retry_max_s: float = 30.0
    prices: Mapping[str, Price] | None = None
    allow_rules: tuple[str, ...] = ()  # rules.py syntax, e.g. "Bash(git status:*)", "Edit"
    deny_rules: tuple[str, ...] = ()  # beat everything, bypassPermissions included
    ask_rules: tuple[str, ...] = ()  # always ask (dontAsk: deny)
    demo: bool = False
    title: str = ""
    driver: str = ""  # who drives the session, named to a second driver that is refused
    subagents: Subagents | None = None  # None: no Agent tool
    max_depth: int = 5  # delegation levels below the session the user started
    web_tools: bool = True  # offer WebSearch/WebFetch (the API's server tools) when listed


def default_driver() -> str:
    return " ".join(["roster", *sys.argv[1:3]])[:80]


def has_credentials(config: SessionConfig | None = None) -> bool:
    if config is not None and config.api_key:
        return True
    return bool(os.environ.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_AUTH_TOKEN"))


def positive_int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value
