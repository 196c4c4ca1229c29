"""Roster: a terminal home for AI coding-agent definitions."""

__version__ = "0.1.0"
