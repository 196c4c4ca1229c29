"""The table of names every name check must agree on (core, the dialogs, `roster validate`)."""

from __future__ import annotations

from tui.core.names import NameLevel

# name -> (verdict, suggested slug); None: a conventional name.
NAME_TABLE: list[tuple[str, NameLevel | None, str]] = [
    ("", NameLevel.ERROR, "agent"),
    ("api reviewer", NameLevel.INFO, "api-reviewer"),
    ("ApiReviewer", NameLevel.INFO, "api-reviewer"),
    ("api_reviewer", NameLevel.INFO, "api-reviewer"),
    ("résumé-writer", NameLevel.INFO, "resume-writer"),
    ("-api", NameLevel.ERROR, "api"),
    ("a" * 257, NameLevel.ERROR, "a" * 64),
    ("..", NameLevel.INFO, "agent"),
    ("team/api", NameLevel.INFO, "team-api"),
    ("api-reviewer-2", None, "api-reviewer-2"),
]
