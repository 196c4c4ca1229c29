"""The Textual App (`tui.app.app.RosterApp`) and its services: the catalog + watcher, the
live sessions, the command palette and the keymap. Nothing below this package imports it."""
