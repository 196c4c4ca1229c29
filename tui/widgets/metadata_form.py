"""A form for the common frontmatter keys. It never edits text itself: each user change posts
`MetadataForm.Changed(key, value)` and the editor applies it with `fm_edit.set_key`, so only
that key's lines change. `sync(defn)` shows what the text currently says without posting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static

from tui.core.definition import AgentDefinition
from tui.core.editing import frontmatter_problem
from tui.core.grouping import LEVELS
from tui.core.tool_list import KNOWN_TOOLS, parse_tool_value
from tui.core.validate import COLORS, MODEL_ALIASES, PERMISSION_MODES

FieldValue = str | list[str] | None
# Where a key goes when the file does not have it yet: after the last of these present.
KEY_ORDER: tuple[str, ...] = (
    "name",
    "description",
    "tools",
    "model",
    "permissionMode",
    "color",
    "level",
    "domain",
)
_TEXT_KEYS = {"md-name": "name", "md-description": "description", "md-domain": "domain"}
_SELECT_KEYS = {
    "md-level": "level",
    "md-model": "model",
    "md-permission": "permissionMode",
    "md-color": "color",
}
_SELECT_CHOICES: dict[str, tuple[str, ...]] = {
    "level": LEVELS,
    "model": tuple(sorted(MODEL_ALIASES)),
    "permissionMode": tuple(sorted(PERMISSION_MODES)),
    "color": tuple(sorted(COLORS)),
}
_TOOL_NAMES: tuple[str, ...] = tuple(sorted(KNOWN_TOOLS, key=str.lower))


def keys_before(key: str) -> tuple[str, ...]:
    return KEY_ORDER[: KEY_ORDER.index(key)] if key in KEY_ORDER else ()


def _raw(fm: Any, key: str) -> str | None:
    value = fm.get(key) if isinstance(fm, dict) else None
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)


class MetadataForm(VerticalScroll):
    """Name, description, level, domain, model, permission mode, tools, color."""

    DEFAULT_CSS = """
    MetadataForm { padding: 0 1; }
    MetadataForm Label { margin-top: 1; color: $text-muted; }
    MetadataForm Input, MetadataForm Select { width: 100%; }
    MetadataForm #md-tools { height: auto; max-height: 14; }
    MetadataForm #md-disabled { color: $warning; display: none; }
    MetadataForm.-disabled #md-disabled { display: block; }
    """

    @dataclass
    class Changed(Message):
        """The user changed `key` through the form. `value` None removes the key."""

        form: MetadataForm
        key: str
        value: FieldValue

        @property
        def control(self) -> MetadataForm:
            return self.form

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._defn: AgentDefinition | None = None
        self._shown: dict[str, str] = {}  # what sync last put in each text field
        self._fm: dict[str, Any] = {}
        self._tools: tuple[str, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            "The frontmatter does not parse; fix it in the text (see Problems) to use the form.",
            id="md-disabled",
        )
        yield Label("name")
        yield Input(id="md-name", placeholder="lowercase-with-dashes")
        yield Label("description  (when Claude should use this agent)")
        yield Input(id="md-description")
        yield Label("level")
        yield Select[str](self._options("level"), id="md-level", prompt="(not set)")
        yield Label("domain")
        yield Input(id="md-domain")
        yield Label("model")
        yield Select[str](self._options("model"), id="md-model", prompt="(not set: inherit)")
        yield Label("permissionMode")
        yield Select[str](self._options("permissionMode"), id="md-permission", prompt="(not set)")
        yield Label("color")
        yield Select[str](self._options("color"), id="md-color", prompt="(not set)")
        yield Label("tools")
        yield Checkbox("All tools (no `tools` key)", id="md-all-tools")
        yield SelectionList[str](*[(t, t) for t in _TOOL_NAMES], id="md-tools")
        yield Label("other tools  (comma separated: mcp__server__tool, Bash(git:*))")
        yield Input(id="md-other-tools")

    @staticmethod
    def _options(key: str, extra: str | None = None) -> list[tuple[str, str]]:
        choices = list(_SELECT_CHOICES[key])
        if extra is not None and extra not in choices:
            choices.append(extra)
        return [(c, c) for c in choices]

    # ---- text -> form ------------------------------------------------------------------------

    def sync(self, defn: AgentDefinition | None) -> None:
        """Show `defn` (None or unparseable frontmatter: disable the form). The widget that has
        focus is left alone so typing in it is never overwritten mid-word."""
        usable = defn is not None and frontmatter_problem(defn) is None
        self.set_class(not usable, "-disabled")
        for widget in self.query("Input, Select, SelectionList, Checkbox"):
            widget.disabled = not usable
        if not usable or defn is None:
            return
        self._defn = defn
        self._fm = dict(defn.frontmatter)
        self._tools = defn.tools
        focused = self.screen.focused
        with self.prevent(
            Input.Changed, Select.Changed, SelectionList.SelectedChanged, Checkbox.Changed
        ):
            for wid, key in _TEXT_KEYS.items():
                inp = self.query_one(f"#{wid}", Input)
                # a focused field keeps what the user typed; one they have not typed in yet
                # (focused when F2 opened the form before this first sync) is filled in
                if inp is not focused or inp.value == self._shown.get(wid, ""):
                    inp.value = self._shown[wid] = _raw(self._fm, key) or ""
                if key == "domain":
                    inp.placeholder = f"(not set: {defn.domain})"
            for wid, key in _SELECT_KEYS.items():
                sel: Select[str] = self.query_one(f"#{wid}", Select)
                raw = _raw(self._fm, key)
                if sel is focused or sel.expanded:
                    continue
                sel.set_options(self._options(key, raw))
                sel.value = raw if raw is not None else Select.NULL
            all_tools = self.query_one("#md-all-tools", Checkbox)
            all_tools.value = defn.tools is None
            tools: SelectionList[str] = self.query_one("#md-tools", SelectionList)
            tools.disabled = defn.tools is None
            entries = set(defn.tools or ())
            if tools is not focused:
                for t in _TOOL_NAMES:
                    if t in entries:
                        tools.select(t)
                    else:
                        tools.deselect(t)
            other = self.query_one("#md-other-tools", Input)
            other.disabled = defn.tools is None
            if other is not focused:
                other.value = ", ".join(e for e in defn.tools or () if e not in KNOWN_TOOLS)

    # ---- form -> text ------------------------------------------------------------------------

    def _emit(self, key: str, value: FieldValue) -> None:
        if self._defn is None:
            return
        if key == "tools":
            current: FieldValue = None if self._tools is None else list(self._tools)
        else:
            current = _raw(self._fm, key)
            if value == "" and current is None:
                return
        if value == current:
            return
        # Remember what we asked for, so the echo of our own change is not re-sent.
        if key == "tools":
            self._tools = None if value is None else tuple(value)
        else:
            self._fm[key] = value
        self.post_message(self.Changed(self, key, value))

    @on(Input.Changed, "#md-name, #md-description, #md-domain")
    def _text_changed(self, event: Input.Changed) -> None:
        event.stop()
        key = _TEXT_KEYS[event.input.id or ""]
        # Surrounding spaces mean nothing in these values (and a transient trailing space
        # would make the value quoted). An emptied domain is removed; name and description are
        # kept (empty) so the diagnostics say what is missing instead of the line vanishing.
        value = event.value.strip()
        self._emit(key, None if (key == "domain" and not value) else value)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        key = _SELECT_KEYS.get(event.select.id or "")
        if key is None:
            return
        value = event.value
        self._emit(key, value if isinstance(value, str) else None)

    @on(Checkbox.Changed, "#md-all-tools")
    def _all_tools_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        tools: SelectionList[str] = self.query_one("#md-tools", SelectionList)
        other = self.query_one("#md-other-tools", Input)
        tools.disabled = other.disabled = event.value
        self._emit("tools", None if event.value else self._tool_list())

    @on(SelectionList.SelectedChanged, "#md-tools")
    def _tools_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        if not self.query_one("#md-all-tools", Checkbox).value:
            self._emit("tools", self._tool_list())

    @on(Input.Changed, "#md-other-tools")
    def _other_tools_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not self.query_one("#md-all-tools", Checkbox).value:
            self._emit("tools", self._tool_list())

    def _tool_list(self) -> list[str]:
        """The tools the form shows, in the file's order; new ones go at the end."""
        tools: SelectionList[str] = self.query_one("#md-tools", SelectionList)
        checked = set(tools.selected)
        other_text = self.query_one("#md-other-tools", Input).value
        other: Sequence[str] = parse_tool_value(other_text)[0] if other_text.strip() else ()
        wanted = [t for t in _TOOL_NAMES if t in checked] + [o for o in other if o not in checked]
        existing = list(self._tools or ())
        result = [e for e in existing if e in wanted]
        result += [w for w in wanted if w not in result]
        return result

    def focus_first(self) -> None:
        for widget in self.query("Input, Select, SelectionList, Checkbox"):
            if isinstance(widget, Widget) and widget.focusable:
                widget.focus()
                return
