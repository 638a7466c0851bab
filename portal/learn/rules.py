"""The rules of the self-check: the level per competence and the modules it recommends (no database)."""

from __future__ import annotations

from collections.abc import Mapping

from portal.learn.content import Catalogue, Module
from portal.learn.models import Level

DONT_KNOW = "?"  # "I don't know": always offered, never right


def check_levels(cat: Catalogue, answers: Mapping[str, str]) -> dict[str, Level]:
    """Per competence: every answer right → strong; at least half → to practise; less → needs help."""
    right: dict[str, int] = {}
    asked: dict[str, int] = {}
    for question in cat.check:
        asked[question.competence] = asked.get(question.competence, 0) + 1
        if answers.get(question.id) == question.answer:
            right[question.competence] = right.get(question.competence, 0) + 1
    levels = {}
    for competence, total in asked.items():
        score = right.get(competence, 0)
        levels[competence] = Level.STRONG if score == total else Level.PRACTISE if 2 * score >= total else Level.HELP
    return levels


def recommended(cat: Catalogue, levels: Mapping[str, str], *, completed: set[str] = frozenset()) -> list[Module]:
    """The modules to do next: where help is needed first, then where practice helps; done ones left out."""
    rank = {Level.HELP: 0, Level.PRACTISE: 1}
    picks = [(rank[Level(level)], module.order, module) for competence, level in levels.items()
             if level in rank and (module := cat.module_for(competence)) is not None and module.slug not in completed]
    return [module for _, _, module in sorted(picks, key=lambda pick: (pick[0], pick[1]))]
