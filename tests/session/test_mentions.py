"""Issue 17 item 2: `@path` mentions attach the file to the user message (real files, the real
SDK against the loopback API): text as a document block titled with the path, images as
base64 image blocks, a folder as its listing; refused with a note naming the file when it is
outside the folder, through a symlink out, a FIFO, binary, over the cap, or denied by a rule."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

from tests.fakeapi import FakeAPI, reply, text
from tests.helpers.session import drain, make_definition, of_type
from tui.core.session import mentions
from tui.core.session.engine import AgentSession
from tui.core.session.events import Notice
from tui.core.session.store import SessionStore

# the smallest valid PNG: 1x1, one transparent pixel
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def first_user(api: FakeAPI) -> list[dict[str, Any]]:
    message = api.requests[0].body["messages"][0]
    assert message["role"] == "user"
    return list(message["content"])


def notes(events: list[Any], code: str) -> list[str]:
    return [e.text for e in of_type(events, Notice) if e.code == code]


async def test_a_mentioned_text_file_is_a_document_in_the_first_user_message(
    api: FakeAPI, make_session, workdir: Path, store: SessionStore
) -> None:
    (workdir / "notes.md").write_text("# Notes\n\nship on friday\n", encoding="utf-8")
    api.script(reply(text("Read them.")))
    session: AgentSession = make_session()
    events = await drain(session.send("summarise @notes.md, please"))
    content = first_user(api)
    assert content[0] == {"type": "text", "text": "summarise @notes.md, please"}
    assert content[1] == {
        "type": "document",
        "source": {
            "type": "text",
            "media_type": "text/plain",
            "data": "# Notes\n\nship on friday\n",
        },
        "title": "notes.md",
    }
    assert notes(events, "attached") == ["@notes.md · text, 24 B"]
    # the history keeps what was sent: a resume sends the document again
    assert store.load_messages(session.id)[0]["content"] == content


async def test_an_image_mention_is_an_image_block_and_a_folder_a_listing(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    (workdir / "shot.png").write_bytes(PNG)
    (workdir / "src").mkdir()
    (workdir / "src" / "app.py").write_text("print(1)\n")
    (workdir / "src" / "build").mkdir()
    (workdir / "src" / "debug.log").write_text("noise\n")
    (workdir / ".gitignore").write_text("*.log\n")
    api.script(reply(text("Seen.")))
    events = await drain(make_session().send("look at @shot.png and @src/"))
    content = first_user(api)
    assert content[1] == {
        "type": "image",
        "source": {
            "type": "base64",
            "media_type": "image/png",
            "data": base64.b64encode(PNG).decode(),
        },
    }
    assert content[2]["type"] == "document" and content[2]["title"] == "src/"
    listing = content[2]["source"]["data"]
    assert listing.splitlines() == ["build/", "app.py  (9 B)"]  # debug.log is ignored
    assert notes(events, "attached") == [
        f"@shot.png · image, {len(PNG)} B",
        "@src/ · folder, 2 entries",
    ]


async def test_refused_mentions_are_named_and_nothing_of_them_is_sent(
    api: FakeAPI, make_session, workdir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret outside\n")
    (workdir / "link.txt").symlink_to(outside)
    (workdir / "secret.env").write_text("TOKEN=1\n")
    (workdir / "big.txt").write_text("x" * (mentions.MAX_TEXT_BYTES + 1))
    (workdir / "blob.bin").write_bytes(b"\x00\x01\x02binary")
    os.mkfifo(workdir / "pipe")
    api.script(reply(text("ok")))
    session = make_session(deny_rules=("Read(secret.env)",))
    prompt = "check @../outside.txt @link.txt @secret.env @big.txt @blob.bin @pipe @missing.md"
    events = await drain(session.send(prompt))
    content = first_user(api)
    assert content == [{"type": "text", "text": prompt}]  # only the text went
    refused = notes(events, "not_attached")
    assert len(refused) == 6
    by_name = dict(line.split(" not attached: ", 1) for line in refused)
    assert "outside the working directory" in by_name["@../outside.txt"]
    assert "through a symlink" in by_name["@link.txt"]
    assert "Read(secret.env)" in by_name["@secret.env"]
    assert "cap for text mentions" in by_name["@big.txt"]
    assert "binary file" in by_name["@blob.bin"]
    assert "FIFO" in by_name["@pipe"]
    assert "secret outside" not in str(api.requests[0].body)


async def test_mentions_read_like_the_tools_and_email_addresses_are_text(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    (workdir / "a.md").write_text("A\n")
    api.script(reply(text("ok")))
    events = await drain(
        make_session(definition=make_definition(disallowed=("Read(a.md)",))).send(
            "mail me@a.md about @a.md."
        )
    )
    # `me@a.md` is an address, `@a.md.` is a mention with a full stop after it: refused by
    # the definition's own disallowedTools rule
    assert notes(events, "not_attached") == [
        "@a.md not attached: denied by the rule `Read(a.md)` (a mention never overrides a rule)"
    ]
    assert len(first_user(api)) == 1


async def test_image_mentions_count_toward_the_sessions_media_budget(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    """Six 3.5 MB screenshots in one message made a 28 MB request body of base64, past what
    the Read tool lets a session carry (every later request resends them; the API takes 32 MB
    a request): the ones past the budget are refused, named, and not sent."""
    for n in range(6):
        (workdir / f"shot{n}.png").write_bytes(PNG + bytes([n]) * (3_500_000 - len(PNG)))
    api.script(reply(text("Seen.")), reply(text("ok")))
    session: AgentSession = make_session()
    prompt = "compare " + " ".join(f"@shot{n}.png" for n in range(6))
    events = await drain(session.send(prompt))
    images = [b for b in first_user(api) if b["type"] == "image"]
    sent = sum(len(b["source"]["data"]) for b in images)
    assert 0 < len(images) < 6 and sent <= 24 * 1024 * 1024
    refused = notes(events, "not_attached")
    assert len(refused) == 6 - len(images)
    assert all("32 MB" in note and note.startswith("@shot") for note in refused)


async def test_one_file_named_three_ways_is_attached_once(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    """`@notes.md @./notes.md @link` (a symlink to it) sent the file three times."""
    (workdir / "notes.md").write_text("once\n", encoding="utf-8")
    os.symlink("notes.md", workdir / "link")
    api.script(reply(text("ok")))
    session: AgentSession = make_session()
    events = await drain(session.send("see @notes.md and @./notes.md and @link"))
    documents = [b for b in first_user(api) if b["type"] == "document"]
    assert [d["title"] for d in documents] == ["notes.md"]
    assert notes(events, "attached") == ["@notes.md · text, 5 B"]
