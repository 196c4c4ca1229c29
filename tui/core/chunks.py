"""Long text cut into pieces that can be rendered one at a time (the preview shows the first
piece at once and the rest as you scroll). Cuts fall on blank lines outside code fences, so a
Markdown block is never split; a piece without any such line is cut at a line end, or (one huge
line) anywhere."""

from __future__ import annotations

from dataclasses import dataclass

FIRST = 4 * 1024  # about a screenful: rendered before anything else
PIECE = 24 * 1024
CAP = 1024 * 1024  # beyond this the preview says "open it in your editor"


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    line: int  # 1-based line number of its first line


@dataclass(frozen=True, slots=True)
class Pieces:
    pieces: tuple[Piece, ...]
    cut: int  # characters left out beyond CAP (0: all of it)


def _cut_at(text: str, start: int, size: int, blocks: bool) -> int:
    """Where the piece starting at `start` ends."""
    end = start + size
    if end >= len(text):
        return len(text)
    if blocks:
        fence = False
        best = -1
        at = start
        while True:
            nl = text.find("\n", at, end)
            if nl < 0:
                break
            line = text[at:nl]
            if line.lstrip().startswith(("```", "~~~")):
                fence = not fence
            elif not line.strip() and not fence:
                best = nl + 1
            at = nl + 1
        if best > start:
            return best
    nl = text.rfind("\n", start, end)
    return nl + 1 if nl >= start else end


def split(text: str, *, blocks: bool = True, first: int = FIRST, size: int = PIECE) -> Pieces:
    """`text` (at most CAP characters of it) as pieces; `blocks`: cut between Markdown blocks."""
    cut = max(0, len(text) - CAP)
    if cut:
        text = text[:CAP]
    pieces: list[Piece] = []
    start, line = 0, 1
    while start < len(text):
        end = _cut_at(text, start, first if not pieces else size, blocks)
        chunk = text[start:end]
        pieces.append(Piece(chunk, line))
        line += chunk.count("\n")
        start = end
    return Pieces(tuple(pieces), cut)
