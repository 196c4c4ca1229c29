"""Every binding id Roster defines, to check a config's [keys] table against."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding
from textual.dom import DOMNode


def _classes() -> Iterable[type[DOMNode]]:
    from tui.app.app import RosterApp
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.conflict import ConflictScreen
    from tui.screens.editor import EditorScreen
    from tui.screens.help import HelpScreen
    from tui.screens.history import HistoryScreen, SessionReplayScreen
    from tui.screens.launch import LaunchScreen
    from tui.screens.main import MainScreen
    from tui.screens.sessions import SessionsScreen
    from tui.widgets.permission_prompt import PermissionPrompt
    from tui.widgets.session_view import SessionView

    return (
        RosterApp,
        MainScreen,
        EditorScreen,
        ConflictScreen,
        ConfirmScreen,
        HelpScreen,
        HistoryScreen,
        SessionReplayScreen,
        LaunchScreen,
        SessionsScreen,
        PermissionPrompt,
        SessionView,
    )


def binding_ids() -> set[str]:
    ids: set[str] = set()
    for cls in _classes():
        for klass in cls.__mro__:
            for binding in getattr(klass, "BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids


def unknown_ids(keymap: Mapping[str, str]) -> set[str]:
    return set(keymap) - binding_ids()
