"""What the learn templates need besides their data: lesson blocks in one or two languages, questions
ready to show, module titles, labels."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale
from flask import url_for
from flask_babel import get_locale
from markupsafe import Markup

from portal.i18n import show_dutch
from portal.learn import models
from portal.learn.content import (
    COMPETENCES,
    SOURCE,
    LessonDoc,
    Module,
    Question,
    check_text,
    lesson_doc,
    module_text,
    quiz_text,
    show,
    show_text,
)
from portal.learn.content import Lesson as LessonDef
from portal.learn.rules import DONT_KNOW

PICTURE_DIR = "learn"


def _locale() -> str:
    return str(get_locale())


def lang_dir(lang: str) -> str:
    """The writing direction of a text's own language (not "auto": an Arabic line that starts with a Dutch term
    must still run right to left)."""
    return "rtl" if Locale.parse(lang).character_order == "right-to-left" else "ltr"


def picture_url(name: str) -> str:
    from flask import current_app

    return current_app.jinja_env.globals["asset"](f"{PICTURE_DIR}/{name}")


@dataclass(frozen=True)
class Block:
    """One paragraph, list, quote or table: in the reader's language, and in Dutch beneath it when asked."""
    own: Markup
    lang: str
    dutch: Markup | None = None


def lesson_blocks(module: Module, lesson: LessonDef, number: int) -> tuple[LessonDoc, list[Block]]:
    """Screen `number` of a lesson in the reader's language (Dutch when not translated), the heading first."""
    lang = _locale()
    doc = lesson_doc(module, lesson, lang)
    dutch = lesson_doc(module, lesson, SOURCE) if show_dutch() and doc.lang != SOURCE else None
    screen = doc.screens[number - 1]
    source = dutch.screens[number - 1] if dutch and len(dutch.screens) == len(doc.screens) else None
    own_parts = [f"<h2>{screen.heading}</h2>", *screen.blocks]
    dutch_parts = [f"<h2>{source.heading}</h2>", *source.blocks] if source else []
    blocks = []
    for index, part in enumerate(own_parts):
        nl = dutch_parts[index] if index < len(dutch_parts) and len(dutch_parts) == len(own_parts) else None
        blocks.append(Block(own=show(part, doc.lang, picture_url=picture_url), lang=doc.lang,
                            dutch=show(nl, SOURCE, picture_url=picture_url) if nl else None))
    return doc, blocks


@dataclass(frozen=True)
class Option:
    id: str
    label: Markup
    dutch: Markup | None


@dataclass(frozen=True)
class QuestionView:
    id: str
    text: Markup
    dutch: Markup | None
    options: list[Option]
    lang: str
    explanation: Markup
    explanation_dutch: Markup | None
    answer: str | None  # what the resident chose
    right: str
    picture: str | None
    alt: str

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def correct(self) -> bool:
        return self.answer == self.right

    def label(self, option_id: str) -> Markup:
        return next((o.label for o in self.options if o.id == option_id), Markup(""))


def question_view(question: Question, *, module: Module | None = None, lesson: LessonDef | None = None,
                  answer: str | None = None) -> QuestionView:
    """A quiz question (with module and lesson) or a self-check question, in the reader's language."""
    lang = _locale()

    def words(language: str):
        if module is not None and lesson is not None:
            return quiz_text(module, lesson, question, language)
        return check_text(question, language)

    own = words(lang)
    dutch = words(SOURCE) if show_dutch() and own.lang != SOURCE else None
    options = [Option(id=o, label=show_text(own.options[o], own.lang),
                      dutch=show_text(dutch.options[o], SOURCE) if dutch else None) for o in question.options]
    return QuestionView(
        id=question.id, text=show_text(own.question, own.lang),
        dutch=show_text(dutch.question, SOURCE) if dutch else None, options=options, lang=own.lang,
        explanation=show_text(own.explanation, own.lang),
        explanation_dutch=show_text(dutch.explanation, SOURCE) if dutch else None,
        answer=answer, right=question.answer,
        picture=picture_url(question.picture) if question.picture else None, alt=own.alt)


def module_title(module: Module) -> str:
    return module_text(module, _locale()).title


def module_summary(module: Module) -> str:
    return module_text(module, _locale()).summary


def module_title_dutch(module: Module) -> str | None:
    """The Dutch title beneath the own one, when "also show Dutch" is on."""
    return module_text(module, SOURCE).title if show_dutch() else None


def module_title_nl(module: Module) -> str:
    return module_text(module, SOURCE).title


def lesson_title(module: Module, lesson: LessonDef) -> str:
    return lesson_doc(module, lesson, _locale()).title


def lesson_url(module: Module, lesson: LessonDef) -> str:
    return url_for("learn.lesson", module_slug=module.slug, lesson_slug=lesson.slug)


class LearnLabels:
    competences = COMPETENCES
    levels = models.LEVEL_LABELS
    levels_short = models.LEVEL_SHORT
    dont_know = DONT_KNOW


def learn_template_context() -> dict:
    return {"learn_labels": LearnLabels, "module_title": module_title, "module_summary": module_summary,
            "module_title_dutch": module_title_dutch, "module_title_nl": module_title_nl,
            "lesson_title": lesson_title, "lesson_url": lesson_url, "lang_dir": lang_dir}
