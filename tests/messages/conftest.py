"""Attachments of these tests go to a temporary folder, never to instance/."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path):
    folder = tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = str(folder)
    return folder
