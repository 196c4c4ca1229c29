"""The typed model of one agent-definition file and of what is wrong with it.

Pure data: no I/O, no parsing. Everything else in Roster reads these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

NO_DOMAIN_SOURCE = "nothing in the file"  # the source of the fallback domain, "general"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about a file, located like a compiler message (1-based line and column)."""

    code: str
    severity: Severity
    line: int
    column: int
    message: str
    fix: str = ""

    def __reduce__(self) -> tuple[Any, ...]:
        # Plain tuples pickle several times faster than slotted dataclasses (cold scans send
        # thousands of these between processes).
        return (
            _diagnostic,
            (self.code, self.severity.value, self.line, self.column, self.message, self.fix),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True, slots=True)
class AgentDefinition:
    """One `.md` file as Roster understands it, valid or not.

    `tools` / `disallowed_tools`: None means the key is absent (all tools for `tools`);
    an empty tuple means present but empty (no tools).
    `level` is normalised ("L0".."L3") or None; `level_inferred` says it was guessed from the name.
    `domain` is always set (frontmatter, `category`, folder, or "general"); `domain_inferred`
    is True unless it came from the `domain` key.
    """

    path: Path
    root: Path
    name: str | None
    description: str | None
    tools: tuple[str, ...] | None
    disallowed_tools: tuple[str, ...] | None
    model: str | None
    permission_mode: str | None
    level: str | None
    level_inferred: bool
    domain: str
    domain_inferred: bool
    frameworks: tuple[str, ...]
    color: str | None
    frontmatter: Mapping[str, Any]
    extra: Mapping[str, Any]
    body: str
    body_line: int
    key_lines: Mapping[str, int]
    encoding: str
    content_hash: str
    loads_in_claude_code: bool
    skip_reason: str | None
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    level_source: str = ""  # where an inferred level came from ("the name `react-expert`")
    domain_source: str = ""  # where an inferred domain came from

    @property
    def level_note(self) -> str:
        """ "inferred from the name `react-expert`", or "" when the file says it."""
        return f"inferred from {self.level_source}" if self.level_source else ""

    @property
    def domain_note(self) -> str:
        if self.domain_source == NO_DOMAIN_SOURCE:
            return "inferred from no domain word in the name, description, tools or folders"
        return f"inferred from {self.domain_source}" if self.domain_source else ""

    def __reduce__(self) -> tuple[Any, ...]:
        values = [getattr(self, f) for f in _FIELDS]
        values[0], values[1] = str(self.path), str(self.root)
        return (_definition, tuple(values))

    @property
    def display_name(self) -> str:
        return self.name if self.name else self.path.stem

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def has_warnings(self) -> bool:
        return any(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def is_agent(self) -> bool:
        """True when the file reads as an agent at all (has a name), even with warnings."""
        return self.name is not None

    @property
    def relative_path(self) -> Path:
        try:
            return self.path.relative_to(self.root)
        except ValueError:
            return self.path

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    def int_key(self, key: str) -> int | None:
        value = self.frontmatter.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        return value


_FIELDS: tuple[str, ...] = AgentDefinition.__slots__


def _diagnostic(
    code: str, severity: str, line: int, column: int, message: str, fix: str
) -> Diagnostic:
    return Diagnostic(code, Severity(severity), line, column, message, fix)


def _definition(*values: Any) -> AgentDefinition:
    fields = list(values)
    fields[0], fields[1] = Path(fields[0]), Path(fields[1])
    return AgentDefinition(*fields)
