"""Helpers shared by test modules (not a test module: test modules never import each other)."""
