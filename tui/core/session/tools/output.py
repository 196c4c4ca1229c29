"""Command output kept within bounds: the head AND the tail, with the middle counted.

A failing test at the end of a long build log is what the model needs most, so the tail is
never dropped: `… N lines omitted …` stands where the middle was.
"""

from __future__ import annotations

OUTPUT_CAP = 30_000  # characters in a tool result
HEAD_BYTES = 64 * 1024  # kept from the start of the stream
TAIL_BYTES = 512 * 1024  # kept from the end (background jobs read from here)


def cap_text(head: str, tail: str = "", gap_lines: int = 0, cap: int = OUTPUT_CAP) -> str:
    """`head` then `tail` (with `gap_lines` lines already lost between them), at most ~cap
    characters: the first and last halves kept, whole lines where possible."""
    if not gap_lines and len(head) + len(tail) <= cap:
        return head + tail
    half = cap // 2
    if not gap_lines:  # one stream: split it in the middle
        whole = head + tail
        head, tail = whole[:half], whole[half:]
    kept_head = head[:half]
    cut = kept_head.rfind("\n")
    if cut > half // 2:
        kept_head = kept_head[:cut]
    kept_tail = tail[-half:] if len(tail) > half else tail
    if len(tail) > half:
        cut = kept_tail.find("\n")
        if 0 <= cut < half // 2:
            kept_tail = kept_tail[cut + 1 :]
    dropped = head[len(kept_head) :] + tail[: len(tail) - len(kept_tail)]
    dropped = dropped.removeprefix("\n")  # the end of the last kept line
    omitted = gap_lines + dropped.count("\n") + (1 if dropped and dropped[-1] != "\n" else 0)
    kept_head = kept_head.rstrip("\n")
    lead = f"{kept_head}\n" if kept_head else ""
    return f"{lead}… {omitted} lines omitted …\n{kept_tail}"


class OutputBuffer:
    """Bytes of a stream: the first HEAD_BYTES and the last TAIL_BYTES, by absolute offset."""

    def __init__(self) -> None:
        self._head = bytearray()
        self._tail = bytearray()
        self._tail_start = 0  # absolute offset of _tail[0]
        self._gap_lines = 0  # newlines dropped between head and tail
        self.total = 0

    def feed(self, chunk: bytes) -> None:
        room = HEAD_BYTES - len(self._head)
        if room > 0 and self._tail_start == len(self._head):
            self._head += chunk[:room]
            chunk = chunk[room:]
            self._tail_start = len(self._head)
        self._tail += chunk
        self.total = self._tail_start + len(self._tail)
        excess = len(self._tail) - TAIL_BYTES
        if excess > 0:
            self._gap_lines += self._tail.count(b"\n", 0, excess)
            del self._tail[:excess]
            self._tail_start += excess

    def text(self, since: int = 0, cap: int = OUTPUT_CAP) -> str:
        """What arrived from offset `since` on, capped (head and tail kept)."""
        head = bytes(self._head[since:]) if since < len(self._head) else b""
        tail = bytes(self._tail[max(0, since - self._tail_start) :])
        if self._tail_start <= max(since, len(self._head)):  # contiguous
            return cap_text(_decode(head + tail), cap=cap).rstrip("\n")
        gap = self._gap_lines if since <= len(self._head) else 1
        return cap_text(_decode(head), _decode(tail), max(gap, 1), cap).rstrip("\n")


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
