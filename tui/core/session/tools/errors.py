"""The tools' error type (its own module so that the read log can raise it without a cycle)."""

from __future__ import annotations


class ToolError(Exception):
    """A failure reported to the model as an error tool_result (never a crash)."""
