"""make_<thing>(**overrides) for the messages area, and files to upload. Call inside an app context."""

from __future__ import annotations

import uuid
from datetime import datetime
from io import BytesIO

import pikepdf
from PIL import ExifTags, Image

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db, utcnow
from portal.messages.models import Conversation, Message, ResidentMessageSettings, StaffMessageProfile
from portal.messages.services import conversation_get_or_create


def make_message(resident: Resident, *, sender: User | None = None, from_resident: bool = True,
                 body: str = "Hallo", created_at: datetime | None = None, read_at: datetime | None = None,
                 **overrides) -> Message:
    """A stored message, straight into the table (no file handling)."""
    conversation: Conversation = conversation_get_or_create(resident=resident)
    if sender is None:
        sender = resident.user if from_resident else resident.contact_person
    created_at = created_at or utcnow()
    message = Message(conversation_id=conversation.id, sender_id=sender.id, from_resident=from_resident, body=body,
                      client_key=overrides.pop("client_key", str(uuid.uuid4())), created_at=created_at,
                      read_at=read_at, **overrides)
    db.session.add(message)
    if conversation.last_message_at is None or created_at >= conversation.last_message_at:
        conversation.last_message_at = created_at
        conversation.last_from_resident = from_resident
    db.session.flush()
    return message


def make_settings(resident: Resident, **overrides) -> ResidentMessageSettings:
    settings = ResidentMessageSettings(resident_id=resident.id, **overrides)
    db.session.add(settings)
    db.session.flush()
    return settings


def make_profile(user: User, **overrides) -> StaffMessageProfile:
    profile = StaffMessageProfile(user_id=user.id, **overrides)
    db.session.add(profile)
    db.session.flush()
    return profile


def jpeg_with_gps(size: tuple[int, int] = (3000, 1000), orientation: int = 6) -> bytes:
    """A phone photo: EXIF with make, orientation and a GPS position."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "TestPhone"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (52.0, 5.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (5.0, 7.0, 10.0),
    })
    out = BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (400, 300)) -> bytes:
    out = BytesIO()
    Image.new("RGBA", size, (10, 90, 100, 200)).save(out, "PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    """A valid one-page PDF."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    out = BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def pdf_pages(data: bytes) -> int:
    """How many pages a stored PDF has (it parses, or this raises)."""
    with pikepdf.open(BytesIO(data)) as pdf:
        return len(pdf.pages)


PHP_AS_JPG = b"<?php echo shell_exec($_GET['cmd']); ?>\n"


def huge_bytes(megabytes: int = 30) -> bytes:
    """A 'photo' far over the limit: a JPEG header and then padding."""
    return b"\xff\xd8\xff\xe0" + b"\0" * (megabytes * 1024 * 1024)
