"""The content check: every module and the self-check, in every language, against docs/learn-content.md.

`content_problems(root)` lists what is wrong, one line per problem; the tests require it to be empty and
`flask --app wsgi learn check` prints it for content authors.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markdown_it.token import Token

from portal.learn.content import (
    COMPETENCES,
    LANGUAGES,
    OFFICIAL_SITES,
    SLUG,
    SOURCE,
    TOKEN,
    ContentError,
    Question,
    _parse,
    lesson_path,
    load_catalogue,
    read_yaml,
)

ROOT = Path(__file__).resolve().parents[2]
PICTURES = ROOT / "static" / "learn"
ICONS = ROOT / "static" / "img" / "icons.svg"
RAW_HTML = re.compile(r"</?[a-zA-Z][^>]*>")  # with html off, markdown-it keeps tags as text: say so
BARE_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")

UrlCheck = Callable[[str], bool]


def _inline_text(tokens: list[Token] | tuple[Token, ...]) -> list[str]:
    texts = []
    for token in tokens:
        if token.children:
            texts.extend(child.content for child in token.children if child.type in ("text", "code_inline"))
    return texts


def _targets(tokens: tuple[Token, ...]) -> list[str]:
    found = []
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                found.append(str(child.attrs.get("href", "")))
            elif child.type == "image":
                found.append(str(child.attrs.get("src", "")))
    return found


def _text_problems(where: str, text: str) -> list[str]:
    problems = []
    stripped = TOKEN.sub("", text)
    if BARE_DIGIT.search(stripped):
        problems.append(f"{where}: a bare number; write it as a token like {{num:12}} ({stripped.strip()[:60]!r})")
    if re.search(r"\{[a-z]+:[^}]*\}", stripped):
        problems.append(f"{where}: a token that is not eur/num/digits/pct with a plain number")
    return problems


def _question_problems(where: str, question: Question, *, competence_needed: bool) -> list[str]:
    problems = []
    if not SLUG.match(question.id):
        problems.append(f"{where}: question id {question.id!r} is not a short lower-case slug")
    if not 2 <= len(question.options) <= 4 or len(set(question.options)) != len(question.options):
        problems.append(f"{where}/{question.id}: needs 2 to 4 different options")
    if question.answer not in question.options:
        problems.append(f"{where}/{question.id}: the answer {question.answer!r} is not one of its options")
    if competence_needed and question.competence not in COMPETENCES:
        problems.append(f"{where}/{question.id}: unknown competence {question.competence!r}")
    if question.picture and not (PICTURES / question.picture).is_file():
        problems.append(f"{where}/{question.id}: picture {question.picture} is not in static/learn/")
    return problems


def _words_problems(where: str, questions: tuple[Question, ...], words: Any, *, pictures: bool) -> list[str]:
    problems = []
    if not isinstance(words, dict):
        return [f"{where}: no question texts"]
    expected = {q.id for q in questions}
    if set(words) != expected:
        missing, extra = sorted(expected - set(words)), sorted(set(words) - expected)
        problems.append(f"{where}: questions differ from the structure (missing {missing}, extra {extra})")
    for question in questions:
        text = words.get(question.id)
        if not isinstance(text, dict):
            continue
        spot = f"{where}/{question.id}"
        options = text.get("options")
        if not isinstance(options, dict) or set(map(str, options)) != set(question.options):
            problems.append(f"{spot}: options must be exactly {list(question.options)}")
            options = {}
        for key in ("question", "explanation"):
            if not str(text.get(key) or "").strip():
                problems.append(f"{spot}: no {key}")
        if pictures and question.picture and not str(text.get("alt") or "").strip():
            problems.append(f"{spot}: the picture has no alt text")
        for part in [text.get("question"), text.get("explanation"), text.get("alt"), *options.values()]:
            problems.extend(_text_problems(spot, str(part or "")))
    return problems


def _icon_ids() -> set[str]:
    return set(re.findall(r'<symbol id="([a-z-]+)"', ICONS.read_text(encoding="utf-8")))


def _link_problems(where: str, targets: list[str], url_ok: UrlCheck | None) -> list[str]:
    problems = []
    for target in targets:
        if target.endswith(".svg") and "/" not in target:
            if not (PICTURES / target).is_file():
                problems.append(f"{where}: picture {target} is not in static/learn/")
            continue
        parts = urlsplit(target)
        if parts.scheme == "https":
            host = (parts.hostname or "").removeprefix("www.")
            if host not in OFFICIAL_SITES:
                problems.append(f"{where}: link to {target}: not one of the official sites")
        elif not parts.scheme and target.startswith("/") and not target.startswith("//"):
            if url_ok is not None and not url_ok(parts.path):
                problems.append(f"{where}: link to {target}: no such Wegwijs page")
        else:
            problems.append(f"{where}: link to {target}: only https:// or a Wegwijs path")
    return problems


def _lesson_problems(where: str, path: Path, dutch, url_ok: UrlCheck | None) -> list[str]:
    doc = _parse(path)
    if doc is None:
        return [f"{where}: missing ({path.name})"]
    problems = []
    if not str(doc.meta.get("title") or "").strip():
        problems.append(f"{where}: front matter has no title")
    if not isinstance(doc.meta.get("year"), int) or not 2020 <= doc.meta["year"] <= 2100:
        problems.append(f"{where}: front matter needs the year its amounts and rules hold for")
    problems.extend(_text_problems(f"{where} title", str(doc.meta.get("title") or "")))
    if not 2 <= len(doc.screens) <= 4:
        problems.append(f"{where}: has {len(doc.screens)} screens; a lesson has 2 to 4 (each starts with '## ')")
    if doc.screens and not doc.screens[0].heading:
        problems.append(f"{where}: text before the first '## ' heading")
    if not any(t.type == "blockquote_open" for screen in doc.tokens for t in screen):
        problems.append(f"{where}: no worked example (a '> **Voorbeeld.**' quote)")
    if any(RAW_HTML.search(text) for screen in doc.tokens for text in _inline_text(screen)):
        problems.append(f"{where}: raw HTML is not shown (it would appear as text); use Markdown")
    for number, tokens in enumerate(doc.tokens, start=1):
        spot = f"{where} screen {number}"
        for text in _inline_text(tokens):
            problems.extend(_text_problems(spot, text))
        problems.extend(_link_problems(spot, _targets(tokens), url_ok))
    if dutch is not None and dutch is not doc:
        if len(doc.screens) != len(dutch.screens):
            problems.append(f"{where}: {len(doc.screens)} screens, the Dutch lesson has {len(dutch.screens)}")
        else:
            for number, (own, source) in enumerate(zip(doc.screens, dutch.screens, strict=True), start=1):
                if len(own.blocks) != len(source.blocks):
                    problems.append(f"{where} screen {number}: {len(own.blocks)} blocks, the Dutch has "
                                    f"{len(source.blocks)} (paragraphs, lists, quotes, tables must match one to one)")
            for number, (own_tokens, source_tokens) in enumerate(zip(doc.tokens, dutch.tokens, strict=True), 1):
                own_numbers = Counter(TOKEN.findall(" ".join(_inline_text(own_tokens))))
                source_numbers = Counter(TOKEN.findall(" ".join(_inline_text(source_tokens))))
                if own_numbers != source_numbers:
                    problems.append(f"{where} screen {number}: numbers differ from the Dutch "
                                    f"({sorted(own_numbers - source_numbers)} extra, "
                                    f"{sorted(source_numbers - own_numbers)} missing)")
                if sorted(_targets(own_tokens)) != sorted(_targets(source_tokens)):
                    problems.append(f"{where} screen {number}: links or pictures differ from the Dutch")
    return problems


def content_problems(root: Path, *, url_ok: UrlCheck | None = None, languages=LANGUAGES) -> list[str]:
    """Everything in the content under `root` that breaks a rule of docs/learn-content.md."""
    try:
        catalogue = load_catalogue(root)
    except (ContentError, KeyError, TypeError, ValueError, OSError) as error:
        return [f"the structure cannot be read: {error!r}"]
    problems: list[str] = []

    check = catalogue.check
    if not 10 <= len(check) <= 20:
        problems.append(f"check: {len(check)} questions; the self-check has about 15")
    if len({q.id for q in check}) != len(check):
        problems.append("check: question ids are not unique")
    for question in check:
        problems.extend(_question_problems("check", question, competence_needed=True))
    uncovered = set(COMPETENCES) - {q.competence for q in check}
    if uncovered:
        problems.append(f"check: no question for {sorted(uncovered)}")
    for lang in languages:
        path = root / "check" / f"{lang}.yaml"
        if not path.exists():
            problems.append(f"check/{lang}.yaml: missing")
            continue
        raw = read_yaml(path) or {}
        problems.extend(_words_problems(f"check/{lang}", check, raw.get("questions"), pictures=True))

    if len(catalogue.modules) < len(COMPETENCES):
        problems.append(f"{len(catalogue.modules)} modules; there must be one per competence ({len(COMPETENCES)})")
    if len({m.order for m in catalogue.modules}) != len(catalogue.modules):
        problems.append("modules: two modules share an order")
    competences = Counter(m.competence for m in catalogue.modules)
    for competence in COMPETENCES:
        if competences[competence] != 1:
            problems.append(f"modules: {competences[competence]} modules for competence {competence}; needs one")
    icons = _icon_ids() if ICONS.exists() else set()
    for module in catalogue.modules:
        where = f"modules/{module.slug}"
        if not SLUG.match(module.slug) or module.slug == "check":
            problems.append(f"{where}: the folder name is not a usable slug")
        if module.competence not in COMPETENCES:
            problems.append(f"{where}: unknown competence {module.competence!r}")
        if module.icon not in icons:
            problems.append(f"{where}: icon {module.icon!r} is not in static/img/icons.svg")
        if not 3 <= len(module.lessons) <= 6:
            problems.append(f"{where}: {len(module.lessons)} lessons; a module has 3 to 6")
        if len({lesson.slug for lesson in module.lessons}) != len(module.lessons):
            problems.append(f"{where}: two lessons share a slug")
        for lesson in module.lessons:
            if not SLUG.match(lesson.slug) or lesson.slug in ("quiz", "certificate"):
                problems.append(f"{where}/{lesson.slug}: not a usable lesson slug")
            if not 2 <= len(lesson.quiz) <= 4:
                problems.append(f"{where}/{lesson.slug}: {len(lesson.quiz)} quiz questions; a quiz has 2 to 4")
            if len({q.id for q in lesson.quiz}) != len(lesson.quiz):
                problems.append(f"{where}/{lesson.slug}: quiz question ids are not unique")
            for question in lesson.quiz:
                problems.extend(_question_problems(f"{where}/{lesson.slug}", question, competence_needed=False))
        for lang in languages:
            words_path = root / "modules" / module.slug / f"{lang}.yaml"
            if not words_path.exists():
                problems.append(f"{where}/{lang}.yaml: missing")
            else:
                words = read_yaml(words_path) or {}
                for key in ("title", "summary"):
                    if not str(words.get(key) or "").strip():
                        problems.append(f"{where}/{lang}.yaml: no {key}")
                    problems.extend(_text_problems(f"{where}/{lang}.yaml {key}", str(words.get(key) or "")))
                quiz = words.get("quiz") if isinstance(words.get("quiz"), dict) else {}
                if set(quiz) != {lesson.slug for lesson in module.lessons}:
                    problems.append(f"{where}/{lang}.yaml: quiz lessons differ from module.yaml")
                for lesson in module.lessons:
                    problems.extend(_words_problems(f"{where}/{lang}.yaml {lesson.slug}", lesson.quiz,
                                                    quiz.get(lesson.slug), pictures=False))
            for lesson in module.lessons:
                dutch = _parse(lesson_path(root, module, lesson, SOURCE))
                problems.extend(_lesson_problems(f"{where}/{lang}/{lesson.slug}",
                                                 lesson_path(root, module, lesson, lang),
                                                 dutch if lang != SOURCE else None, url_ok))
    return problems


def main(argv: list[str] | None = None) -> int:
    """`python -m portal.learn.checks [--lang ar] [--module brieven]`: the content check for authors."""
    import argparse

    from portal.learn.content import CONTENT

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--lang", action="append", choices=LANGUAGES, help="check only these languages (and Dutch)")
    parser.add_argument("--module", action="append", help="show only problems of these modules")
    args = parser.parse_args(argv)
    languages = tuple(dict.fromkeys(["nl", *(args.lang or LANGUAGES)]))
    problems = content_problems(CONTENT, languages=languages)
    if args.module:
        problems = [p for p in problems if any(f"modules/{m}/" in p or f"modules/{m}:" in p for m in args.module)]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
