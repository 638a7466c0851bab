"""Writes of the messages area, without HTTP."""

from __future__ import annotations

import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from flask import current_app
from PIL import ExifTags, Image
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.db import db, utcnow
from portal.domain import DomainError, NotFound
from portal.messages.files import stored_path
from portal.messages.models import Attachment, Conversation, Message
from portal.messages.services import (
    Upload,
    conversation_mark_read,
    conversation_set_handled,
    message_send,
    resident_settings_update,
    staff_profile_update,
)
from portal.messages.text import phrase_text
from tests.factories import make_caseworker, make_counsellor, make_resident
from tests.messages.factories import (
    PHP_AS_JPG,
    huge_bytes,
    jpeg_with_gps,
    make_message,
    make_settings,
    pdf_bytes,
    pdf_pages,
    png_bytes,
)


def key() -> str:
    return str(uuid.uuid4())


def image(path) -> Image.Image:
    """Open a stored image without keeping the file open."""
    return Image.open(BytesIO(path.read_bytes()))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# The services' messages (Dutch source text, as str() of the DomainError gives it outside a request).
NO_CONVERSATION = "Dit gesprek bestaat niet."
FORBIDDEN = "Dit veld bevat onzichtbare of verboden tekens. Haal die weg."
FILE_REFUSED = "Dit bestand kan niet mee. Stuur een foto of een pdf-bestand."
UNKNOWN_PHRASE = "Kies een zin uit de lijst."


def refusal(error: DomainError) -> tuple[str | None, str]:
    return error.field, str(error)


@pytest.fixture
def cast(ctx):
    sanne = make_caseworker(username="sanne")
    pieter = make_counsellor(username="pieter")
    amina = make_resident(contact_person=sanne, counsellor=pieter, username="amina", language="ar")
    return sanne, pieter, amina


def test_a_resident_sends_text_and_the_conversation_waits_for_an_answer(cast) -> None:
    amina = cast[2]
    sent = message_send(resident=amina, sender=amina.user, client_key=key(), body="  Hallo Sanne\r\nHoe gaat het? ")
    assert sent.created
    message = sent.message
    assert (message.body, message.from_resident, message.sender_id) == ("Hallo Sanne\nHoe gaat het?", True,
                                                                        amina.user_id)
    conversation = db.session.get(Conversation, message.conversation_id)
    assert conversation.resident_id == amina.id and conversation.last_from_resident
    assert conversation.last_message_at == message.created_at


def test_the_same_key_twice_stores_one_message(cast) -> None:
    _, _, amina = cast
    k = key()
    first = message_send(resident=amina, sender=amina.user, client_key=k, body="Eén keer")
    again = message_send(resident=amina, sender=amina.user, client_key=k.upper(), body="Eén keer")
    assert first.created and not again.created
    assert again.message.id == first.message.id
    assert count(Message) == 1
    other = message_send(resident=amina, sender=amina.user, client_key=key(), body="Eén keer")
    assert other.created and count(Message) == 2


def test_the_database_refuses_a_second_message_with_the_same_key(cast) -> None:
    _, _, amina = cast
    first = make_message(amina, client_key="11111111-1111-4111-8111-111111111111")
    db.session.add(Message(conversation_id=first.conversation_id, sender_id=amina.user_id, from_resident=True,
                           body="x", client_key="11111111-1111-4111-8111-111111111111"))
    with pytest.raises(IntegrityError, match="client_key"):
        db.session.flush()


def test_a_phrase_is_stored_in_the_resident_language_and_in_dutch(cast) -> None:
    _, _, amina = cast
    message = message_send(resident=amina, sender=amina.user, client_key=key(), phrase="letter").message
    assert message.phrase == "letter" and message.language == "ar"
    assert message.body == phrase_text("letter", "ar")
    assert message.body_nl == "Ik heb een brief gekregen die ik niet begrijp."


@pytest.mark.parametrize("phrase", ["nope", "letter "])
def test_an_unknown_phrase_is_refused(cast, phrase) -> None:
    _, _, amina = cast
    with pytest.raises(DomainError) as error:
        message_send(resident=amina, sender=amina.user, client_key=key(), phrase=phrase)
    assert refusal(error.value) == ("phrase", UNKNOWN_PHRASE)
    assert count(Message) == 0 and count(Conversation) == 0


def test_staff_cannot_send_a_phrase(cast) -> None:
    sanne, _, amina = cast
    with pytest.raises(DomainError) as error:
        message_send(resident=amina, sender=sanne, client_key=key(), phrase="thanks")
    assert refusal(error.value) == ("phrase", UNKNOWN_PHRASE)
    assert count(Message) == 0


@pytest.mark.parametrize("body, message", [
    ("", "Schrijf een bericht of voeg een foto of pdf toe."),
    ("   \n ", "Schrijf een bericht of voeg een foto of pdf toe."),
    ("a" * 10_000, "Je bericht is te lang. Het mag hoogstens 4000 tekens zijn."),
    ("Hallo\x00", FORBIDDEN),
    ("Hallo \u202eSanne", FORBIDDEN),
    ("Hallo \u2066x\u2069", FORBIDDEN),
])
def test_bad_text_is_refused_and_nothing_is_stored(cast, body, message) -> None:
    _, _, amina = cast
    with pytest.raises(DomainError) as error:
        message_send(resident=amina, sender=amina.user, client_key=key(), body=body)
    assert refusal(error.value) == ("body", message)
    assert count(Message) == 0 and count(Conversation) == 0


@pytest.mark.parametrize("bad", ["", "not-a-key", "1" * 36, "1bba6337-4063-4d48-bfc2-a5569578aa6z"])
def test_a_form_without_a_proper_key_is_refused(cast, bad) -> None:
    _, _, amina = cast
    with pytest.raises(DomainError) as error:
        message_send(resident=amina, sender=amina.user, client_key=bad, body="Hallo")
    assert refusal(error.value) == (
        "body", "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
    assert count(Message) == 0


def test_only_the_people_of_the_conversation_may_write(cast) -> None:
    sanne, pieter, amina = cast
    other_caseworker = make_caseworker()
    other_resident = make_resident(contact_person=sanne)
    for sender in (other_caseworker, other_resident.user, pieter):
        with pytest.raises(NotFound) as error:
            message_send(resident=amina, sender=sender, client_key=key(), body="Hallo")
        assert refusal(error.value) == (None, NO_CONVERSATION)
    assert count(Message) == 0
    make_settings(amina, counsellor_may_read=True)
    assert message_send(resident=amina, sender=pieter, client_key=key(), body="Hoi, Pieter hier").created
    assert message_send(resident=amina, sender=sanne, client_key=key(), body="Hoi, Sanne hier").created


def test_a_photo_loses_its_location_and_other_metadata_and_is_turned_upright(cast, upload_folder) -> None:
    _, _, amina = cast
    original = jpeg_with_gps(size=(3000, 1000), orientation=6)
    assert Image.open(BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    sent = message_send(resident=amina, sender=amina.user, client_key=key(),
                        uploads=[Upload("../../etc/IMG_0001.JPG", original)])
    attachment = sent.message.attachments[0]
    assert (attachment.kind, attachment.content_type, attachment.filename) == ("image", "image/jpeg", "IMG_0001.jpg")
    path = stored_path(attachment.stored_name)
    assert path is not None and upload_folder in path.parents
    assert "IMG_0001" not in attachment.stored_name
    stored = image(path)
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert b"TestPhone" not in path.read_bytes() and b"Exif" not in path.read_bytes()
    assert "icc_profile" not in stored.info
    # Turned upright (orientation 6) and no side longer than 2000 pixels.
    assert stored.size == (667, 2000) == (attachment.width, attachment.height)
    preview = image(stored_path(attachment.preview_name))
    assert max(preview.size) == 640 and dict(preview.getexif()) == {}


def test_a_png_stays_a_png_without_metadata(cast) -> None:
    _, _, amina = cast
    out = BytesIO()
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "geheim adres")
    Image.open(BytesIO(png_bytes())).save(out, "PNG", pnginfo=info)
    attachment = message_send(resident=amina, sender=amina.user, client_key=key(),
                              uploads=[Upload("scherm.png", out.getvalue())]).message.attachments[0]
    path = stored_path(attachment.stored_name)
    assert attachment.content_type == "image/png" and image(path).format == "PNG"
    assert b"geheim" not in path.read_bytes()
    assert attachment.preview_name is None  # small enough as it is


def test_a_pdf_is_written_again(cast) -> None:
    _, _, amina = cast
    attachment = message_send(resident=amina, sender=amina.user, client_key=key(),
                              uploads=[Upload("Formulier.PDF", pdf_bytes())]).message.attachments[0]
    assert (attachment.kind, attachment.content_type, attachment.filename) == ("pdf", "application/pdf",
                                                                               "Formulier.pdf")
    assert pdf_pages(stored_path(attachment.stored_name).read_bytes()) == 1


@pytest.mark.parametrize("name, data, message", [
    ("foto.jpg", PHP_AS_JPG, FILE_REFUSED),
    ("brief.pdf", b"%PDF-1.4 but never finished", FILE_REFUSED),
    ("half.jpg", jpeg_with_gps()[:2000], FILE_REFUSED),
    ("foto.bmp", b"BM" + b"\0" * 200, FILE_REFUSED),
    ("groot.jpg", huge_bytes(30), "Dit bestand is te groot. Een bestand mag hoogstens {mb} MB zijn."),
    ("leeg.jpg", b"", "Dit bestand is leeg."),
])
def test_files_are_checked_by_content_and_nothing_is_stored_on_refusal(cast, upload_folder, name, data,
                                                                        message) -> None:
    _, _, amina = cast
    with pytest.raises(DomainError) as error:
        message_send(resident=amina, sender=amina.user, client_key=key(), body="Kijk",
                     uploads=[Upload("goed.jpg", jpeg_with_gps()), Upload(name, data)])
    mb = current_app.config["MESSAGES_MAX_FILE_BYTES"] // 2**20
    assert refusal(error.value) == ("file", message.format(mb=mb))
    assert count(Message) == 0 and count(Attachment) == 0
    assert not any(p.is_file() for p in upload_folder.rglob("*"))


def test_a_pixel_bomb_is_refused(cast) -> None:
    _, _, amina = cast
    out = BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")  # 144 megapixels, a few kilobytes
    with pytest.raises(DomainError) as error:
        message_send(resident=amina, sender=amina.user, client_key=key(), uploads=[Upload("x.png", out.getvalue())])
    assert refusal(error.value) == ("file", "Deze foto is te groot om te verwerken. Stuur een kleinere foto.")
    assert count(Message) == 0 and count(Attachment) == 0


def test_at_most_two_files_per_message(cast) -> None:
    _, _, amina = cast
    with pytest.raises(DomainError) as error:
        message_send(resident=amina, sender=amina.user, client_key=key(),
                     uploads=[Upload(f"{n}.pdf", pdf_bytes()) for n in range(3)])
    assert refusal(error.value) == ("file", "Stuur hoogstens twee bestanden tegelijk.")
    assert count(Message) == 0 and count(Attachment) == 0


def test_read_state_follows_who_opened_the_conversation(cast) -> None:
    sanne, pieter, amina = cast
    make_settings(amina, counsellor_may_read=True)
    question = make_message(amina, from_resident=True)
    answer = make_message(amina, from_resident=False, sender=sanne)
    assert conversation_mark_read(resident=amina, reader=pieter) == 0  # a counsellor reading changes nothing
    assert conversation_mark_read(resident=amina, reader=sanne) == 1
    db.session.refresh(question)
    db.session.refresh(answer)
    assert question.read_at is not None and answer.read_at is None
    assert conversation_mark_read(resident=amina, reader=amina.user) == 1
    db.session.refresh(answer)
    assert answer.read_at is not None
    assert conversation_mark_read(resident=amina, reader=make_caseworker()) == 0


def test_handled_is_cleared_by_a_new_resident_message(cast) -> None:
    sanne, pieter, amina = cast
    make_message(amina)
    conversation = conversation_set_handled(resident=amina, staff=sanne, handled=True)
    assert conversation.handled and conversation.handled_by_id == sanne.id
    message_send(resident=amina, sender=sanne, client_key=key(), body="Fijne dag")
    assert conversation.handled  # our own answer leaves it handled
    message_send(resident=amina, sender=amina.user, client_key=key(), body="Nog een vraag")
    assert not conversation.handled
    with pytest.raises(NotFound) as error:
        conversation_set_handled(resident=amina, staff=pieter, handled=True)
    assert refusal(error.value) == (None, NO_CONVERSATION)
    assert conversation.handled is False


def test_resident_settings_default_and_change(cast) -> None:
    _, _, amina = cast
    settings = resident_settings_update(resident=amina, counsellor_may_read=True, notify_email=False)
    assert settings.counsellor_may_read and not settings.notify_email
    settings = resident_settings_update(resident=amina, counsellor_may_read=False, notify_email=True)
    assert not settings.counsellor_may_read and settings.notify_email


def test_staff_profile(cast) -> None:
    sanne, pieter, _ = cast
    profile = staff_profile_update(staff=sanne, working_days=[4, 1, 2, 2], reply_days=2, notify_email=False)
    assert (profile.working_days, profile.reply_days, profile.notify_email) == ("124", 2, False)
    no_day = ("working_days", "Kies minstens één werkdag.")
    no_option = ("reply_days", "Kies een optie uit de lijst.")
    for days, reply, expected in (([], 1, no_day), ([0], 1, no_day), ([8], 1, no_day), ([1], 9, no_option),
                                  ([1], -1, no_option)):
        with pytest.raises(DomainError) as error:
            staff_profile_update(staff=sanne, working_days=days, reply_days=reply, notify_email=True)
        assert refusal(error.value) == expected, (days, reply)
    with pytest.raises(DomainError) as error:
        staff_profile_update(staff=pieter, working_days=[1], reply_days=1, notify_email=True)
    assert refusal(error.value) == (None, "Alleen een contactpersoon heeft werkdagen en een antwoordtijd.")
    assert (profile.working_days, profile.reply_days, profile.notify_email) == ("124", 2, False)


def test_times_are_stored_in_utc(cast) -> None:
    _, _, amina = cast
    now = utcnow() - timedelta(days=1)
    message = message_send(resident=amina, sender=amina.user, client_key=key(), body="x", now=now).message
    db.session.expire_all()
    assert db.session.get(Message, message.id).created_at == now
