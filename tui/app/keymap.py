"""Every binding id Roster defines, read from the bindings themselves (no hand-kept list), to
check a config's [keys] table against.

The ids come from every class in `tui.app`, `tui.screens` and `tui.widgets` that declares
BINDINGS (and the Textual classes they build on): a new screen's ids are known the moment it
exists. The modules are imported by name, so this module adds no import edges."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from functools import cache

from textual.binding import Binding
from textual.dom import DOMNode

PACKAGES = ("tui.app", "tui.screens", "tui.widgets")


def _import_all() -> None:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, f"{name}."):
            importlib.import_module(info.name)


def binding_classes() -> list[type[DOMNode]]:
    """Roster's DOM classes that declare BINDINGS of their own, in a stable order."""
    _import_all()
    found: dict[type[DOMNode], None] = {}
    stack: list[type[DOMNode]] = [DOMNode]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub in found:
                continue
            stack.append(sub)
            if sub.__module__.startswith(PACKAGES) and "BINDINGS" in vars(sub):
                found[sub] = None
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__))


def own_bindings(cls: type[DOMNode]) -> Iterator[Binding]:
    for binding in vars(cls).get("BINDINGS", []):
        if isinstance(binding, Binding):
            yield binding


@cache
def binding_ids() -> frozenset[str]:
    ids: set[str] = set()
    for cls in binding_classes():
        for klass in cls.__mro__:
            for binding in getattr(klass, "BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return frozenset(ids)


def unknown_ids(keymap: Mapping[str, str]) -> set[str]:
    return set(keymap) - binding_ids()
