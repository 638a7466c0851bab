"""Attachments: checked by content, images re-encoded without metadata, PDFs re-written, stored under a random name.

Only photos (JPEG, PNG, WebP, GIF) and PDF files pass. An image's size is read from its header
before any pixel is decoded: a photo of a letter needs at most JPEG_MAX_PIXELS (a phone camera),
a PNG, GIF or WebP at most OTHER_MAX_PIXELS; more is refused, so a small file that decodes to
gigabytes never reaches the decoder. A JPEG is decoded at a reduced scale (Image.draft), only the
first frame of an animation is kept, the picture is scaled down to at most MAX_SIDE pixels, turned
upright (EXIF orientation) and written again from its bare pixels, so nothing of the original file
(EXIF, GPS position, ICC profile, comments, other frames) survives.

A PDF is parsed by qpdf (pikepdf) and written again: what does not parse is refused, and the copy
keeps the pages and what they show, without JavaScript, embedded files, actions other than links,
forms, outlines or document metadata.
"""

from __future__ import annotations

import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from struct import error as struct_error

import pikepdf
from flask import current_app
from PIL import ExifTags, Image

from portal.domain import DomainError
from portal.i18n import _l

MAX_FILE_BYTES = 10 * 1024 * 1024
JPEG_MAX_PIXELS = 40_000_000  # a phone camera's photo; decoded at a quarter of that or less (Image.draft)
OTHER_MAX_PIXELS = 12_500_000  # PNG, GIF, WebP: a screenshot or a converted photo, decoded in full
MAX_INPUT_SIDE = 12_000
MAX_SIDE = 2000
PREVIEW_SIDE = 640
MAX_PDF_PAGES = 200
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


def too_many_pixels_error() -> DomainError:
    return DomainError(_l("Deze foto is te groot om te verwerken. Stuur een kleinere foto."), field="file")


def clean_filename(raw: str, extension: str) -> str:
    """The sender's file name without a path, invisible characters or its own extension."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = "".join(ch for ch in unicodedata.normalize("NFC", stem)
                   if unicodedata.category(ch)[0] in "LNZ" or ch in "-_()")
    stem = " ".join(stem.split())[:80].strip(" .") or "bestand"
    return f"{stem}.{extension}"


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _check_size(image: Image.Image) -> None:
    """Refuse by the header's dimensions, before anything is decoded."""
    limit = JPEG_MAX_PIXELS if image.format in ("JPEG", "MPO") else OTHER_MAX_PIXELS
    width, height = image.size
    if not (0 < width <= MAX_INPUT_SIDE and 0 < height <= MAX_INPUT_SIDE) or width * height > limit:
        raise too_many_pixels_error()


def _bare(image: Image.Image) -> Image.Image:
    """A new image from the pixels alone: no EXIF, no ICC profile, no text chunks."""
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _plain(image: Image.Image) -> Image.Image:
    """The first frame in a mode the encoders and LANCZOS take (palette, CMYK, 16-bit... become RGB(A) or L)."""
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    transparent = "transparency" in image.info or image.mode in ("PA", "RGBa", "La")
    return image.convert("RGBA" if transparent else "RGB")


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


def _decode_small(data: bytes) -> tuple[Image.Image, str]:
    """The first frame, upright and at most MAX_SIDE pixels, and the source format. Memory stays bounded:
    the size is checked from the header, a JPEG is decoded at a reduced scale, the rest is at most
    OTHER_MAX_PIXELS."""
    with Image.open(BytesIO(data)) as probe:
        if probe.format not in IMAGE_FORMATS:
            raise refused_error()
        _check_size(probe)
        probe.verify()
    with Image.open(BytesIO(data)) as image:
        fmt = image.format
        _check_size(image)  # the same bytes, but never trust a second parse to agree with the first
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        if fmt in ("JPEG", "MPO"):
            image.draft(None, (MAX_SIDE, MAX_SIDE))  # DCT scaling: 1/2, 1/4 or 1/8 of the pixels
        image.seek(0)  # an animation: its first frame only
        image.load()
        small = _plain(image)
        if small is image:
            small = image.copy()
    small.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    method = _TRANSPOSE.get(orientation) if isinstance(orientation, int) else None
    if method is not None:
        small = small.transpose(method)
    return _bare(small), fmt


def _prepare_image(data: bytes, filename: str) -> PreparedFile | None:
    """None when the bytes are not an image Pillow knows; a refusal when it is a broken, unwanted or huge one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            bare, fmt = _decode_small(data)
        except DomainError:
            raise
        except Image.UnidentifiedImageError:
            return None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError):
            raise too_many_pixels_error() from None
        except (OSError, SyntaxError, ValueError, TypeError, IndexError, KeyError, EOFError, struct_error):
            raise refused_error() from None
    out_format = "PNG" if fmt in ("PNG", "GIF") else "JPEG"
    full, width, height = _encode(bare, out_format, MAX_SIDE)
    preview = _encode(bare, out_format, PREVIEW_SIDE)[0] if max(bare.size) > PREVIEW_SIDE else None
    extension = "png" if out_format == "PNG" else "jpg"
    return PreparedFile(kind="image", content_type=f"image/{'png' if out_format == 'PNG' else 'jpeg'}",
                        extension=extension, data=full, preview=preview, width=width, height=height,
                        filename=clean_filename(filename, extension))


def _looks_like_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


_CATALOG_KEEP = {"/Type", "/Pages", "/PageLabels", "/Lang", "/MarkInfo", "/StructTreeRoot", "/ViewerPreferences",
                 "/PageLayout", "/Version"}
_PAGE_DROP = ("/AA", "/Metadata", "/PieceInfo", "/Thumb")
_ANNOT_DROP = {"/FileAttachment", "/Movie", "/Sound", "/Screen", "/RichMedia", "/3D"}


def _safe_action(action) -> pikepdf.Dictionary | None:
    """A link to a web page or a place in the document, rebuilt without a /Next chain; nothing else."""
    if not isinstance(action, pikepdf.Dictionary):
        return None
    kind = action.get("/S")
    if kind == pikepdf.Name.URI and isinstance(action.get("/URI"), pikepdf.String):
        return pikepdf.Dictionary(S=pikepdf.Name.URI, URI=action.URI)
    if kind == pikepdf.Name.GoTo and "/D" in action:
        return pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=action.D)
    return None


def _strip_pdf(pdf: pikepdf.Pdf) -> None:
    """Keep what the pages show; drop scripts, attachments, actions, forms, outlines and metadata."""
    for key in list(pdf.Root.keys()):
        if key not in _CATALOG_KEEP:
            del pdf.Root[key]
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    for page in pdf.pages:
        for key in _PAGE_DROP:
            if key in page.obj:
                del page.obj[key]
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        kept = pikepdf.Array()
        for annot in annots if isinstance(annots, pikepdf.Array) else ():
            if not isinstance(annot, pikepdf.Dictionary) or annot.get("/Subtype") in _ANNOT_DROP:
                continue
            for key in ("/AA", "/Popup", "/Parent"):
                if key in annot:
                    del annot[key]
            if "/A" in annot:
                action = _safe_action(annot.A)
                if action is None:
                    del annot["/A"]
                else:
                    annot.A = action
            kept.append(annot)
        page.obj.Annots = kept


def _prepare_pdf(data: bytes, filename: str) -> PreparedFile:
    """The PDF parsed and written again without active or hidden content; a refusal when it does not parse."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with pikepdf.open(BytesIO(data)) as pdf:
                if not 0 < len(pdf.pages) <= MAX_PDF_PAGES:
                    raise refused_error()
                _strip_pdf(pdf)
                out = BytesIO()
                # Streams stay encoded as sent: decoding them here would let a small file grow without bound.
                pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none, encryption=False,
                         fix_metadata_version=False, deterministic_id=True)
        except DomainError:
            raise
        except Exception:  # qpdf's parse errors, a password, and whatever else broken input raises
            raise refused_error() from None
    return PreparedFile(kind="pdf", content_type="application/pdf", extension="pdf", data=out.getvalue(),
                        filename=clean_filename(filename, "pdf"))


def prepare_upload(*, filename: str, data: bytes) -> PreparedFile:
    """Check one uploaded file by its content; re-encode images, re-write PDFs. Raises DomainError for anything else."""
    if len(data) > max_file_bytes():
        raise too_large_error()
    if not data:
        raise DomainError(_l("Dit bestand is leeg."), field="file")
    if _looks_like_pdf(data):
        return _prepare_pdf(data, filename)
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
