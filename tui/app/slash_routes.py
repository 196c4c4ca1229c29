"""The slash commands the app does for a session view (tui/widgets/slash_commands.py):

- /clear: a NEW history record for the same agent, folder, model, mode and rules, with an
  empty conversation. It takes the old session's place in the sessions list; the old one is
  closed and stays in the history (resume it from there). The new record's first event says
  which session it replaced, so the two stay linked by agent + folder and by that note.
- /compact: the summary request, run like a turn (SessionManager.compact).
- /export: what `x` does in history, for this session; the file's path is said in the
  transcript.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.app.session_manager import SessionManager
    from tui.core.session.live import LiveSession
    from tui.screens.sessions import SessionsScreen


async def run_command(
    manager: SessionManager, screen: SessionsScreen, live: LiveSession, name: str
) -> None:
    if live not in manager.sessions:  # (a /clear sent twice: the first one replaced it)
        return
    if name == "compact":
        manager.compact(live)
    elif name == "export":
        export(manager, live)
    elif name == "clear":
        await clear(manager, screen, live)


def export(manager: SessionManager, live: LiveSession) -> None:
    from tui.screens.history import export_session

    manager.flush_history()
    row = manager.store.get_session(live.id)
    if row is None:
        live.note(f"Session {live.id} is not in the history yet: nothing to export.", "export")
        return
    live.note(export_session(manager, row), "export")


async def clear(manager: SessionManager, screen: SessionsScreen, live: LiveSession) -> None:
    from tui.core.session.engine import AgentSession
    from tui.core.session.events import Notice
    from tui.core.session.live import LiveSession

    old = live.session
    definition = manager.definitions[live.id]
    config = replace(old.config, model=old.model, permission_mode=old.mode, title="")
    session = AgentSession(definition, old.ctx.root, config, history=manager.history)
    session.launch_mode = old.launch_mode  # (/mode keeps the launch's ceiling)
    fresh = LiveSession(session, label=live.label)
    text = (
        f"New conversation (/clear): same agent, folder {session.ctx.root}, model "
        f"{session.model} and mode {session.mode}. The previous one is session {old.id} in "
        "the history (h), where it can be resumed."
    )
    manager.history.record(session.id, Notice("cleared", text))
    fresh.note(text, "cleared")
    manager.adopt(fresh, definition)
    await screen.add(fresh)
    screen.show(fresh.id)
    manager.drop(live)
    await screen.forget(live.id)
    await old.aclose()
