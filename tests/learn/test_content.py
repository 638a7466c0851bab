"""The content check: every module and the self-check in every language follow docs/learn-content.md.

The first test checks the shipped content; the others break a copy of it in one way each and require the check
to say so, so no rule of the check can silently stop working."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from werkzeug.exceptions import HTTPException

from portal.learn.checks import content_problems
from portal.learn.content import CONTENT, LANGUAGES, _parse, load_catalogue, sanitise


def _url_ok(app):
    adapter = app.url_map.bind("localhost")

    def ok(path: str) -> bool:
        try:
            adapter.match(path, method="GET")
        except HTTPException as error:
            return getattr(error, "code", 404) in (301, 302, 308)
        return True

    return ok


def test_the_shipped_content_passes_the_content_check(app) -> None:
    assert content_problems(CONTENT, url_ok=_url_ok(app)) == []


def test_counts(app) -> None:
    """At least seven modules of three to six lessons, about fifteen self-check questions."""
    catalogue = load_catalogue(CONTENT)
    assert len(catalogue.modules) >= 7
    assert all(3 <= len(m.lessons) <= 6 for m in catalogue.modules)
    assert 10 <= len(catalogue.check) <= 20


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


def _module(root: Path) -> Path:
    return sorted((root / "modules").iterdir())[0]


def _first_lesson(root: Path) -> str:
    return yaml.safe_load((_module(root) / "module.yaml").read_text())["lessons"][0]["slug"]


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _problems(root: Path) -> str:
    return "\n".join(content_problems(root))


def test_a_missing_translation_is_reported(copy: Path) -> None:
    (_module(copy) / "ti" / f"{_first_lesson(copy)}.md").unlink()
    assert f"/ti/{_first_lesson(copy)}: missing" in _problems(copy)


def test_a_right_answer_that_is_not_an_option_is_reported(copy: Path) -> None:
    path = _module(copy) / "module.yaml"
    raw = yaml.safe_load(path.read_text())
    raw["lessons"][0]["quiz"][0]["answer"] = "x"
    path.write_text(yaml.safe_dump(raw))
    assert "is not one of its options" in _problems(copy)


def test_a_question_missing_in_one_language_is_reported(copy: Path) -> None:
    path = _module(copy) / "fa.yaml"
    raw = yaml.safe_load(path.read_text())
    lesson = _first_lesson(copy)
    raw["quiz"][lesson].pop(next(iter(raw["quiz"][lesson])))
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    assert "questions differ from the structure" in _problems(copy)


def test_a_translation_with_a_different_number_of_blocks_is_reported(copy: Path) -> None:
    path = _module(copy) / "tr" / f"{_first_lesson(copy)}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n\nEk bir paragraf.\n", encoding="utf-8")
    assert "blocks, the Dutch has" in _problems(copy)


def test_a_translation_with_other_numbers_is_reported(copy: Path) -> None:
    path = next(p for p in sorted((copy / "modules").glob("*/en/*.md")) if "{eur:" in p.read_text())
    text = path.read_text(encoding="utf-8")
    start = text.index("{eur:")
    token = text[start:text.index("}", start) + 1]
    _edit(path, token, "{eur:1}")
    assert "numbers differ from the Dutch" in _problems(copy)


def test_a_bare_number_is_reported(copy: Path) -> None:
    path = _module(copy) / "nl" / f"{_first_lesson(copy)}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n\nBel 112.\n", encoding="utf-8")
    assert "a bare number" in _problems(copy)


def test_links_outside_the_official_sites_and_broken_pictures_are_reported(copy: Path) -> None:
    path = _module(copy) / "nl" / f"{_first_lesson(copy)}.md"
    path.write_text(path.read_text(encoding="utf-8")
                    + "\n\nKijk op [deze site](https://example.com/geld) of [hier](http://www.rijksoverheid.nl/geld).\n\n"
                      "![Een brief](bestaat-niet.svg)\n", encoding="utf-8")
    problems = _problems(copy)
    assert "https://example.com/geld: not one of the official sites" in problems
    assert "http://www.rijksoverheid.nl/geld: only https:// or a Wegwijs path" in problems
    assert "picture bestaat-niet.svg is not in static/learn/" in problems


def test_a_link_to_a_wegwijs_page_that_does_not_exist_is_reported(app, copy: Path) -> None:
    path = _module(copy) / "nl" / f"{_first_lesson(copy)}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n[Vraag het](/berichten-bestaat-niet).\n",
                    encoding="utf-8")
    assert any("no such Wegwijs page" in p for p in content_problems(copy, url_ok=_url_ok(app)))


def test_front_matter_without_a_year_and_a_lesson_without_an_example_are_reported(copy: Path) -> None:
    path = _module(copy) / "ar" / f"{_first_lesson(copy)}.md"
    text = path.read_text(encoding="utf-8")
    head, _, body = text[4:].partition("\n---\n")
    meta = yaml.safe_load(head)
    meta.pop("year")
    body = "\n".join(line.lstrip("> ") if line.startswith(">") else line for line in body.splitlines())
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body, encoding="utf-8")
    problems = _problems(copy)
    assert "front matter needs the year" in problems
    assert "no worked example" in problems


def test_raw_html_is_reported_and_never_rendered(copy: Path) -> None:
    path = _module(copy) / "nl" / f"{_first_lesson(copy)}.md"
    hostile = '\n\n<script>alert(1)</script>\n\nTekst <b onclick="x">vet</b>.\n'
    path.write_text(path.read_text(encoding="utf-8") + hostile, encoding="utf-8")
    assert "raw HTML is not shown" in _problems(copy)
    doc = _parse(path)
    rendered = "".join(block for screen in doc.screens for block in screen.blocks)
    assert "<script" not in rendered and "<b " not in rendered  # shown as text, never as markup
    assert "&lt;script&gt;" in rendered


def test_the_sanitiser_drops_unsafe_links_and_attributes() -> None:
    cleaned = sanitise('<p><a href="javascript:alert(1)">x</a><img src="x.svg" onerror="alert(1)">'
                       '<a href="https://rijksoverheid.nl">y</a></p>')
    assert "javascript" not in cleaned and "onerror" not in cleaned
    assert 'href="https://rijksoverheid.nl"' in cleaned and 'rel="noopener noreferrer"' in cleaned


def test_the_self_check_is_checked_too(copy: Path) -> None:
    path = copy / "check" / "ti.yaml"
    raw = yaml.safe_load(path.read_text())
    first = next(iter(raw["questions"]))
    raw["questions"][first]["options"].pop(next(iter(raw["questions"][first]["options"])))
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    (copy / "check" / "tr.yaml").unlink()
    problems = _problems(copy)
    assert f"check/ti/{first}: options must be exactly" in problems
    assert "check/tr.yaml: missing" in problems


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_lesson(lang: str) -> None:
    catalogue = load_catalogue(CONTENT)
    missing = [f"{m.slug}/{lang}/{lesson.slug}.md" for m in catalogue.modules for lesson in m.lessons
               if not (CONTENT / "modules" / m.slug / lang / f"{lesson.slug}.md").exists()]
    assert missing == []
