"""Rendering pieces of a long prompt or file to lines, in a worker thread (no Textual state is
touched): Markdown for the Prompt tab, numbered plain lines for the Source tab. Control
characters are shown as visible escapes."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text
from textual.strip import Strip

from tui.core.chunks import Piece, Pieces
from tui.core.sanitize import visible


def _console(width: int) -> Console:
    return Console(
        width=width,
        file=io.StringIO(),
        color_system="truecolor",
        force_terminal=True,
        legacy_windows=False,
        highlight=False,
    )


def markdown_strips(piece: Piece, width: int) -> list[Strip]:
    from rich.markdown import Markdown

    console = _console(width)
    markdown = Markdown(visible(piece.text), code_theme="ansi_dark", hyperlinks=False)
    lines = console.render_lines(markdown, console.options.update_width(width), pad=False)
    return [Strip(line) for line in lines]


def source_strips(piece: Piece, width: int) -> list[Strip]:
    console = _console(width)
    text = Text(no_wrap=False)
    lines = piece.text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines, piece.line):
        text.append(f"{n:>6} ", "dim")
        text.append(visible(line, keep_newlines=False))
        text.append("\n")
    rendered = console.render_lines(text, console.options.update_width(width), pad=False)
    return [Strip(line) for line in rendered]


def with_note(split: Pieces, *, markdown: bool) -> list[Piece]:
    """The pieces, and a last one saying what was left out beyond the cap."""
    pieces = list(split.pieces)
    if split.cut:
        kb = max(1, split.cut // 1024)
        note = f"… {kb:,} KB more not shown here: press E to open the file in your editor."
        pieces.append(Piece(f"\n---\n\n*{note}*\n" if markdown else f"\n{note}\n", 0))
    return pieces
