"""Attachments: checked by content, images re-encoded without metadata, stored under a random name.

Only photos (JPEG, PNG, WebP, GIF) and PDF files pass. An image is opened and verified with
Pillow, turned upright (EXIF orientation), scaled down to at most MAX_SIDE pixels and written
again from its bare pixels, so nothing of the original file (EXIF, GPS position, ICC profile,
comments) survives. A PDF must start with %PDF- and end with %%EOF.
"""

from __future__ import annotations

import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps

from portal.domain import DomainError
from portal.i18n import _l

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000
MAX_SIDE = 2000
PREVIEW_SIDE = 640
SUBFOLDER = "messages"
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}  # MPO: the JPEG some phone cameras write


@dataclass
class PreparedFile:
    kind: str  # image | pdf
    content_type: str
    extension: str
    data: bytes
    filename: str
    preview: bytes | None = None
    width: int | None = None
    height: int | None = None


def max_file_bytes() -> int:
    return int(current_app.config.get("MESSAGES_MAX_FILE_BYTES", MAX_FILE_BYTES))


def too_large_error() -> DomainError:
    return DomainError(
        _l("Dit bestand is te groot. Een bestand mag hoogstens %(mb)s MB zijn.", mb=max_file_bytes() // 2**20),
        field="file",
    )


def refused_error() -> DomainError:
    return DomainError(_l("Dit bestand kan niet mee. Stuur een foto of een pdf-bestand."), field="file")


def clean_filename(raw: str, extension: str) -> str:
    """The sender's file name without a path, invisible characters or its own extension."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = "".join(ch for ch in unicodedata.normalize("NFC", stem)
                   if unicodedata.category(ch)[0] in "LNZ" or ch in "-_()")
    stem = " ".join(stem.split())[:80].strip(" .") or "bestand"
    return f"{stem}.{extension}"


def _bare(image: Image.Image) -> Image.Image:
    """A new image from the pixels alone: no EXIF, no ICC profile, no text chunks."""
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info or image.mode in ("PA", "P") else "RGB")
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _encode(image: Image.Image, fmt: str, side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = BytesIO()
    if fmt == "PNG":
        copy.save(out, "PNG", optimize=True)
    else:
        if copy.mode in ("RGBA", "LA"):
            background = Image.new("RGB", copy.size, (255, 255, 255))
            background.paste(copy, mask=copy.getchannel("A"))
            copy = background
        elif copy.mode != "RGB":
            copy = copy.convert("RGB")
        copy.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue(), copy.width, copy.height


def _prepare_image(data: bytes, filename: str) -> PreparedFile | None:
    """None when the bytes are not an image Pillow knows; a refusal when it is a broken or unwanted one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in IMAGE_FORMATS:
                    raise refused_error()
                if probe.width * probe.height > MAX_PIXELS:
                    raise refused_error()
                probe.verify()
            with Image.open(BytesIO(data)) as image:
                image.seek(0)
                upright = ImageOps.exif_transpose(image)
                bare = _bare(upright)
        except DomainError:
            raise
        except Image.UnidentifiedImageError:
            return None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning, OSError, SyntaxError, ValueError,
                TypeError, IndexError, KeyError, EOFError):
            raise refused_error() from None
    out_format = "PNG" if fmt in ("PNG", "GIF") else "JPEG"
    full, width, height = _encode(bare, out_format, MAX_SIDE)
    preview = _encode(bare, out_format, PREVIEW_SIDE)[0] if max(bare.size) > PREVIEW_SIDE else None
    extension = "png" if out_format == "PNG" else "jpg"
    return PreparedFile(kind="image", content_type=f"image/{'png' if out_format == 'PNG' else 'jpeg'}",
                        extension=extension, data=full, preview=preview, width=width, height=height,
                        filename=clean_filename(filename, extension))


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]


def prepare_upload(*, filename: str, data: bytes) -> PreparedFile:
    """Check one uploaded file by its content; re-encode images. Raises DomainError for anything else."""
    if len(data) > max_file_bytes():
        raise too_large_error()
    if not data:
        raise DomainError(_l("Dit bestand is leeg."), field="file")
    if _is_pdf(data):
        return PreparedFile(kind="pdf", content_type="application/pdf", extension="pdf", data=data,
                            filename=clean_filename(filename, "pdf"))
    image = _prepare_image(data, filename)
    if image is None:
        raise refused_error()
    return image


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / SUBFOLDER


def store_bytes(data: bytes, extension: str) -> str:
    """Write the bytes under a fresh random name; returns the name relative to the upload root."""
    token = secrets.token_hex(16)
    relative = f"{token[:2]}/{token}.{extension}"
    path = upload_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as fh:
        fh.write(data)
    return relative


def stored_path(relative: str) -> Path | None:
    """The absolute path of a stored file, or None when the name is not one we could have written."""
    root = upload_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def remove_stored(relative: str | None) -> None:
    if relative:
        path = stored_path(relative)
        if path is not None:
            path.unlink(missing_ok=True)
