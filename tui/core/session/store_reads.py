"""The history's read side beyond the session rows: a conversation to resume, a session's
events, tool calls and reports, and the totals the browser shows (mixed into SessionStore)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


class StoreReads:
    """Reads over the store's connection (`_db`: pending writes flushed first)."""

    @property
    def _db(self) -> sqlite3.Connection:
        raise NotImplementedError

    def load_messages(self, session_id: str) -> list[dict[str, Any]]:
        """The API conversation to resume: complete messages only, consecutive roles merged."""
        rows = self._db.execute(
            "SELECT role, content FROM messages WHERE session_id=? AND interrupted=0 ORDER BY id",
            (session_id,),
        ).fetchall()
        out: list[dict[str, Any]] = []
        for role, content in rows:
            blocks = json.loads(content)
            if out and out[-1]["role"] == role:
                out[-1]["content"].extend(blocks)
            else:
                out.append({"role": role, "content": blocks})
        return out

    def events(self, session_id: str) -> list[tuple[str, dict[str, Any], float]]:
        rows = self._db.execute(
            "SELECT type, payload, created_at FROM events WHERE session_id=? ORDER BY id",
            (session_id,),
        ).fetchall()
        return [(t, json.loads(p), c) for t, p, c in rows]

    def tool_calls(self, session_id: str) -> list[dict[str, Any]]:
        cursor = self._db.execute(
            "SELECT tool_use_id, name, input, decision, decision_reason, decided_by, output, "
            "is_error FROM tool_calls WHERE session_id=? ORDER BY started_at",
            (session_id,),
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def reports(self, session_id: str) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT payload FROM reports WHERE session_id=? ORDER BY id", (session_id,)
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def outcomes(self) -> dict[str, str]:
        """Session id -> the outcome of its last report (completed / blocked / failed / other)."""
        rows = self._db.execute(
            "SELECT session_id, outcome FROM reports WHERE id IN "
            "(SELECT MAX(id) FROM reports GROUP BY session_id)"
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    def totals_by_definition(self) -> dict[str, dict[str, float]]:
        rows = self._db.execute(
            "SELECT s.definition_name, COUNT(DISTINCT s.id), COALESCE(SUM(u.input_tokens),0), "
            "COALESCE(SUM(u.output_tokens),0), COALESCE(SUM(u.cost_usd),0) "
            "FROM sessions s LEFT JOIN usage u ON u.session_id = s.id "
            "GROUP BY s.definition_name"
        ).fetchall()
        totals: dict[str, dict[str, float]] = {
            r[0]: {
                "sessions": r[1],
                "input_tokens": r[2],
                "output_tokens": r[3],
                "cost_usd": r[4],
                "reports": 0,
                "completed": 0,
            }
            for r in rows
        }
        # success rate: of the sessions that ended with a report, how many completed (the
        # last report of a session counts)
        outcomes = self._db.execute(
            "SELECT s.definition_name, r.outcome FROM reports r "
            "JOIN sessions s ON s.id = r.session_id "
            "WHERE r.id IN (SELECT MAX(id) FROM reports GROUP BY session_id)"
        ).fetchall()
        for name, outcome in outcomes:
            entry = totals.get(name)
            if entry is not None:
                entry["reports"] += 1
                entry["completed"] += 1 if outcome == "completed" else 0
        return totals
