"""The command line: `roster` (the app) and its subcommands."""

from tui.cli.main import main

__all__ = ["main"]
