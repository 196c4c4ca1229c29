"""The app's side of the remembered view (tui.core.ui_state): the theme and grouping of the
last run come back at start, a theme chosen from the palette is remembered at once (the main
screen remembers its grouping itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.config import state_path
from tui.core.tree_model import GroupBy
from tui.core.ui_state import read_state, remember

if TYPE_CHECKING:
    from textual.app import App
    from textual.theme import Theme

    from tui.core.browse import Browse


def restore_view(app: App[Any], browse: Browse, fallback_theme: str | None = None) -> None:
    """Before the first scan lands: theme and grouping as the last run left them (`browse`:
    the main screen's tree model). The theme is set once: the remembered one, else
    `fallback_theme` (the config's); each set costs a CSS refresh and a theme signal."""
    path = state_path()
    state, note = read_state(path)
    for theme in (state.theme, fallback_theme):
        if theme and theme in app.available_themes:
            app.theme = theme
            break
    if state.grouping in {g.value for g in GroupBy}:
        browse.set_grouping(GroupBy(state.grouping))
    if note:
        app.notify(note, title="Remembered view", severity="warning", timeout=8)
    remembered = app.theme

    def theme_changed(theme: Theme) -> None:
        nonlocal remembered
        if theme.name != remembered:  # not the theme set just now at start
            remembered = theme.name
            _report(app, remember(state_path(), theme=theme.name))

    app.theme_changed_signal.subscribe(app, theme_changed)


def _report(app: App[Any], problem: str | None) -> None:
    if problem:
        app.notify(problem, title="Remembered view", severity="warning", timeout=8)
