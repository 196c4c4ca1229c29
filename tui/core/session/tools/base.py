"""What every tool shares: its spec (name, schema, kind), its context, and its error type."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from .errors import ToolError as ToolError

if TYPE_CHECKING:
    from ..rules import HiddenPaths
    from .jobs import JobTable
    from .readstate import ReadLog

ToolKind = Literal["read", "edit", "exec", "delegate"]  # delegate: the Agent tool
# What a tool returns: text, or API content blocks (text, image, document) for a tool_result.
ToolOutput = str | list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class ToolContext:
    """Where a session's tools may act. `root` is the resolved working directory; `secrets`
    are values Bash's environment must not carry; `jobs` are the session's shell jobs;
    `hidden` are the path patterns of the Read deny and ask rules, whose files Grep and Glob
    leave out (`home` is what their `~` means); `reads` is what this session's Read saw,
    which Write and Edit of an existing file require (each session has its own)."""

    root: Path
    secrets: tuple[str, ...] = ()
    jobs: JobTable = field(default_factory=lambda: _job_table())
    hidden: tuple[str, ...] = ()
    home: str = field(default_factory=lambda: os.path.expanduser("~"))
    reads: ReadLog = field(default_factory=lambda: _read_log())

    @classmethod
    def for_dir(
        cls,
        cwd: str | os.PathLike[str],
        *,
        secrets: Iterable[str] = (),
        read_rules: Iterable[str] = (),
    ) -> ToolContext:
        """`read_rules`: the deny and ask rule texts; their `Read(...)` patterns are hidden."""
        from ..rules import read_path_specs  # lazily: the Grep worker imports this module

        return cls(
            root=Path(cwd).expanduser().resolve(),
            secrets=tuple(secrets),
            hidden=read_path_specs(read_rules),
        )

    def hidden_paths(self) -> HiddenPaths:
        from ..rules import HiddenPaths

        return HiddenPaths(self.hidden, self.root, self.home)


class Tool(Protocol):
    name: str
    kind: ToolKind
    description: str
    input_schema: ClassVar[dict[str, Any]]

    def target(self, args: dict[str, Any], ctx: ToolContext) -> Path | None:
        """The path the call acts on (already confined), if any; raises ToolError."""

    def preview(self, args: dict[str, Any], ctx: ToolContext) -> str:
        """What a permission prompt shows: a diff, a command, or a path."""

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> ToolOutput:
        """Do it; the returned text (or content blocks) is the tool_result. Raise ToolError
        on failure."""


def require_str(args: dict[str, Any], key: str, *, allow_empty: bool = False) -> str:
    value = args.get(key)
    if not isinstance(value, str):
        raise ToolError(f"Invalid input: `{key}` is required and must be a string.")
    if not value and not allow_empty:
        raise ToolError(f"Invalid input: `{key}` must not be empty.")
    return value


def optional_int(args: dict[str, Any], key: str, *, minimum: int = 0) -> int | None:
    value = args.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        else:
            raise ToolError(f"Invalid input: `{key}` must be an integer.")
    if value < minimum:
        raise ToolError(f"Invalid input: `{key}` must be >= {minimum}.")
    return value


def optional_bool(args: dict[str, Any], key: str, default: bool = False) -> bool:
    value = args.get(key, default)
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return bool(value)


def _job_table() -> JobTable:
    from .jobs import JobTable  # lazily: the Grep worker process imports this module too

    return JobTable()


def _read_log() -> ReadLog:
    from .readstate import ReadLog

    return ReadLog()
