"""AgentDefinitions as plain tuples for marshal: how forked readers (scan_fork, early_scan)
send what they parsed. Turning a record back into a definition costs about a fifth of parsing
the file (unpickling the dataclass cost half). Light on purpose: no YAML, no parser, so the
process that reads records does not pay for importing them."""

from __future__ import annotations

import marshal
import pickle
from dataclasses import replace
from pathlib import Path
from typing import Any

from tui.core.definition import AgentDefinition, Diagnostic, Severity

_FIELDS = AgentDefinition.__slots__[2:]  # every field but path and root, in order
_DIAG = _FIELDS.index("diagnostics")
_SEVERITY = {s.value: s for s in Severity}


def pack(d: AgentDefinition) -> tuple[Any, ...]:
    values = [getattr(d, f) for f in _FIELDS]
    values[_DIAG] = tuple(
        (x.code, x.severity.value, x.line, x.column, x.message, x.fix) for x in d.diagnostics
    )
    return tuple(values)


def pack_any(d: AgentDefinition) -> Any:
    """`d` as marshal-able plain tuples, or pickled when a value marshal cannot carry."""
    packed = pack(d)
    try:
        marshal.dumps(packed)
    except (ValueError, RecursionError):
        return pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL)
    return packed


def unpack(packed: Any, path: Path, root: Path) -> AgentDefinition:
    if isinstance(packed, bytes):  # pickled: a value marshal cannot carry (e.g. a YAML date)
        d = pickle.loads(packed)
        assert isinstance(d, AgentDefinition)
        return replace(d, path=path, root=root)
    values = list(packed)
    values[_DIAG] = tuple(
        Diagnostic(c, _SEVERITY[s], ln, col, m, f) for c, s, ln, col, m, f in values[_DIAG]
    )
    return AgentDefinition(path, root, *values)
