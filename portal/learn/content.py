"""The learning content: modules, lessons, quizzes and the self-check, read from files in
portal/learn/content/ (format: docs/learn-content.md).

Structure (which lessons, which questions, the right answers) comes from `module.yaml` and
`check/check.yaml`; words come per language. Lessons are Markdown, rendered with markdown-it-py
(no raw HTML) and sanitised with nh3, once per process. Numbers are written as tokens
(`{eur:650}`) and formatted through Babel in the language of the text they stand in, when shown.
A lesson or quiz text missing in a language falls back to Dutch, and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import nh3
import yaml
from babel.numbers import format_currency, format_decimal, format_percent
from flask import current_app
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from portal.i18n import N_

SOURCE = "nl"
LANGUAGES = ("nl", "en", "ar", "ti", "fa", "tr")
CONTENT = Path(__file__).resolve().parent / "content"
PICTURES = "learn"  # folder under static/

COMPETENCES = {
    "letters": N_("Brieven lezen"),
    "budget": N_("Je geld indelen"),
    "allowances": N_("Toeslagen en heffingskortingen"),
    "banking": N_("Bankzaken en veilig betalen"),
    "insurance": N_("Verzekeringen"),
    "debt": N_("Schulden voorkomen en aanpakken"),
    "saving": N_("Sparen en grote aankopen"),
}

# Pages a lesson may link to outside Wegwijs: the government and public bodies a resident deals with.
OFFICIAL_SITES = frozenset({
    "rijksoverheid.nl", "government.nl", "belastingdienst.nl", "digid.nl", "mijnoverheid.nl",
    "juridischloket.nl", "nibud.nl", "wijzeringeldzaken.nl", "geldfit.nl", "fraudehelpdesk.nl", "politie.nl",
    "zorgverzekeringslijn.nl", "cak.nl", "duo.nl", "svb.nl", "uwv.nl", "consumentenbond.nl", "afm.nl",
    "inburgeren.nl", "ind.nl", "werk.nl",
})

TOKEN = re.compile(r"\{(eur|num|digits|pct):(-?[0-9]+(?:\.[0-9]+)?)\}")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Question:
    id: str
    options: tuple[str, ...]
    answer: str
    competence: str = ""
    picture: str | None = None


@dataclass(frozen=True)
class Lesson:
    slug: str
    number: int  # 1-based position in the module
    quiz: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.quiz if q.id == question_id), None)

    @property
    def allowed_wrong(self) -> int:
        """A quiz is passed with at most one wrong first answer; with two questions, none."""
        return 1 if len(self.quiz) >= 3 else 0


@dataclass(frozen=True)
class Module:
    slug: str
    order: int
    competence: str
    icon: str
    lessons: tuple[Lesson, ...]

    def lesson(self, slug: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)

    @property
    def questions(self) -> int:
        return sum(len(lesson.quiz) for lesson in self.lessons)


@dataclass(frozen=True)
class Catalogue:
    root: Path
    modules: tuple[Module, ...]
    check: tuple[Question, ...]

    def module(self, slug: str) -> Module | None:
        return next((m for m in self.modules if m.slug == slug), None)

    def module_for(self, competence: str) -> Module | None:
        return next((m for m in self.modules if m.competence == competence), None)

    def check_question(self, question_id: str) -> Question | None:
        return next((q for q in self.check if q.id == question_id), None)


class ContentError(Exception):
    """A content file that cannot be read at all (the content check says more)."""


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ContentError(f"{path}: {error}") from error


def _question(raw: dict[str, Any]) -> Question:
    return Question(id=str(raw["id"]), options=tuple(str(o) for o in raw["options"]), answer=str(raw["answer"]),
                    competence=str(raw.get("competence", "")), picture=raw.get("picture"))


@cache
def load_catalogue(root: Path) -> Catalogue:
    """The structure of all modules and the self-check under `root` (read once per process)."""
    modules = []
    for folder in sorted(p for p in (root / "modules").iterdir() if p.is_dir()):
        raw = read_yaml(folder / "module.yaml")
        lessons = tuple(
            Lesson(slug=str(lesson["slug"]), number=number, quiz=tuple(_question(q) for q in lesson.get("quiz") or ()))
            for number, lesson in enumerate(raw["lessons"], start=1)
        )
        modules.append(Module(slug=folder.name, order=int(raw["order"]), competence=str(raw["competence"]),
                              icon=str(raw.get("icon", "school")), lessons=lessons))
    check = read_yaml(root / "check" / "check.yaml") or {}
    return Catalogue(root=root, modules=tuple(sorted(modules, key=lambda m: (m.order, m.slug))),
                     check=tuple(_question(q) for q in check.get("questions") or ()))


def content_root() -> Path:
    return Path(current_app.config.get("LEARN_CONTENT") or CONTENT)


def catalogue() -> Catalogue:
    return load_catalogue(content_root())


# Texts -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionText:
    question: str
    options: dict[str, str]
    explanation: str
    alt: str = ""
    lang: str = SOURCE  # the language these words are in (Dutch when the translation is missing)


@dataclass(frozen=True)
class ModuleText:
    title: str
    summary: str
    lang: str
    quiz: dict[str, dict[str, QuestionText]] = field(default_factory=dict)


def _texts(raw: dict[str, Any], lang: str) -> dict[str, QuestionText]:
    texts = {}
    for question_id, text in (raw or {}).items():
        if isinstance(text, dict):
            texts[str(question_id)] = QuestionText(
                question=str(text.get("question", "")), options={str(k): str(v) for k, v in
                                                                 (text.get("options") or {}).items()},
                explanation=str(text.get("explanation", "")), alt=str(text.get("alt", "")), lang=lang)
    return texts


@cache
def _module_words(root: Path, slug: str, lang: str) -> ModuleText | None:
    path = root / "modules" / slug / f"{lang}.yaml"
    if not path.exists():
        return None
    raw = read_yaml(path) or {}
    quiz = {str(lesson): _texts(questions, lang) for lesson, questions in (raw.get("quiz") or {}).items()}
    return ModuleText(title=str(raw.get("title", "")), summary=str(raw.get("summary", "")), lang=lang, quiz=quiz)


def module_text(module: Module, lang: str) -> ModuleText:
    """Title, summary and quiz words of a module in `lang`, in Dutch where the translation is missing."""
    root = content_root()
    dutch = _module_words(root, module.slug, SOURCE) or ModuleText(title=module.slug, summary="", lang=SOURCE)
    own = _module_words(root, module.slug, lang) if lang != SOURCE else None
    if own is None:
        return dutch
    quiz = {lesson: {**dutch.quiz.get(lesson, {}), **questions} for lesson, questions in own.quiz.items()}
    for lesson, questions in dutch.quiz.items():
        quiz.setdefault(lesson, questions)
    return ModuleText(title=own.title or dutch.title, summary=own.summary or dutch.summary, lang=lang, quiz=quiz)


def quiz_text(module: Module, lesson: Lesson, question: Question, lang: str) -> QuestionText:
    """One quiz question's words in `lang`, or in Dutch when that language lacks them."""
    for language in (lang, SOURCE):
        words = _module_words(content_root(), module.slug, language)
        text = words.quiz.get(lesson.slug, {}).get(question.id) if words else None
        if text and text.question and set(text.options) == set(question.options):
            return text
    return QuestionText(question=question.id, options={o: o for o in question.options}, explanation="")


@cache
def _check_words(root: Path, lang: str) -> dict[str, QuestionText]:
    path = root / "check" / f"{lang}.yaml"
    return _texts((read_yaml(path) or {}).get("questions") or {}, lang) if path.exists() else {}


def check_text(question: Question, lang: str) -> QuestionText:
    """A self-check question's words in `lang`, or in Dutch."""
    for language in (lang, SOURCE):
        text = _check_words(content_root(), language).get(question.id)
        if text and text.question and set(text.options) == set(question.options):
            return text
    return QuestionText(question=question.id, options={o: o for o in question.options}, explanation="")


# Lessons -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Screen:
    """One screen of a lesson: its heading and its top-level blocks, as sanitised HTML with tokens left in."""
    heading: str
    blocks: tuple[str, ...]


@dataclass(frozen=True)
class LessonDoc:
    title: str
    year: int | None
    lang: str
    screens: tuple[Screen, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    tokens: tuple[tuple[Token, ...], ...] = ()  # per screen, for the content check


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

_ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "h2", "h3", "blockquote", "table", "thead", "tbody", "tr",
                 "th", "td", "a", "img", "br", "code"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "th": {"style"}, "td": {"style"}}


def sanitise(html: str) -> str:
    """Only the tags lessons need; links to https or to Wegwijs itself."""
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes={"https"},
                     link_rel="noopener noreferrer", strip_comments=True, filter_style_properties={"text-align"})


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        return {}, text
    head, separator, body = text[4:].partition("\n---\n")
    if not separator:
        return {}, text
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError:
        return {}, text
    return (meta if isinstance(meta, dict) else {}), body


def top_level_blocks(tokens: list[Token]) -> list[list[Token]]:
    """The tokens of each top-level block (a paragraph, a list, a quote, a table, a heading)."""
    blocks: list[list[Token]] = []
    depth = 0
    for token in tokens:
        if depth == 0:
            blocks.append([])
        blocks[-1].append(token)
        depth += token.nesting
    return blocks


@cache
def _parse(path: Path) -> LessonDoc | None:
    if not path.exists():
        return None
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    screens: list[Screen] = []
    screen_tokens: list[tuple[Token, ...]] = []
    current: list[str] = []
    current_tokens: list[Token] = []
    heading = ""
    for block in top_level_blocks(_markdown.parse(body)):
        if block[0].type == "heading_open" and block[0].tag == "h2":
            if heading or current:
                screens.append(Screen(heading=heading, blocks=tuple(current)))
                screen_tokens.append(tuple(current_tokens))
            heading = sanitise(_markdown.renderer.render(block[1].children or [], _markdown.options, {}))
            current, current_tokens = [], list(block)
            continue
        current.append(sanitise(_markdown.renderer.render(block, _markdown.options, {})))
        current_tokens.extend(block)
    if heading or current:
        screens.append(Screen(heading=heading, blocks=tuple(current)))
        screen_tokens.append(tuple(current_tokens))
    year = meta.get("year")
    return LessonDoc(title=str(meta.get("title", "")), year=year if isinstance(year, int) else None,
                     lang=path.parent.name, screens=tuple(screens), meta=meta, tokens=tuple(screen_tokens))


def lesson_path(root: Path, module: Module, lesson: Lesson, lang: str) -> Path:
    return root / "modules" / module.slug / lang / f"{lesson.slug}.md"


def lesson_doc(module: Module, lesson: Lesson, lang: str) -> LessonDoc:
    """The lesson in `lang`, or the Dutch lesson when it is not translated (its `lang` then says "nl")."""
    root = content_root()
    doc = _parse(lesson_path(root, module, lesson, lang)) or _parse(lesson_path(root, module, lesson, SOURCE))
    if doc is None:
        raise ContentError(f"lesson {module.slug}/{lesson.slug} has no Dutch text")
    return doc


# Showing -----------------------------------------------------------------------------------------

def format_token(kind: str, value: str, lang: str) -> str:
    """`{eur:650}` and friends, in the language of the text around them."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if kind == "eur":
        return format_currency(number, "EUR", locale=lang)
    if kind == "num":
        return format_decimal(number, locale=lang)
    if kind == "pct":
        return format_percent(number / 100, locale=lang, decimal_quantization=False)
    return value  # digits: as written (every language here writes Western digits, as Babel does)


_PICTURE = re.compile(r'<img src="([a-z0-9][a-z0-9-]*\.svg)"')


def show(html: str, lang: str, *, picture_url=None) -> Markup:
    """Sanitised lesson HTML with its tokens formatted for `lang` and pictures pointing at static files."""
    text = TOKEN.sub(lambda m: str(escape(format_token(m.group(1), m.group(2), lang))), html)
    if picture_url is not None:
        text = _PICTURE.sub(lambda m: f'<img class="lesson__picture" loading="lazy" src="{picture_url(m.group(1))}"',
                            text)
    return Markup(text)  # noqa: S704 - sanitised by nh3 when parsed; tokens are escaped above


def show_text(text: str, lang: str) -> Markup:
    """A plain quiz or self-check text (no Markdown) with its tokens formatted."""
    escaped = str(escape(text))
    return Markup(TOKEN.sub(lambda m: str(escape(format_token(m.group(1), m.group(2), lang))), escaped))  # noqa: S704
