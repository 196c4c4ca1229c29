"""Where `roster run` prints a tool call's line so that each result sits right under its call,
and how a result reads (its first line, the line count, Bash's exit code).

The calls of one assistant message all arrive before the first one runs; the results come one
by one afterwards. The first call's line prints at once; the others wait until their tool
starts (its permission is decided or asked) or its result arrives, and a call's line prints
again above its result whenever something else was printed in between (a permission question,
a delegated agent's lines, the model's text)."""

from __future__ import annotations

from tui.core.session.blocks import ToolBlock

Key = tuple[str, str]  # (session id, "" for the session started here; tool_use_id)


class CallOrder:
    def __init__(self) -> None:
        self._lines: dict[Key, str] = {}  # calls whose result has not come yet
        self._last: Key | None = None  # the call whose line is the last thing printed

    def called(self, key: Key, line: str) -> str | None:
        """A call's input is complete: its line to print now, unless an earlier call of the
        same session still waits for its result (then it prints when it starts)."""
        waiting = any(k[0] == key[0] for k in self._lines)
        self._lines[key] = line
        return None if waiting else self.starting(key)

    def starting(self, key: Key) -> str | None:
        """The call runs now (or asks): its line, unless it is the last thing printed."""
        return None if self._last == key else self._lines.get(key)

    def result(self, key: Key) -> str | None:
        """Its result prints next: the call's line to print first when it is not right above."""
        line = self.starting(key)
        self._lines.pop(key, None)
        self._last = None
        return line

    def printed(self, key: Key | None = None) -> None:
        """Something went to the terminal: the call `key`'s line, or anything else (None)."""
        self._last = key


def result_parts(name: str, output: str, is_error: bool) -> tuple[str, int, int | None]:
    """(first line, number of lines, Bash's exit code or None). A failed command's trailing
    "Exit code N" line is the code, not output."""
    code = ToolBlock("", name, output=output, is_error=is_error).exit_code
    if output.startswith("Command running in background"):
        code = None  # (not finished: BashOutput tells how it ends)
    text = output
    if code and is_error:
        text = output.rstrip().rsplit("\n", 1)[0] if "\n" in output.rstrip() else ""
    stripped = text.strip()
    first = stripped.splitlines()[0] if stripped else ""
    return first, len(text.splitlines()), code
