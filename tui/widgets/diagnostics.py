"""Diagnostics as a compiler would print them: line:col, severity, code, message, fix."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text

from tui.core.definition import Diagnostic, Severity
from tui.core.sanitize import visible

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=lambda x: (SEVERITY_ORDER[x.severity], x.line, x.column, x.code))


def diagnostics_table(diags: Iterable[Diagnostic]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="dim", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for d in sort_diagnostics(diags):
        where = f"{d.line}:{d.column}"
        severity = Text(f"{d.severity.value} {d.code}", SEVERITY_STYLE[d.severity])
        message = Text(visible(d.message))
        if d.fix:
            message.append(f"\n→ {visible(d.fix)}", "dim")
        table.add_row(where, severity, message)
    return table


def counts(diags: Iterable[Diagnostic]) -> tuple[int, int, int]:
    e = w = i = 0
    for d in diags:
        if d.severity is Severity.ERROR:
            e += 1
        elif d.severity is Severity.WARNING:
            w += 1
        else:
            i += 1
    return e, w, i
