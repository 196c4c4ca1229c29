"""The session engine: run an agent definition against the Messages API with local tools.

Importing this package is cheap: `anthropic` is imported only when a request is made.
"""
