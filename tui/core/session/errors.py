"""Classify API and transport failures into SessionError kinds, and the retry wait.

`anthropic` / `httpx2` are imported inside the functions: callers only reach here after a
request was made, when both are loaded already.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

NO_KEY_MESSAGE = (
    "No API key. Set ANTHROPIC_API_KEY to run a session, e.g.\n"
    "    export ANTHROPIC_API_KEY=sk-ant-...\n"
    "(create a key at https://console.anthropic.com/settings/keys), "
    'or try `roster run NAME "task" --demo` to see a scripted DEMO session.'
)
BAD_KEY_MESSAGE = (
    "The API rejected the credentials (401 authentication_error). Check ANTHROPIC_API_KEY:\n"
    "    export ANTHROPIC_API_KEY=sk-ant-...\n"
    "(create a key at https://console.anthropic.com/settings/keys)."
)
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504, 529})
MID_STREAM_RETRY = frozenset({"overloaded_error", "api_error", "rate_limit_error"})


@dataclass(frozen=True, slots=True)
class Failure:
    kind: str
    message: str
    retryable: bool  # worth trying again (automatically before a stream starts)
    status: int | None = None


def classify(exc: BaseException) -> Failure:
    """What went wrong, for the user; a message echoing a credential (a proxy repeating the
    request's headers) has it redacted before it is shown or stored."""
    from dataclasses import replace

    from .secrets import redact

    failure = _classify(exc)
    return replace(failure, message=redact(failure.message))


def _classify(exc: BaseException) -> Failure:
    import anthropic
    import httpx2

    if isinstance(exc, anthropic.APIStatusError):
        status = exc.status_code
        detail = _detail(exc)
        if status == 200:  # an `event: error` inside the stream
            transient = _error_type(exc) in MID_STREAM_RETRY
            return Failure(
                "stream", f"The API reported an error mid-response: {detail}", transient, 200
            )
        if status == 401:
            return Failure("auth", BAD_KEY_MESSAGE, False, status)
        if status == 403:
            return Failure("permission", f"Permission denied (403): {detail}", False, status)
        if status == 429:
            return Failure("rate_limit", f"Rate limited (429): {detail}", True, status)
        if status == 529:
            return Failure("overloaded", f"The API is overloaded (529): {detail}", True, status)
        if status in RETRY_STATUSES or status >= 500:
            return Failure("server", f"Server error ({status}): {detail}", True, status)
        return Failure(
            "request", f"The API refused the request ({status}): {detail}", False, status
        )
    if isinstance(exc, anthropic.APITimeoutError):
        return Failure("connection", "The API did not answer in time.", True)
    if isinstance(exc, anthropic.APIConnectionError):
        return Failure("connection", f"Could not reach the API: {_cause(exc)}", True)
    if isinstance(exc, httpx2.ReadTimeout):
        return Failure("stream", "The response stalled (read timeout); partial output kept.", True)
    if isinstance(exc, httpx2.TransportError):
        return Failure(
            "stream",
            f"The connection broke mid-response ({type(exc).__name__}: "
            f"{exc}); partial output kept.",
            True,
        )
    if isinstance(exc, anthropic.AnthropicError):
        return Failure("client", str(exc), False)
    if isinstance(exc, json.JSONDecodeError):  # an event whose data is not JSON: a glitch
        return Failure(
            "stream", f"The API sent a malformed event ({exc}); partial output kept.", True
        )
    return Failure("internal", f"{type(exc).__name__}: {exc}", False)


def _error_type(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    error = body.get("error") if isinstance(body, dict) else None
    return str(error.get("type", "")) if isinstance(error, dict) else ""


def _detail(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return f"{error.get('type', 'error')}: {error['message']}"
    return str(getattr(exc, "message", exc))


def _cause(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    return f"{type(cause).__name__}: {cause}" if cause else str(exc)


def retry_wait(exc: BaseException | None, attempt: int, base_s: float, max_s: float) -> float:
    """Seconds before attempt `attempt` (1-based): the server's retry-after, else backoff."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is not None:
        for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
            value = headers.get(name)
            if value is None:
                continue
            try:
                wait: float = float(value) * scale
            except ValueError:
                continue
            if wait >= 0:
                return float(min(wait, max_s))
    backoff: float = min(base_s * 2.0 ** (attempt - 1), max_s)
    return backoff * (1 - 0.25 * random.random())
