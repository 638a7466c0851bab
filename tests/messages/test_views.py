"""The messages area over HTTP: what residents and staff see, what is stored, who gets a 404."""

from __future__ import annotations

import re
import uuid
from io import BytesIO
from unittest.mock import ANY

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.audit.models import AuditEvent
from portal.caseload.models import Resident
from portal.db import db, utcnow
from portal.messages.models import Attachment, Conversation, Message, ResidentMessageSettings, StaffMessageProfile
from tests.accounts.data import export_data
from tests.conftest import login
from tests.messages.factories import (
    PHP_AS_JPG,
    huge_bytes,
    jpeg_with_gps,
    make_message,
    make_settings,
    pdf_bytes,
    pdf_pages,
)

HX = {"HX-Request": "true"}
LONG = "a" * 10_000
BAD_TEXT = {"empty": "", "spaces": "   ", "long": LONG, "control": "Hallo\x00", "bell": "Hallo\x07",
            "bidi": "Hallo \u202eSanne", "isolate": "Hallo \u2066x\u2069"}

FORBIDDEN = "Dit veld bevat onzichtbare of verboden tekens. Haal die weg."
NOTHING_TO_SEND = "Schrijf een bericht of voeg een foto of pdf toe."
# What the message box says to each of BAD_TEXT (the form's length check answers before the service's).
BAD_TEXT_MESSAGE = {"empty": NOTHING_TO_SEND, "spaces": NOTHING_TO_SEND, "long": "Dit mag hoogstens 4000 tekens zijn.",
                    "control": FORBIDDEN, "bell": FORBIDDEN, "bidi": FORBIDDEN, "isolate": FORBIDDEN}

pytestmark = pytest.mark.residents_read_dutch


def key() -> str:
    return str(uuid.uuid4())


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (Conversation, Message, Attachment))


def add_message(app, rid: int, **kw) -> int:
    with app.app_context():
        message = make_message(db.session.get(Resident, rid), **kw)
        db.session.commit()
        return message.id


def allow_counsellor(app, rid: int) -> None:
    with app.app_context():
        make_settings(db.session.get(Resident, rid), counsellor_may_read=True)
        db.session.commit()


def upload(client, data: bytes, name: str = "brief.jpg", field: str = "file", headers=None, body: str = ""):
    # Encoded in memory: the test client would spool a large body to a temporary file that a request
    # refused before reading (413) never closes.
    boundary, payload = encode_multipart({"body": body, "client_key": key(),
                                          field: FileStorage(BytesIO(data), filename=name)})
    return client.post("/messages", data=payload, content_type=f"multipart/form-data; boundary={boundary}",
                       headers=headers or {})


def field_errors(html: str) -> list[str]:
    """The error messages shown at form fields, in page order."""
    return re.findall(r'utrecht-form-field-error-message"[^>]*>\s*<p>(.*?)</p>', html)


def stored_messages(app) -> list[tuple]:
    """(resident, sender, from_resident, body, client_key) of every stored message, oldest first."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(Conversation.resident_id, Message.sender_id, Message.from_resident, Message.body,
                   Message.client_key).join(Conversation, Message.conversation_id == Conversation.id)
            .order_by(Message.id))]


def fetch(client, url: str):
    """GET a file and close the response (it streams from disk)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def test_resident_page_shows_contact_person_availability_phrases_and_compose(app, client, world) -> None:
    with app.app_context():
        db.session.add(StaffMessageProfile(user_id=world.sanne_id, working_days="1245", reply_days=2))
        db.session.commit()
    login(client, "amina")
    html = client.get("/messages").get_data(as_text=True)
    assert "Sanne de Vries" in html and 'class="monogram"' in html and ">SV<" in html
    assert "Je krijgt meestal binnen 2 werkdagen antwoord." in html
    assert "Werkdagen:" in html
    assert 'name="phrase" value="letter"' in html and 'name="phrase" value="appointment"' in html
    assert 'name="phrase" value="allowance"' in html
    assert 'capture="environment"' in html and 'accept="image/*,application/pdf"' in html
    assert 'enctype="multipart/form-data"' in html and 'action="/messages"' in html
    keys = re.findall(r'name="client_key" type="hidden" value="([0-9a-f-]{36})"', html)
    assert len(keys) == 2 and keys[0] != keys[1]
    assert "Nog geen berichten." in html
    assert 'hx-trigger="every 30s, messages-refresh from:body"' in html
    assert 'href="/messages#compose"' in html  # refreshing without JavaScript


def test_sending_without_javascript_stores_and_redirects(app, client, world) -> None:
    login(client, "amina")
    response = client.post("/messages", data={"body": "Hallo Sanne, ik heb een vraag.", "client_key": key()})
    assert response.status_code == 303 and response.headers["Location"].endswith("/messages#compose")
    html = client.get("/messages").get_data(as_text=True)
    assert "Hallo Sanne, ik heb een vraag." in html and "Verstuurd" in html
    assert counts(app) == (1, 1, 0)


def test_sending_with_htmx_answers_a_fresh_form_and_asks_for_a_refresh(app, client, world) -> None:
    login(client, "amina")
    sent_key = key()
    response = client.post("/messages", data={"body": "Via htmx", "client_key": sent_key}, headers=HX)
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "messages-refresh"
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<form id="compose-form"') and "<html" not in html
    assert "Via htmx" not in html  # the box is empty again
    new_key = re.search(r'name="client_key" type="hidden" value="([0-9a-f-]{36})"', html).group(1)
    assert new_key != sent_key
    assert stored_messages(app) == [(world.amina_id, world.amina_user_id, True, "Via htmx", sent_key)]


def test_a_retried_submit_with_the_same_key_stores_one_message(app, client, world) -> None:
    login(client, "amina")
    data = {"body": "Slecht netwerk", "client_key": key()}
    first = client.post("/messages", data=data, headers=HX)
    second = client.post("/messages", data=data, headers=HX)
    third = client.post("/messages", data=data)
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 303)
    assert stored_messages(app) == [(world.amina_id, world.amina_user_id, True, "Slecht netwerk", data["client_key"])]


@pytest.mark.residents_read_dutch(False)  # this test needs the resident's own language
def test_a_phrase_is_sent_in_two_languages_and_staff_read_the_dutch(app, client, world) -> None:
    login(client, "amina")
    response = client.post("/messages", data={"phrase": "letter", "client_key": key()}, headers=HX)
    assert response.status_code == 200 and response.get_data(as_text=True).lstrip().startswith('<form id="phrases"')
    with app.app_context():
        message = db.session.scalars(select(Message)).one()
        assert (message.phrase, message.language, message.body_nl) == (
            "letter", "ar", "Ik heb een brief gekregen die ik niet begrijp.")
    client.post("/logout")
    login(client, "sanne")
    html = client.get(f"/staff/messages/{world.amina_id}").get_data(as_text=True)
    assert '<p class="msg__body" lang="nl" dir="ltr">Ik heb een brief gekregen die ik niet begrijp.</p>' in html
    assert "Kant-en-klare zin" in html


@pytest.mark.parametrize("kind", list(BAD_TEXT))
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_text_gives_422_with_a_message_and_stores_nothing(app, client, world, kind, htmx) -> None:
    login(client, "amina")
    response = client.post("/messages", data={"body": BAD_TEXT[kind], "client_key": key()},
                           headers=HX if htmx else {})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_errors(html) == [BAD_TEXT_MESSAGE[kind]]
    assert ("<html" in html) is not htmx
    assert counts(app) == (0, 0, 0)


@pytest.mark.parametrize("data, message", [
    ({"phrase": "nope"}, "Kies een optie uit de lijst."),
    ({"phrase": ""}, "Kies een optie uit de lijst."),
    ({"body": "Hallo", "client_key": "kapot"}, "Het formulier is verlopen."),
    ({"body": "Hallo"}, "Het formulier is verlopen."),
    ({"body": ["een", "twee"]}, "Het formulier is verlopen."),
])
def test_other_bad_sends(app, client, world, data, message) -> None:
    login(client, "amina")
    data = {"client_key": key(), **data} if "client_key" not in data and "phrase" in data else data
    response = client.post("/messages", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert counts(app) == (0, 0, 0)


def test_the_resident_sees_sent_and_read(app, client, world) -> None:
    mid = add_message(app, world.amina_id, body="Mijn vraag")
    login(client, "amina")
    html = client.get("/messages").get_data(as_text=True)
    assert re.search(rf'id="message-state-{mid}">.*?Verstuurd', html, re.S)
    client.post("/logout")
    login(client, "sanne")
    client.get(f"/staff/messages/{world.amina_id}")
    client.post("/logout")
    login(client, "amina")
    html = client.get("/messages").get_data(as_text=True)
    assert re.search(rf'id="message-state-{mid}">.*?Gelezen', html, re.S)


def test_opening_messages_reads_the_replies_and_clears_the_badge(app, client, world) -> None:
    add_message(app, world.amina_id, from_resident=False, body="Antwoord 1")
    add_message(app, world.amina_id, from_resident=False, body="Antwoord 2")
    login(client, "amina")
    home = client.get("/").get_data(as_text=True)
    assert 'id="nav-unread">2' in home
    assert "Je hebt 2 nieuwe berichten van Sanne de Vries." in home
    page = client.get("/messages").get_data(as_text=True)
    assert "Antwoord 1" in page and 'id="nav-unread"' not in page
    home = client.get("/").get_data(as_text=True)
    assert 'id="nav-unread"' not in home and "Je hebt geen nieuwe berichten." in home


def test_home_page_stays_within_its_statement_budget(app, client, world, count_queries) -> None:
    add_message(app, world.amina_id, from_resident=False)
    login(client, "amina")
    before = count_queries.count
    html = client.get("/").get_data(as_text=True)
    assert 'id="nav-unread">1' in html
    assert count_queries.count - before <= 8  # the home budget (tests/home/test_views.py)


def test_messages_page_takes_a_fixed_number_of_statements(app, client, world, count_queries) -> None:
    for n in range(12):
        add_message(app, world.amina_id, from_resident=n % 3 == 0, body=f"bericht {n}")
    login(client, "amina")
    before = count_queries.count
    client.get("/messages")
    first = count_queries.count - before
    for n in range(12):
        add_message(app, world.amina_id, from_resident=n % 2 == 0, body=f"meer {n}")
    before = count_queries.count
    client.get("/messages")
    assert count_queries.count - before == first <= 9


def test_older_messages_are_paged(app, client, world) -> None:
    ids = [add_message(app, world.amina_id, body=f"bericht nummer {n}") for n in range(55)]
    login(client, "amina")
    html = client.get("/messages").get_data(as_text=True)
    assert "bericht nummer 54" in html and "bericht nummer 4<" not in html
    assert f'href="/messages?before={ids[5]}"' in html
    older = client.get(f"/messages?before={ids[5]}").get_data(as_text=True)
    assert "bericht nummer 4<" in older and "bericht nummer 5<" not in older
    assert 'id="compose-form"' not in older and "data-messages-poll" not in older


def test_text_is_escaped_and_only_web_links_become_links(app, client, world) -> None:
    add_message(app, world.amina_id, from_resident=False,
                body='<script>alert(1)</script> <img src=x onerror=alert(2)> javascript:alert(3) '
                     'https://www.toeslagen.nl/zorgtoeslag?a=1&b=2')
    login(client, "amina")
    html = client.get("/messages").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert 'href="javascript' not in html and "javascript:alert(3)" in html
    assert ('<a href="https://www.toeslagen.nl/zorgtoeslag?a=1&amp;b=2" rel="nofollow noopener noreferrer" '
            'class="utrecht-link">') in html


def test_poll_returns_only_new_messages(app, client, world) -> None:
    first = add_message(app, world.amina_id, body="al gezien")
    login(client, "amina")
    assert client.get(f"/messages/new?after={first}", headers=HX).status_code == 204
    reply = add_message(app, world.amina_id, from_resident=False, body="nieuw antwoord")
    response = client.get(f"/messages/new?after={first}", headers=HX)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    html = response.get_data(as_text=True)
    assert "nieuw antwoord" in html and "al gezien" not in html
    assert f'id="message-{reply}"' in html and "<html" not in html
    assert 'id="messages-poll" class="poll" hx-swap-oob="true"' in html
    assert f"/messages/new?after={reply}" in html
    assert "chat__day" not in html  # same day as the message before it
    with app.app_context():
        assert db.session.get(Message, reply).read_at is not None  # the resident has seen it now
    assert client.get(f"/messages/new?after={reply}", headers=HX).status_code == 204


def test_poll_tells_when_own_messages_were_read(app, client, world) -> None:
    mine = add_message(app, world.amina_id, body="mijn vraag")
    login(client, "amina")
    assert client.get(f"/messages/new?after={mine}&unread_from={mine}", headers=HX).status_code == 204
    with app.app_context():
        db.session.get(Message, mine).read_at = utcnow()
        db.session.commit()
    html = client.get(f"/messages/new?after={mine}&unread_from={mine}", headers=HX).get_data(as_text=True)
    assert f'id="message-state-{mine}" hx-swap-oob="true"' in html and "Gelezen" in html
    assert f"/messages/new?after={mine}" in html and "unread_from" not in html


def test_poll_first_message_removes_the_empty_note_and_adds_a_day(app, client, world) -> None:
    login(client, "amina")
    add_message(app, world.amina_id, from_resident=False, body="welkom")
    html = client.get("/messages/new?after=0", headers=HX).get_data(as_text=True)
    assert 'id="messages-empty" hx-swap-oob="delete"' in html and "chat__day" in html


@pytest.mark.parametrize("query", ["after=abc", "after=-5", "after=", "", "after=1&unread_from=x"])
def test_poll_with_odd_parameters_never_fails(app, client, world, query) -> None:
    login(client, "amina")
    assert client.get(f"/messages/new?{query}", headers=HX).status_code in (200, 204)


def test_poll_without_htmx_goes_to_the_page(client, world) -> None:
    login(client, "amina")
    response = client.get("/messages/new?after=0")
    assert response.status_code == 303 and response.headers["Location"].endswith("/messages")


def test_a_photo_arrives_without_location_and_is_served_safely(app, client, world) -> None:
    login(client, "amina")
    response = upload(client, jpeg_with_gps(), name="IMG_2026.jpg", field="photo")
    assert response.status_code == 303
    with app.app_context():
        attachment = db.session.scalars(select(Attachment)).one()
        aid = attachment.id
    html = client.get("/messages").get_data(as_text=True)
    assert f'src="/messages/files/{aid}?size=preview"' in html and 'alt="Foto: IMG_2026.jpg"' in html
    served = fetch(client, f"/messages/files/{aid}")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("inline;") and "IMG_2026.jpg" in served.headers[
        "Content-Disposition"]
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert "no-store" in served.headers["Cache-Control"]
    image = Image.open(BytesIO(served.data))
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {} and b"TestPhone" not in served.data
    assert max(image.size) <= 2000
    preview = fetch(client, f"/messages/files/{aid}?size=preview")
    assert max(Image.open(BytesIO(preview.data)).size) == 640


def test_a_pdf_is_downloaded_not_shown(app, client, world) -> None:
    login(client, "amina")
    assert upload(client, pdf_bytes(), name="formulier.pdf").status_code == 303
    with app.app_context():
        attachment = db.session.scalars(select(Attachment)).one()
        aid = attachment.id
        assert (attachment.kind, attachment.content_type, attachment.filename) == (
            "pdf", "application/pdf", "formulier.pdf")
    assert [(m[0], m[2], m[3]) for m in stored_messages(app)] == [(world.amina_id, True, "")]
    served = fetch(client, f"/messages/files/{aid}")
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert pdf_pages(served.data) == 1  # written again, still the page sent
    assert "formulier.pdf" in client.get("/messages").get_data(as_text=True)


@pytest.mark.parametrize("htmx", [False, True])
def test_a_php_file_named_jpg_is_refused(app, client, world, upload_folder, htmx) -> None:
    login(client, "amina")
    response = upload(client, PHP_AS_JPG, name="foto.jpg", headers=HX if htmx else None, body="kijk")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Dit bestand kan niet mee. Stuur een foto of een pdf-bestand." in html
    assert "kijk" in html  # the text stays in the box
    assert counts(app) == (0, 0, 0)
    assert not any(p.is_file() for p in upload_folder.rglob("*"))


@pytest.mark.parametrize("htmx", [False, True])
def test_a_30_mb_photo_gets_a_clear_message_and_nothing_is_stored(app, client, world, upload_folder, htmx) -> None:
    login(client, "amina")
    response = upload(client, huge_bytes(30), name="groot.jpg", headers=HX if htmx else None)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Dit bestand is te groot. Een bestand mag hoogstens 10 MB zijn." in html
    if htmx:
        assert 'data-error-message="Dit bestand is te groot.' in html and "<html" not in html
    else:
        assert 'id="compose-form"' in html  # the page with the form, to try again
    assert counts(app) == (0, 0, 0)
    assert not any(p.is_file() for p in upload_folder.rglob("*"))


def test_an_11_mb_file_under_the_request_limit_is_refused_by_the_file_limit(app, client, world) -> None:
    login(client, "amina")
    response = upload(client, b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024) + b"\n%%EOF\n", name="groot.pdf")
    assert response.status_code == 422
    assert "Dit bestand is te groot." in response.get_data(as_text=True)
    assert counts(app) == (0, 0, 0)


@pytest.mark.residents_read_dutch(False)  # this test needs the resident's own language
def test_the_too_large_message_follows_the_account_language(app, client, world) -> None:
    login(client, "amina")  # Arabic account; the page says so in its lang attribute
    html = upload(client, huge_bytes(13), name="groot.jpg").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in html


def test_another_resident_sees_nothing_of_the_conversation_or_files(app, client, world) -> None:
    login(client, "amina")
    upload(client, jpeg_with_gps(), body="geheim van amina")
    with app.app_context():
        aid = db.session.scalars(select(Attachment)).one().id
    client.post("/logout")
    login(client, "bob")
    assert "geheim van amina" not in client.get("/messages").get_data(as_text=True)
    assert fetch(client, f"/messages/files/{aid}").status_code == 404
    assert fetch(client, f"/messages/files/{aid}?size=preview").status_code == 404
    assert "geheim" not in client.get("/messages/new?after=0", headers=HX).get_data(as_text=True)


def test_another_caseworker_gets_404_and_the_refusal_is_logged(app, client, world) -> None:
    login(client, "amina")
    upload(client, jpeg_with_gps(), body="geheim")
    with app.app_context():
        aid = db.session.scalars(select(Attachment)).one().id
    client.post("/logout")
    login(client, "ruben")
    assert client.get(f"/staff/messages/{world.amina_id}").status_code == 404
    assert fetch(client, f"/messages/files/{aid}").status_code == 404
    response = client.post(f"/staff/messages/{world.amina_id}", data={"body": "x", "client_key": key()})
    assert response.status_code == 404
    assert "Amina" not in client.get("/staff/messages").get_data(as_text=True)
    with app.app_context():
        refused = db.session.scalars(select(AuditEvent).where(AuditEvent.outcome == "refused")).all()
        assert {e.action for e in refused} == {"messages.view", "messages.attachment", "messages.reply"}
        assert db.session.scalar(select(func.count(Message.id))) == 1


def test_counsellor_reads_and_writes_only_with_the_residents_consent(app, client, world) -> None:
    add_message(app, world.amina_id, body="vraag van amina")
    login(client, "pieter")
    assert client.get(f"/staff/messages/{world.amina_id}").status_code == 404
    refused = client.post(f"/staff/messages/{world.amina_id}", data={"body": "hoi", "client_key": key()})
    assert refused.status_code == 404
    assert [m[3] for m in stored_messages(app)] == ["vraag van amina"]
    assert "Amina" not in client.get("/staff/messages").get_data(as_text=True)
    panel = client.get(f"/staff/messages/{world.amina_id}/panel", headers=HX)
    assert panel.status_code == 200 and "geen toestemming" in panel.get_data(as_text=True)
    assert "vraag van amina" not in panel.get_data(as_text=True)
    allow_counsellor(app, world.amina_id)
    assert "Amina Haddad" in client.get("/staff/messages").get_data(as_text=True)
    html = client.get(f"/staff/messages/{world.amina_id}").get_data(as_text=True)
    assert "vraag van amina" in html and "Markeer als afgehandeld" not in html
    response = client.post(f"/staff/messages/{world.amina_id}", data={"body": "Hoi, Pieter hier", "client_key": key()},
                           headers=HX)
    assert response.status_code == 200 and "Hoi, Pieter hier" in response.get_data(as_text=True)
    assert stored_messages(app)[1:] == [(world.amina_id, world.pieter_id, False, "Hoi, Pieter hier", ANY)]
    with app.app_context():
        question = db.session.scalars(select(Message).where(Message.from_resident.is_(True))).one()
        assert question.read_at is None  # only the contact person's reading counts as read
    # bob is not pieter's (in the world he has ineke): 404 even with consent
    allow_counsellor(app, world.bob_id)
    assert client.get(f"/staff/messages/{world.bob_id}").status_code == 404
    client.post("/logout")
    login(client, "amina")
    html = client.get("/messages").get_data(as_text=True)
    assert "Pieter Hendriks (begeleider)" in html


def test_consent_can_be_withdrawn(app, client, world) -> None:
    add_message(app, world.amina_id)
    allow_counsellor(app, world.amina_id)
    login(client, "amina")
    response = client.post("/account/messages", data={"notify_email": "y"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/account?saved=messages")
    with app.app_context():
        settings = db.session.get(ResidentMessageSettings, world.amina_id)
        assert (settings.counsellor_may_read, settings.notify_email) == (False, True)
    client.post("/logout")
    login(client, "pieter")
    assert client.get(f"/staff/messages/{world.amina_id}").status_code == 404


def test_lead_never_sees_individual_messages(app, client, world) -> None:
    add_message(app, world.amina_id, body="vraag")
    login(client, "lead")
    assert client.get("/staff/messages").status_code == 403
    assert client.get(f"/staff/messages/{world.amina_id}").status_code == 403


@pytest.mark.residents_read_dutch(False)  # this test needs the resident's own language
def test_inbox_lists_unread_first_with_the_language(app, client, world) -> None:
    add_message(app, world.yonas_id, body="oude vraag van yonas", read_at=utcnow())
    add_message(app, world.amina_id, body="nieuw")
    login(client, "sanne")
    html = client.get("/staff/messages").get_data(as_text=True)
    assert html.index("Amina Haddad") < html.index("Yonas Tesfamariam")
    assert '<span lang="ar">العربية</span> · Arabisch' in html and '<span lang="ti">ትግርኛ</span>' in html
    assert "1 nieuw" in html and "Wacht op antwoord" in html
    assert "nieuw<" not in html.split("Yonas")[1].split("</li>")[0]
    assert "oude vraag" not in html  # no message text in the list: reading is done (and logged) per conversation
    fragment = client.get("/staff/messages", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="inbox-list"')


def test_reading_a_conversation_is_audited_and_marks_it_read(app, client, world) -> None:
    mid = add_message(app, world.amina_id, body="vraag")
    login(client, "sanne")
    response = client.get(f"/staff/messages/{world.amina_id}?inbox=1", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith(f'<div id="conversation-{world.amina_id}"')
    assert f'<li id="inbox-row-{world.amina_id}" class="inbox-row inbox-row--waiting" hx-swap-oob="true">' in html
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action != "login")).one()
        assert (event.action, event.resident_id, event.actor.username, event.outcome) == (
            "messages.view", world.amina_id, "sanne", "ok")
        assert db.session.get(Message, mid).read_at is not None


def test_staff_reply_inline_and_bad_input(app, client, world) -> None:
    add_message(app, world.amina_id, body="vraag")
    login(client, "sanne")
    response = client.post(f"/staff/messages/{world.amina_id}", data={"body": "Mijn antwoord", "client_key": key()},
                           headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(f'<div id="conversation-{world.amina_id}"') and "Mijn antwoord" in html
    assert "notice" in response.headers["HX-Trigger"]
    for kind, text in BAD_TEXT.items():
        bad = client.post(f"/staff/messages/{world.amina_id}", data={"body": text, "client_key": key()}, headers=HX)
        assert bad.status_code == 422, kind
        assert field_errors(bad.get_data(as_text=True)) == [BAD_TEXT_MESSAGE[kind]], kind
    assert counts(app)[1] == 2
    plain_key = key()
    plain = client.post(f"/staff/messages/{world.amina_id}", data={"body": "Zonder htmx", "client_key": plain_key})
    assert plain.status_code == 303
    assert stored_messages(app)[1:] == [(world.amina_id, world.sanne_id, False, "Mijn antwoord", ANY),
                                        (world.amina_id, world.sanne_id, False, "Zonder htmx", plain_key)]


def test_staff_can_send_a_file(app, client, world) -> None:
    login(client, "sanne")
    response = client.post(f"/staff/messages/{world.amina_id}", content_type="multipart/form-data", headers=HX,
                           data={"body": "", "client_key": key(), "file": (BytesIO(pdf_bytes()), "uitleg.pdf")})
    assert response.status_code == 200 and "uitleg.pdf" in response.get_data(as_text=True)
    with app.app_context():
        attachment = db.session.scalars(select(Attachment)).one()
        aid = attachment.id
        assert (attachment.filename, attachment.message.sender_id, attachment.message.from_resident) == (
            "uitleg.pdf", world.sanne_id, False)
    client.post("/logout")
    login(client, "amina")
    served = fetch(client, f"/messages/files/{aid}")
    assert served.status_code == 200 and pdf_pages(served.data) == 1
    assert client.post(f"/staff/messages/{world.amina_id}", content_type="multipart/form-data", headers=HX,
                       data={"client_key": key(), "file": (BytesIO(PHP_AS_JPG), "x.jpg")}).status_code == 403
    assert counts(app) == (1, 1, 1)


def test_staff_looking_at_a_file_is_logged(app, client, world) -> None:
    login(client, "amina")
    upload(client, jpeg_with_gps())
    with app.app_context():
        aid = db.session.scalars(select(Attachment)).one().id
    client.post("/logout")
    login(client, "sanne")
    assert fetch(client, f"/messages/files/{aid}").status_code == 200
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "messages.attachment")).one()
        assert event.resident_id == world.amina_id and event.outcome == "ok"


def test_mark_as_handled_and_open_again(app, client, world) -> None:
    add_message(app, world.amina_id, body="vraag")
    login(client, "sanne")
    response = client.post(f"/staff/messages/{world.amina_id}/handled", data={"handled": "1"}, headers=HX)
    assert response.status_code == 200 and "Afgehandeld op" in response.get_data(as_text=True)
    assert "Weer openzetten" in response.get_data(as_text=True)
    html = client.get("/staff/messages").get_data(as_text=True)
    assert "Afgehandeld" in html
    for bad in ("2", "", "ja"):
        assert client.post(f"/staff/messages/{world.amina_id}/handled", data={"handled": bad}).status_code == 422
    with app.app_context():
        assert db.session.scalars(select(Conversation)).one().handled_by_id == world.sanne_id  # still handled
    response = client.post(f"/staff/messages/{world.amina_id}/handled", data={"handled": "0"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Conversation)).one().handled_at is None


def test_the_file_page_has_the_messages_panel_loading_lazily(app, client, world) -> None:
    add_message(app, world.amina_id, body="vraag in het dossier")
    login(client, "sanne")
    html = client.get(f"/staff/residents/{world.amina_id}").get_data(as_text=True)
    assert f'hx-get="/staff/messages/{world.amina_id}/panel" hx-trigger="load"' in html
    assert "vraag in het dossier" not in html  # the file page stays light
    panel = client.get(f"/staff/messages/{world.amina_id}/panel", headers=HX).get_data(as_text=True)
    assert "vraag in het dossier" in panel
    assert client.get(f"/staff/messages/{world.amina_id}/panel").status_code == 303


def test_resident_settings_on_the_account_page(app, client, world) -> None:
    login(client, "amina")
    html = client.get("/account").get_data(as_text=True)
    assert 'action="/account/messages"' in html and "Pieter Hendriks" in html
    assert 'name="counsellor_may_read"' in html
    response = client.post("/account/messages", data={"counsellor_may_read": "y"})
    assert response.status_code == 303
    with app.app_context():
        settings = db.session.get(ResidentMessageSettings, world.amina_id)
        assert settings.counsellor_may_read and not settings.notify_email
    html = client.get("/account").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="counsellor_may_read"', html)


def test_staff_profile_on_the_account_page(app, client, world) -> None:
    login(client, "sanne")
    html = client.get("/account").get_data(as_text=True)
    assert 'action="/account/messages/profile"' in html and "Mijn werkdagen" in html
    response = client.post("/account/messages/profile",
                           data={"working_days": ["1", "4"], "reply_days": "0", "notify_email": "y"})
    assert response.status_code == 303
    with app.app_context():
        profile = db.session.get(StaffMessageProfile, world.sanne_id)
        assert (profile.working_days, profile.reply_days, profile.notify_email) == ("14", 0, True)
    for data, message in (({"working_days": [], "reply_days": "1"}, "Kies minstens één werkdag."),
                          ({"working_days": ["9"], "reply_days": "1"}, "Kies een optie uit de lijst."),
                          ({"working_days": ["1"], "reply_days": "99"}, "Kies een optie uit de lijst."),
                          ({"working_days": ["1"], "reply_days": LONG}, "Kies een optie uit de lijst.")):
        bad = client.post("/account/messages/profile", data=data)
        assert bad.status_code == 422 and message in bad.get_data(as_text=True)
    client.post("/logout")
    login(client, "amina")
    assert "Je krijgt meestal dezelfde werkdag antwoord." in client.get("/messages").get_data(as_text=True)


def test_account_page_of_others_has_no_messages_section(client, world) -> None:
    for user in ("pieter", "lead", "admin"):
        login(client, user)
        assert 'id="account-messages"' not in client.get("/account").get_data(as_text=True)
        client.post("/logout")


def test_data_download_holds_the_messages(app, client, world) -> None:
    add_message(app, world.amina_id, body="mijn eigen vraag")
    login(client, "amina")
    data = export_data(client.get("/account/data"))
    assert data["messages"]["conversation"][0]["text"] == "mijn eigen vraag"


def test_staff_conversation_and_inbox_take_a_fixed_number_of_statements(app, client, world, count_queries) -> None:
    def statements(url: str) -> int:
        before = count_queries.count
        assert client.get(url).status_code == 200
        return count_queries.count - before

    for n in range(5):
        add_message(app, world.amina_id, from_resident=n % 2 == 0)
    add_message(app, world.yonas_id)
    login(client, "sanne")
    statements(f"/staff/messages/{world.amina_id}")  # the first look of a visit is logged, later ones are not
    small = (statements(f"/staff/messages/{world.amina_id}"), statements("/staff/messages"))
    for n in range(30):
        add_message(app, world.amina_id, from_resident=n % 2 == 0)
        add_message(app, world.yonas_id, from_resident=n % 3 == 0)
    large = (statements(f"/staff/messages/{world.amina_id}"), statements("/staff/messages"))
    assert large == small
    assert large[0] <= 10 and large[1] <= 5
