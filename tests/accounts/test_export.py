""""Download all my data": a ZIP with a readable overview in the resident's language, the JSON and the files."""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

from portal.appointments.models import KINDS
from portal.caseload.models import Resident
from portal.db import db
from portal.messages.services import Upload, message_send
from tests.accounts.data import FOLDER, export_data, export_html, export_zip
from tests.conftest import login
from tests.i18n_text import t
from tests.messages.factories import pdf_bytes, png_bytes

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "accounts" / "export" / "overview.html"
REFUSED = "Een medewerker buiten je dossier werd geweigerd"


def _send(app, resident_id: int, *, body: str, filename: str, data: bytes) -> None:
    with app.app_context():
        resident = db.session.get(Resident, resident_id)
        message_send(resident=resident, sender=resident.user, client_key=str(uuid.uuid4()), body=body,
                     uploads=[Upload(filename=filename, data=data)])
        db.session.commit()


class _Checker(HTMLParser):
    """Collects what makes the overview a self-contained, accessible document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.html_attrs: dict[str, str | None] = {}
        self.outside: list[str] = []
        self.open: list[str] = []
        self.void = {"meta", "br", "img", "link", "input", "hr"}

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if tag == "html":
            self.html_attrs = values
        for name in ("src", "href"):
            if re.match(r"(https?:)?//", values.get(name) or ""):
                self.outside.append(values[name])
        if tag not in self.void:
            self.open.append(tag)

    def handle_endtag(self, tag) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()


def test_the_download_is_a_zip_with_overview_json_and_attachments(app, client, world) -> None:
    _send(app, world.amina_id, body="mijn brief", filename="brief.pdf", data=pdf_bytes())
    login(client, "amina")
    response = client.get("/account/data")
    assert response.headers["Content-Disposition"].startswith("attachment")
    archive = export_zip(response)
    names = archive.namelist()
    assert f"{FOLDER}/overzicht.html" in names and f"{FOLDER}/gegevens.json" in names
    data = export_data(response)
    attachment = data["messages"]["conversation"][0]["attachments"][0]
    assert attachment["file"] in {name.removeprefix(f"{FOLDER}/") for name in names}
    assert archive.read(f"{FOLDER}/{attachment['file']}").startswith(b"%PDF-")
    html = export_html(response)
    assert f'href="{attachment["file"]}"' in html and "mijn brief" in html
    assert {"account", "file", "plan", "appointments", "messages", "ontzorgen", "learn", "file_views"} <= set(data)


def test_the_overview_is_in_the_residents_language_and_right_to_left_for_arabic(client, world) -> None:
    login(client, "amina")  # amina reads Arabic
    html = export_html(client.get("/account/data"))
    checker = _Checker()
    checker.feed(html)
    assert html.startswith("<!DOCTYPE html>")
    assert checker.html_attrs == {"lang": "ar", "dir": "rtl"}
    assert "title" in checker.tags and "main" in checker.tags and checker.open == []
    assert checker.outside == []  # nothing loaded from anywhere: it is opened from disk
    assert f"<h2 id=\"export-views\">{t('ar', 'Wie keek in mijn dossier')}</h2>" in html
    assert f"<h1>{t('ar', 'Mijn gegevens')}</h1>" in html


def test_a_look_shows_name_role_and_part_and_a_refused_look_no_name(app, client, world) -> None:
    staff = app.test_client()
    login(staff, "sanne")
    assert staff.get(f"/staff/residents/{world.amina_id}/plan").status_code == 200
    outsider = app.test_client()
    login(outsider, "ruben")
    assert outsider.get(f"/staff/residents/{world.amina_id}").status_code == 404
    login(client, "amina")
    response = client.get("/account/data")
    views = export_data(response)["file_views"]
    refused = [v for v in views if v["outcome"] == "refused"]
    assert refused and all(v["by"] is None and v["role"] is None for v in refused)
    assert any(v["by"] == "Sanne de Vries" and v["part"] == "plan" for v in views)
    html = export_html(response)
    assert "Ruben Jansen" not in html
    assert t("ar", REFUSED) in html
    assert re.search(r"Sanne de Vries \([^)]+\)</td>\s*<td>" + re.escape(t("ar", "Mijn plan")), html)


def test_another_residents_data_is_never_included(app, client, world) -> None:
    _send(app, world.bob_id, body="bericht van bob", filename="bob.png", data=png_bytes())
    _send(app, world.amina_id, body="bericht van amina", filename="amina.png", data=png_bytes())
    login(client, "amina")
    response = client.get("/account/data")
    archive = export_zip(response)
    text = export_html(response) + archive.read(f"{FOLDER}/gegevens.json").decode("utf-8")
    assert "bob" not in text.lower() and "Bob Mensah" not in text
    assert [n for n in archive.namelist() if "/bijlagen/" in n] == [
        n for n in archive.namelist() if n.endswith("amina.png")]


def test_every_appointment_kind_has_its_label_in_the_overview() -> None:
    source = TEMPLATE.read_text(encoding="utf-8")
    for kind, label in KINDS.items():
        assert f"'{kind}': _('{label._args[0] if hasattr(label, '_args') else label}')" in source
