"""Attachments that attack the server: pixel bombs, animations, PDFs with scripts and attachments, broken PDFs."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from portal.domain import DomainError
from portal.messages.files import prepare_upload
from tests.messages.images import animated, jpeg_of_size, png_of_size

TOO_MANY_PIXELS = "Deze foto is te groot om te verwerken. Stuur een kleinere foto."
REFUSED = "Dit bestand kan niet mee. Stuur een foto of een pdf-bestand."
ROOT = Path(__file__).resolve().parents[2]

BOMBS = {
    "png 7000x7000": lambda: png_of_size(7000, 7000),  # 49 megapixels in 140 KB; took 817 MB and 3.4 s
    "palette png 7000x7000": lambda: png_of_size(7000, 7000, palette=True),  # took 723 MB and 2.8 s
    "png 4000x3200": lambda: png_of_size(4000, 3200),  # 12.8 MP: fine from a camera, too many for a PNG
    "jpeg 8000x6000": lambda: jpeg_of_size(8000, 6000),  # 48 MP: more than a phone camera makes
    "jpeg 60000x10": lambda: jpeg_of_size(60000, 10),  # few pixels, but a side no photo has
    "gif 7000x7000": lambda: _gif_screen(7000, 7000),
}


def _gif_screen(width: int, height: int) -> bytes:
    out = BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF")
    data = bytearray(out.getvalue())
    data[6:10] = width.to_bytes(2, "little") + height.to_bytes(2, "little")  # the logical screen
    return bytes(data)


def _refusal(data: bytes, name: str = "x") -> str:
    with pytest.raises(DomainError) as error:
        prepare_upload(filename=name, data=data)
    assert error.value.field == "file"
    return str(error.value.message)


@pytest.mark.parametrize("kind", list(BOMBS))
def test_a_pixel_bomb_is_refused_from_its_header_at_once(ctx, kind) -> None:
    data = BOMBS[kind]()
    started = time.process_time()
    assert _refusal(data) == TOO_MANY_PIXELS
    assert time.process_time() - started < 0.2


_MEASURE = """
import json, resource, sys
from portal.messages.files import _prepare_image
data = sys.stdin.buffer.read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    outcome = "stored" if _prepare_image(data, "x") else "not an image"
except Exception as error:
    outcome = type(error).__name__
print(json.dumps([outcome, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024]))
"""


def _peak(data: bytes) -> tuple[str, int]:
    """What preparing the image does and how many MB it adds to a fresh process's peak memory."""
    done = subprocess.run([sys.executable, "-c", _MEASURE], input=data, capture_output=True, cwd=ROOT,
                          check=True, timeout=60)
    return tuple(json.loads(done.stdout))


def _camera_jpeg(width: int, height: int) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), (90, 120, 200)).save(out, "JPEG", quality=60)
    return out.getvalue()


@pytest.mark.parametrize("kind, make, limit_mb", [
    ("png bomb", lambda: png_of_size(7000, 7000), 20),
    ("palette png bomb", lambda: png_of_size(7000, 7000, palette=True), 20),
    # The largest allowed: a 12 MP palette PNG decodes to 12 MB, 48 MB as RGBA (was 230 MB).
    ("palette png 4000x3000", lambda: png_of_size(4000, 3000, palette=True), 120),
    # A 39 MP camera photo is decoded at half its size by the JPEG decoder: 29 MB (was 470 MB).
    ("jpeg 7200x5400", lambda: _camera_jpeg(7200, 5400), 100),
])
def test_memory_stays_bounded(kind, make, limit_mb) -> None:
    outcome, peak_mb = _peak(make())
    assert outcome == ("DomainError" if "bomb" in kind else "stored")
    assert peak_mb < limit_mb, f"{kind}: {peak_mb} MB"


@pytest.mark.parametrize("fmt", ["GIF", "PNG"])
def test_an_animation_keeps_its_first_frame_only(ctx, fmt) -> None:
    data = animated(fmt, frames=3)
    assert Image.open(BytesIO(data)).n_frames == 3
    prepared = prepare_upload(filename=f"plaatje.{fmt.lower()}", data=data)
    with Image.open(BytesIO(prepared.data)) as stored:
        assert (stored.format, getattr(stored, "n_frames", 1), stored.size) == ("PNG", 1, (64, 64))
        assert stored.convert("RGB").getpixel((0, 0)) == (0, 100, 200)  # the first frame's colour


def test_a_jpeg_is_turned_upright_after_it_is_made_small(ctx) -> None:
    image = Image.new("RGB", (3000, 1000), (10, 10, 10))
    image.paste((250, 250, 250), (0, 0, 300, 1000))  # a white band on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    out = BytesIO()
    image.save(out, "JPEG", exif=exif)
    prepared = prepare_upload(filename="brief.jpg", data=out.getvalue())
    with Image.open(BytesIO(prepared.data)) as stored:
        assert stored.size == (667, 2000) and not stored.getexif()
        assert stored.getpixel((333, 50))[0] > 200  # the band is on top now


# PDFs ----------------------------------------------------------------------------------------------------------

def _hostile_pdf() -> bytes:
    """A one-page PDF with every kind of active or hidden content a viewer may act on."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    script = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
    secret = pikepdf.Stream(pdf, b"MZ secret payload")
    secret.Type = pikepdf.Name.EmbeddedFile
    spec = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("virus.exe"),
                                                EF=pikepdf.Dictionary(F=secret)))
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), script])),
        EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("virus.exe"), spec])))
    pdf.Root.OpenAction = script
    pdf.Root.AA = pikepdf.Dictionary(WC=script)
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pikepdf.String("<xdp/>"))
    pdf.Root.Metadata = pdf.make_stream(b"<x:xmpmeta>Gemaakt door Jan op zijn laptop</x:xmpmeta>")
    pdf.docinfo["/Author"] = "Jan Jansen"
    pdf.docinfo["/Title"] = "Geheim"
    page = pdf.pages[0].obj
    page.AA = pikepdf.Dictionary(O=script)
    page.Annots = pdf.make_indirect(pikepdf.Array([
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 100, 20],
                           A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://www.belastingdienst.nl"),
                                                Next=script)),
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 30, 100, 50], A=script),
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 60, 100, 80],
                           A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))),
        pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment, Rect=[0, 90, 100, 110],
                           FS=spec),
    ]))
    out = BytesIO()
    pdf.save(out, compress_streams=False, fix_metadata_version=False)
    return out.getvalue()


def _all_objects(data: bytes) -> list:
    with pikepdf.open(BytesIO(data)) as pdf:
        found = []
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                found.append(("stream", dict(obj.stream_dict.items()).get("/Type"), obj.read_bytes()))
            elif isinstance(obj, pikepdf.Dictionary):
                found.append(("dict", repr(obj), b""))
        return found


def test_a_pdf_keeps_its_page_and_web_link_and_loses_scripts_files_actions_and_metadata(ctx) -> None:
    data = _hostile_pdf()
    assert b"app.alert" in data and b"MZ secret" in data  # the test's own PDF does carry them
    prepared = prepare_upload(filename="brief.pdf", data=data)
    with pikepdf.open(BytesIO(prepared.data)) as pdf:
        assert len(pdf.pages) == 1
        assert set(pdf.Root.keys()) == {"/Type", "/Pages"}
        assert "/Info" not in pdf.trailer
        page = pdf.pages[0].obj
        assert "/AA" not in page
        annots = list(page.Annots)
        assert [str(a.Subtype) for a in annots] == ["/Link", "/Link", "/Link"]
        assert dict(annots[0].A.items()) == {"/S": pikepdf.Name.URI, "/URI": "https://www.belastingdienst.nl"}
        assert all("/A" not in a for a in annots[1:])
    everything = _all_objects(prepared.data)
    text = b" ".join(kind.encode() + b" " + str(repr_).encode() + b" " + raw for kind, repr_, raw in everything)
    for trace in (b"JavaScript", b"app.alert", b"EmbeddedFile", b"MZ secret", b"virus.exe", b"Launch", b"cmd.exe",
                  b"Jan Jansen", b"Geheim", b"xmpmeta", b"XFA"):
        assert trace not in text, trace


def test_a_pdf_locked_by_its_maker_only_is_kept_without_the_lock(ctx) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="", owner="bank-geheim"))
    prepared = prepare_upload(filename="afschrift.pdf", data=out.getvalue())
    with pikepdf.open(BytesIO(prepared.data)) as stored:
        assert not stored.is_encrypted and len(stored.pages) == 1


def _with_password() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="geheim", owner="geheim"))
    return out.getvalue()


def _no_pages() -> bytes:
    pdf = pikepdf.new()
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind, make", [
    ("header only", lambda: b"%PDF-1.7\n%%EOF\n"),
    ("garbage between header and end", lambda: b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"),
    ("never finished", lambda: b"%PDF-1.4 but never finished"),
    ("html after the header", lambda: b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF"),
    ("no pages", _no_pages),
    ("a password to open it", _with_password),
])
def test_a_pdf_that_does_not_parse_is_refused(ctx, kind, make) -> None:
    assert _refusal(make(), "brief.pdf") == REFUSED
