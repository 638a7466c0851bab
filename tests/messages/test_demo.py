"""The messages demo: amina's letter photo and replies, yonas's short conversation, unread work for sanne."""

from __future__ import annotations

import random
import time
from datetime import date
from io import BytesIO

from PIL import Image
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.db import db
from portal.demo import DemoContext, _seed_residents, _seed_staff
from portal.messages import queries
from portal.messages.demo import seed
from portal.messages.files import stored_path
from portal.messages.models import Attachment, Message


def _context() -> DemoContext:
    ctx = DemoContext(today=date(2026, 3, 12), rng=random.Random(2019))
    _seed_staff(ctx, "not-a-real-hash")
    _seed_residents(ctx, "not-a-real-hash")
    db.session.flush()
    return ctx


def test_demo_conversations(ctx) -> None:
    demo = _context()
    started = time.perf_counter()
    seed(demo)
    assert time.perf_counter() - started < 15  # a guard against a per-row slowdown
    db.session.commit()
    amina, yonas, sanne = demo.amina, demo.yonas, demo.staff["sanne"]

    messages, _ = queries.conversation_messages(resident_id=amina.id)
    assert len(messages) >= 6
    assert {m.phrase for m in messages} >= {"letter", "allowance"}
    assert any(not m.from_resident and m.sender.username == "sanne" for m in messages)
    photo = next(a for m in messages for a in m.attachments if a.is_image)
    path = stored_path(photo.stored_name)
    image = Image.open(BytesIO(path.read_bytes()))
    assert image.format == "JPEG" and dict(image.getexif()) == {}
    assert any(a.kind == "pdf" for m in messages for a in m.attachments)
    assert queries.unread_count_for_user(amina.user) >= 1  # a reply amina has not read yet

    short, _ = queries.conversation_messages(resident_id=yonas.id)
    assert 2 <= len(short) <= 4

    rows, _ = queries.inbox_for_staff(staff=sanne)
    unread = [r for r in rows if r.unread]
    assert len(unread) >= 5 and rows[0].unread
    assert queries.inbox_for_staff(staff=demo.staff["pieter"])[1] >= 1  # amina agreed

    # Conversations in other caseloads too, but no one writes to a file that is not theirs.
    assert db.session.scalar(select(func.count(Message.id))) > 100
    mismatched = db.session.scalar(
        select(func.count(Message.id)).join(User, User.id == Message.sender_id)
        .where(Message.from_resident.is_(False), User.role == "resident"))
    assert mismatched == 0
    assert db.session.scalar(select(func.count(Attachment.id))) == 2
