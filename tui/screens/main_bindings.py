"""The main screen's keys (each with an id for the `[keys]` config and a tooltip for help)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

MAIN_BINDINGS: list[BindingType] = [
    Binding(  # priority: handled as it arrives, so keys typed right after it reach the box
        "slash", "focus_filter", "Filter", id="main.filter", tooltip="Filter agents", priority=True
    ),
    Binding(
        "escape",
        "clear_filter",
        "Clear",
        id="main.clear_filter",
        tooltip="Clear the filter",
    ),
    Binding("g", "cycle_grouping", "Group", id="main.group", tooltip="Group by level, domain, ..."),
    Binding(
        "p",
        "problems_only",
        "Problems",
        id="main.problems",
        tooltip="Show only agents with problems (✗ or !); again shows all",
    ),
    Binding("r", "reload", "Reload", id="main.reload", tooltip="Rescan every root"),
    Binding("e", "edit", "Edit", id="main.edit", tooltip="Edit the highlighted agent here"),
    Binding(
        "i",
        "install",
        "Install",
        id="main.install",
        tooltip="Copy the highlighted agent into the project's or your .claude/agents",
    ),
    Binding(
        "c",
        "hand_off",
        "Claude Code",
        id="main.hand_off",
        tooltip="Run your own `claude` with this agent as the main agent (back here on exit)",
    ),
    Binding("n", "new_agent", "New", id="main.new", tooltip="Create an agent from a template"),
    Binding(
        "d",
        "duplicate",
        "Duplicate",
        id="main.duplicate",
        tooltip="Copy the highlighted agent under a new name",
        show=False,
    ),
    Binding(
        "R,f2",
        "rename",
        "Rename",
        id="main.rename",
        key_display="R/F2",
        tooltip="Rename the highlighted agent (and its file, if you choose)",
        show=False,
    ),
    Binding(
        "delete,x",
        "delete",
        "Delete",
        id="main.delete",
        key_display="Del/x",
        tooltip="Move the highlighted agent to the trash (restore it from the palette)",
        show=False,
    ),
    Binding(
        "l",
        "launch",
        "Launch",
        id="main.launch",
        key_display="⏎/l",
        tooltip="Start a session with the highlighted agent",
    ),
    Binding(
        "s",
        "sessions",
        "Sessions",
        id="main.sessions",
        tooltip="Running sessions (each keeps streaming in the background)",
    ),
    Binding(
        "H",
        "history",
        "History",
        id="main.history",
        show=False,
        tooltip="Past sessions: reopen, resume, export",
    ),
    Binding(
        "E",
        "edit_external",
        "$EDITOR",
        id="main.edit_external",
        tooltip="Open the highlighted agent in $VISUAL / $EDITOR",
        show=False,
    ),
    Binding(
        "left_square_bracket",
        "previous_tab",
        "Tab",
        id="main.previous_tab",
        tooltip="Previous preview tab",
        show=False,
    ),
    Binding(
        "right_square_bracket",
        "next_tab",
        "Next tab",
        id="main.next_tab",
        tooltip="Next preview tab ([ goes back)",
    ),
]
