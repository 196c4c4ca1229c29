"""The session status line: agent · model · mode · state · tokens · cost · elapsed."""

from __future__ import annotations

from rich.text import Text

from tui.core.sanitize import visible_line
from tui.core.session.models import context_window
from tui.core.session.transcript import Transcript
from tui.widgets.report_card import OUTCOME_STYLE

STATE_STYLE = {
    "new": ("○", "dim"),
    "streaming": ("●", "cyan"),
    "thinking": ("●", "magenta"),
    "running tool": ("⚙", "blue"),
    "waiting for you": ("◉", "bold black on yellow"),
    "retrying": ("↻", "yellow"),
    "done": ("✓", "green"),
    "interrupted": ("■", "yellow"),
    "error": ("✗", "bold red"),
    "truncated": ("✂", "bold yellow"),
    "refused": ("⊘", "bold red"),
}


def tokens(n: int) -> str:
    if n < 1000:
        return str(n)
    if n < 100_000:
        return f"{n / 1000:.1f}k"
    return f"{n / 1000:.0f}k"


def clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes:02}:{secs:02}"


def state_badge(state: str) -> Text:
    icon, style = STATE_STYLE.get(state, ("•", ""))
    return Text(f"{icon} {state}", style=style)


def report_badge(t: Transcript) -> Text:
    """The parsed report's outcome (completed / blocked / failed), once the turn is over."""
    if t.report is None or t.turn_started is not None:
        return Text()
    colour, icon = OUTCOME_STYLE.get(t.report.outcome, OUTCOME_STYLE["other"])
    return Text(f"  report: {icon} {visible_line(t.report.outcome)}", style=f"bold {colour}")


def context_meter(t: Transcript) -> str:
    """How full the model's context window is: the conversation after the last response."""
    window = context_window(t.model)
    return f"context {tokens(t.context_tokens)}/{tokens(window)} ({t.context_tokens / window:.0%})"


def render_status(agent: str, t: Transcript, now: float) -> Text:
    text = Text()
    if t.demo:
        text.append(" DEMO ", style="bold black on magenta")
        text.append(" ")
    text.append(visible_line(agent or "session"), style="bold")
    model = visible_line((t.model or "?").removeprefix("claude-"))
    text.append(f" · {model} · {t.mode or 'default'}  ", style="dim")
    text.append_text(state_badge(t.state))
    text.append_text(report_badge(t))
    text.append(
        f"\ntokens {t.stats.totals().line(short=True)} · {context_meter(t)}"
        f" · {clock(t.elapsed(now))}",
        style="dim",
    )
    if t.child_stats.responses:  # delegated work: the whole tree's figure too
        tree = t.stats.totals().add(t.child_stats)
        text.append(f"\nwith subagents {tree.line(short=True)}", style="dim")
    return text
