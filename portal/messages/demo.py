"""Demo data of the messages area: amina's conversation with a photographed letter, yonas's short one,
unread messages for sanne, and quieter conversations across the other caseloads. All fictitious;
the letter is drawn here with Pillow."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from io import BytesIO
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFont

from portal.db import db, utcnow
from portal.messages.files import prepare_upload, store_bytes
from portal.messages.models import (
    Attachment,
    Conversation,
    Message,
    ResidentMessageSettings,
    StaffMessageProfile,
)
from portal.messages.text import PHRASES, phrase_text

LOCAL = ZoneInfo("Europe/Amsterdam")


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def letter_photo() -> bytes:
    """A fictitious letter, photographed at a slight angle on a table."""
    page = Image.new("RGB", (1100, 1500), (250, 249, 244))
    draw = ImageDraw.Draw(page)
    draw.text((80, 70), "Gemeente Voorbeeldstad", fill=(20, 60, 110), font=_font(44))
    draw.text((80, 130), "Postbus 1234, 9999 ZZ Voorbeeldstad", fill=(90, 90, 90), font=_font(24))
    draw.text((80, 260), "Onderwerp: beschikking huurtoeslag (voorbeeld)", fill=(0, 0, 0), font=_font(30))
    for row in range(16):
        y = 340 + row * 52
        draw.line((80, y, 1020 - (row * 37) % 260, y), fill=(120, 120, 120), width=10)
    draw.text((80, 1260), "Met vriendelijke groet,", fill=(0, 0, 0), font=_font(28))
    draw.text((80, 1310), "Afdeling Werk en Inkomen", fill=(0, 0, 0), font=_font(28))
    table = Image.new("RGB", (1300, 1700), (138, 103, 72))
    table.paste(page.rotate(3, expand=True, fillcolor=(138, 103, 72)), (40, 40))
    out = BytesIO()
    table.save(out, "JPEG", quality=80)
    return out.getvalue()


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def explanation_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of text (Helvetica, Latin-1 only)."""
    content = "BT /F1 13 Tf 60 780 Td 20 TL " + " ".join(f"({_pdf_text(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _attachment(data: bytes, filename: str, at: datetime) -> Attachment:
    prepared = prepare_upload(filename=filename, data=data)
    stored = store_bytes(prepared.data, prepared.extension)
    preview = store_bytes(prepared.preview, prepared.extension) if prepared.preview else None
    return Attachment(kind=prepared.kind, content_type=prepared.content_type, stored_name=stored,
                      preview_name=preview, filename=prepared.filename, size=len(prepared.data),
                      width=prepared.width, height=prepared.height, created_at=at)


@cache
def _phrase(key: str, language: str) -> str:
    return phrase_text(key, language)


class _Writer:
    """Builds conversations in memory; one flush at the end."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.now = utcnow()
        anchor = datetime.combine(ctx.today, time(17, 30), LOCAL).astimezone(UTC)
        self.anchor = min(anchor, self.now)
        self.conversations: dict[int, Conversation] = {}

    def at(self, days_ago: int, hour: int, minute: int) -> datetime:
        day: date = (self.anchor.astimezone(LOCAL) - timedelta(days=days_ago)).date()
        moment = datetime.combine(day, time(hour, minute), LOCAL).astimezone(UTC)
        return min(moment, self.anchor - timedelta(minutes=5))

    def key(self) -> str:
        return str(uuid.UUID(int=self.ctx.rng.getrandbits(128), version=4))

    def add(self, resident, *, at: datetime, from_resident: bool, body: str = "", phrase: str | None = None,
            read: bool = True, sender=None, attachments: list[Attachment] | None = None) -> Message:
        conversation = self.conversations.get(resident.id)
        if conversation is None:
            conversation = Conversation(resident=resident, created_at=at)
            self.conversations[resident.id] = conversation
            db.session.add(conversation)
        language = resident.user.language if phrase else None
        if phrase:
            body = _phrase(phrase, language)
        message = Message(
            conversation=conversation,
            sender=sender or (resident.user if from_resident else resident.contact_person),
            from_resident=from_resident, body=body, phrase=phrase, language=language,
            body_nl=_phrase(phrase, "nl") if phrase else None, client_key=self.key(), created_at=at,
            read_at=at + timedelta(minutes=self.ctx.rng.randint(5, 240)) if read else None,
            attachments=attachments or [],
        )
        db.session.add(message)
        if message.read_at is not None and message.read_at > self.now:
            message.read_at = self.now
        if conversation.last_message_at is None or at >= conversation.last_message_at:
            conversation.last_message_at = at
            conversation.last_from_resident = from_resident
        return message


def seed(ctx) -> None:
    """Add this area's fictitious demo data (ctx: portal.demo.DemoContext)."""
    w = _Writer(ctx)
    rng = ctx.rng
    sanne, pieter = ctx.staff["sanne"], ctx.staff["pieter"]
    amina, yonas = ctx.amina, ctx.yonas

    db.session.add(StaffMessageProfile(user_id=sanne.id, working_days="1245", reply_days=1))
    db.session.add(ResidentMessageSettings(resident_id=amina.id, counsellor_may_read=True))
    db.session.add(ResidentMessageSettings(resident_id=yonas.id, counsellor_may_read=False))

    # amina: a letter she does not understand, a photo of it, an explanation with a PDF, a reminder unread.
    photo_at = w.at(6, 9, 12)
    w.add(amina, at=photo_at, from_resident=True, phrase="letter",
          attachments=[_attachment(letter_photo(), "IMG_20260312_091055.jpg", photo_at)])
    w.add(amina, at=w.at(6, 10, 41), from_resident=False,
          body="Dag Amina, dank je voor de foto. Dit is een brief over je huurtoeslag. Je hoeft nu niets te doen. "
               "Ik leg het donderdag uit op onze afspraak.")
    w.add(amina, at=w.at(5, 8, 5), from_resident=True, body="شكرا جزيلا سانا 🌷")
    w.add(amina, at=w.at(2, 14, 20), from_resident=True, phrase="allowance")
    pdf_at = w.at(2, 15, 2)
    w.add(amina, at=pdf_at, from_resident=False,
          body="Goed dat je het vraagt. Zorgtoeslag vraag je aan op https://www.toeslagen.nl\n"
               "Ik heb het stap voor stap uitgelegd in de pdf.",
          attachments=[_attachment(explanation_pdf([
              "Zorgtoeslag aanvragen (voorbeeld)", "", "1. Ga naar www.toeslagen.nl",
              "2. Log in met DigiD", "3. Kies 'Toeslag aanvragen'", "4. Vul je inkomen in",
              "Lukt het niet? Stuur mij een bericht.", "", "Sanne"]), "uitleg-zorgtoeslag.pdf", pdf_at)])
    w.add(amina, at=w.at(2, 16, 30), from_resident=False, sender=pieter,
          body="Hoi Amina, ik kan je donderdagmiddag helpen met DigiD. Groet, Pieter")
    w.add(amina, at=w.at(0, 8, 45), from_resident=False, read=False,
          body="Herinnering: neem morgen je paspoort en de brief mee naar onze afspraak.")

    # yonas: a short one; his thank-you is still unread for sanne.
    w.add(yonas, at=w.at(3, 11, 0), from_resident=True, phrase="appointment")
    w.add(yonas, at=w.at(3, 13, 25), from_resident=False,
          body="Geen probleem, Yonas. Ik maak een nieuwe afspraak voor volgende week en stuur je de tijd.")
    w.add(yonas, at=w.at(0, 9, 10), from_resident=True, phrase="thanks", read=False)

    # Unread questions for sanne across her caseload.
    keys = list(PHRASES)
    theirs = [r for r in ctx.residents if r.contact_person is sanne and r not in (amina, yonas)]
    for resident in rng.sample(theirs, min(5, len(theirs))):
        days = rng.randint(0, 2)
        w.add(resident, at=w.at(days + 1, 10, rng.randint(0, 59)), from_resident=False,
              body="Hallo, hoe gaat het met de taalles? Laat het me weten als je hulp nodig hebt.")
        w.add(resident, at=w.at(days, rng.randint(8, 16), rng.randint(0, 59)), from_resident=True,
              phrase=rng.choice(keys), read=False)

    # Quieter conversations in the other caseloads; a few still unread.
    others = [r for r in ctx.residents if r.contact_person is not sanne and r.user.password_hash]
    for resident in rng.sample(others, len(others) // 4):
        days = rng.randint(1, 60)
        w.add(resident, at=w.at(days, rng.randint(8, 11), rng.randint(0, 59)), from_resident=True,
              phrase=rng.choice(keys))
        if rng.random() < 0.8:
            w.add(resident, at=w.at(days, rng.randint(13, 16), rng.randint(0, 59)), from_resident=False,
                  body=rng.choice(["Dank je, ik bel je morgen.", "Kom maar langs op het spreekuur.",
                                   "Ik heb het geregeld. Je hoeft niets meer te doen.",
                                   "Stuur je een foto van de brief?"]))
        elif days < 5:
            w.conversations[resident.id].messages[-1].read_at = None
    db.session.flush()
