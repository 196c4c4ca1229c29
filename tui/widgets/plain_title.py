"""Border titles that carry text from a file (an agent's name, a file name): Textual reads a
`str` border title as markup, so `x[/]y` crashed the dialog and `[@click=…]` made a clickable
action. A Content is shown as it is; control characters are made visible first."""

from __future__ import annotations

from textual.content import Content

from tui.core.sanitize import visible_line


def plain_title(text: str) -> Content:
    """`text` as a border title: never markup, never raw control characters."""
    return Content(visible_line(text))
