"""Reading "download all my data" (a ZIP) in tests: the archive, its JSON and its overview."""

from __future__ import annotations

import io
import json
import zipfile

from werkzeug.test import TestResponse

FOLDER = "wegwijs-mijn-gegevens"


def export_zip(response: TestResponse) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def export_data(response: TestResponse) -> dict:
    return json.loads(export_zip(response).read(f"{FOLDER}/gegevens.json"))


def export_html(response: TestResponse) -> str:
    return export_zip(response).read(f"{FOLDER}/overzicht.html").decode("utf-8")
