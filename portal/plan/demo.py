"""Demo data of the plan area: full plans for amina and yonas, smaller plausible plans for everyone else.

All people and texts are invented. Inserts are done in bulk so 634 plans take well under a second or two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert

from portal.caseload.models import Resident
from portal.db import db
from portal.plan.models import (
    Baseline,
    Block,
    BlockKind,
    BlockState,
    Comment,
    Goal,
    GoalStatus,
    LearningRoute,
    LifeDomain,
    Plan,
    Step,
    Term,
)

BROAD_INTAKES_DONE = 347  # the municipality's 2021 report
NEW_ACT = date(2022, 1, 1)  # Wet inburgering 2021 applies to people linked from this day
ROUTE_YEARS = 3

W, M, L, E, H, HO, S, F = (LifeDomain.WORK, LifeDomain.MONEY, LifeDomain.LANGUAGE, LifeDomain.EDUCATION,
                           LifeDomain.HEALTH, LifeDomain.HOUSING, LifeDomain.SOCIAL, LifeDomain.FAMILY)
NS, IP, DN, ST = GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS, GoalStatus.DONE, GoalStatus.STOPPED


@dataclass
class DemoComment:
    author: str  # "contact", "counsellor" or "resident"
    text: str
    days_ago: int
    replies: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DemoGoal:
    domain: LifeDomain
    title: str
    reason: str
    term: Term
    status: GoalStatus
    steps: list[tuple[str, bool]]
    target_days: int | None = None  # from today
    comments: list[DemoComment] = field(default_factory=list)


AMINA_BASELINE = {
    W: (2, "Was verpleegkundige in Aleppo. Wil graag weer in de zorg werken. Heeft nog geen werkervaring in "
           "Nederland."),
    M: (2, "Uitkering loopt sinds kort, ontzorgen in maand 3. Begrijpt de brieven van de Belastingdienst nog niet."),
    L: (2, "Spreekt Arabisch en een beetje Engels. Nederlands op niveau A1, leert snel."),
    E: (4, "Diploma verpleegkunde (hbo-niveau) uit Syrië. Papieren zijn er, nog niet gewaardeerd."),
    H: (3, "Gezond. Slaapt soms slecht door zorgen om familie."),
    HO: (4, "Woont met haar dochter in een eengezinswoning. Huis is ingericht."),
    S: (2, "Kent nog weinig mensen in de buurt. Heeft contact met een Syrische familie verderop."),
    F: (3, "Dochter Lina (8) gaat naar groep 5. Man woont nog in Turkije, gezinshereniging loopt."),
}

AMINA_GOALS = [
    DemoGoal(L, "Taalniveau A2 halen", "Met A2 kan Amina beter praten met de school en de huisarts. Het is ook een "
             "stap naar B1.", Term.MID, IP,
             [("Inschrijven bij taalschool Het Taalhuis", True), ("Drie lessen per week volgen", True),
              ("Oefentoets A2 lezen en luisteren maken", False), ("Examen A2 aanvragen", False)], 120,
             [DemoComment("contact", "Goed bezig, Amina! Je docent zegt dat je snel vooruitgaat.", 12,
                          [("resident", "Dank je wel. Luisteren is nog moeilijk, lezen gaat beter.")]),
              DemoComment("counsellor", "Zullen we samen de oefenapp van de bibliotheek installeren? Dan kun je "
                          "thuis ook luisteren.", 5, [("resident", "Ja graag, donderdag na de les?")])]),
    DemoGoal(L, "Elke week naar het taalcafé", "Oefenen met praten in een rustige groep.", Term.SHORT, IP,
             [("Taalcafé in de bibliotheek bezoeken", True), ("Een keer zelf iets vertellen over Syrië", False)],
             30, [DemoComment("counsellor", "Het taalcafé is op woensdag van 10 tot 12 uur.", 20)]),
    DemoGoal(W, "Werkervaring opdoen in de zorg", "Amina wil weer als verpleegkundige werken. Vrijwilligerswerk "
             "in een verpleeghuis helpt om de Nederlandse zorg te leren kennen.", Term.MID, NS,
             [("Gesprek met de vrijwilligerscentrale", False), ("Meelopen in verpleeghuis De Linde", False),
              ("Verklaring omtrent het gedrag (VOG) aanvragen", False)], 240),
    DemoGoal(W, "Een Nederlands cv maken", "Een cv is nodig voor vrijwilligerswerk en later voor sollicitaties.",
             Term.SHORT, IP, [("Werkervaring uit Syrië op een rij zetten", True), ("Cv maken met de "
                                                                                  "werkcoach", False)], 45,
             [DemoComment("contact", "Neem je diploma en je oude werkgeversverklaring mee naar de werkcoach.", 3)]),
    DemoGoal(E, "Diploma verpleegkunde laten waarderen", "Met een waardering van het diploma weet Amina welke "
             "opleiding of aanvulling ze nog nodig heeft.", Term.SHORT, IP,
             [("Diploma en cijferlijst laten vertalen", True), ("Aanvraag indienen bij IDW", True),
              ("Uitslag bespreken met contactpersoon", False)], 60),
    DemoGoal(E, "Uitzoeken welke opleiding past", "Na de waardering kiezen: aanvullende scholing of een "
             "verkorte opleiding.", Term.MID, NS, [("Open dag van het ROC bezoeken", False),
                                                  ("Gesprek met studieadviseur", False)], 300),
    DemoGoal(M, "Na ontzorgen zelf de vaste lasten betalen", "Over drie maanden stopt ontzorgen. Dan betaalt "
             "Amina zelf huur, energie en zorgverzekering.", Term.MID, IP,
             [("Module 'Post en rekeningen' doen", True), ("Samen een maandbegroting maken", True),
              ("Zelf een betaling doen met de bank-app", False), ("Automatische betalingen instellen", False)], 90,
             [DemoComment("contact", "Je begroting klopt. Volgende keer oefenen we met de bank-app.", 8,
                          [("resident", "Goed. Ik neem mijn telefoon mee.")])]),
    DemoGoal(M, "Huurtoeslag en zorgtoeslag begrijpen", "Weten wat toeslagen zijn en wanneer je iets moet "
             "doorgeven.", Term.SHORT, DN, [("Uitleg over toeslagen bij de contactpersoon", True),
                                            ("Inloggen op Mijn toeslagen met DigiD", True)], -20),
    DemoGoal(H, "Inschrijven bij een huisarts", "Iedereen in Nederland heeft een eigen huisarts.", Term.SHORT, DN,
             [("Huisarts in de buurt kiezen", True), ("Kennismakingsgesprek", True)], -60),
    DemoGoal(H, "Beter slapen", "Amina slaapt slecht door zorgen over haar man. Praten kan helpen.", Term.SHORT, IP,
             [("Gesprek met de praktijkondersteuner", True), ("Elke dag een half uur wandelen", False)], 40,
             [DemoComment("counsellor", "Ik ga mee naar het tweede gesprek als je dat fijn vindt.", 15)]),
    DemoGoal(HO, "Energierekening omlaag brengen", "De energierekening is hoog. Met kleine dingen bespaar je veel.",
             Term.SHORT, IP, [("Energiecoach op bezoek", True), ("Tochtstrips plaatsen", False)], 30),
    DemoGoal(HO, "Huisregels en huurcontract begrijpen", "Weten wat de verhuurder doet en wat Amina zelf doet.",
             Term.SHORT, DN, [("Huurcontract samen doorlezen", True)], -90),
    DemoGoal(S, "Meedoen met de vrouwengroep in het buurthuis", "Nieuwe mensen leren kennen en Nederlands "
             "spreken.", Term.SHORT, NS, [("Kennismaken met de buurtwerker", False),
                                          ("Eerste keer meedoen", False)], 60),
    DemoGoal(S, "Een taalmaatje vinden", "Een vrijwilliger om wekelijks mee te praten.", Term.SHORT, IP,
             [("Aanmelden bij Taalmaatjes", True), ("Eerste afspraak met taalmaatje", False)], 30),
    DemoGoal(F, "Lina inschrijven op de basisschool", "Lina gaat naar school in de buurt.", Term.SHORT, DN,
             [("School kiezen", True), ("Inschrijfformulier invullen", True)], -110),
    DemoGoal(F, "Oudergesprek op school voorbereiden", "Amina wil begrijpen hoe het met Lina gaat.", Term.SHORT, IP,
             [("Vragen opschrijven", True), ("Tolk aanvragen via school", False)], 14,
             [DemoComment("contact", "School regelt een tolk Arabisch. Het gesprek is over twee weken.", 2)]),
]

YONAS_BASELINE = {
    W: (2, "Heeft in Eritrea op het land van zijn oom gewerkt. Wil techniek doen."),
    M: (3, "Regelt zijn geld zelf, met hulp. Ontzorgen is bijna voorbij."),
    L: (3, "Nederlands op niveau A2. Spreekt Tigrinya en wat Arabisch."),
    E: (2, "Acht jaar school in Eritrea. Geen diploma. Wil naar het mbo."),
    H: (3, "Sport graag. Slaapt slecht, denkt veel aan familie."),
    HO: (3, "Woont in een studio. Soms gedoe over schoonmaken in de gedeelde gang."),
    S: (4, "Speelt voetbal, heeft vrienden uit de Eritrese groep."),
    F: (2, "Ouders en zussen in Eritrea en Ethiopië. Weinig contact."),
}

YONAS_GOALS = [
    DemoGoal(E, "Schakeljaar op het ROC afronden", "Met het schakeljaar kan Yonas naar een mbo-opleiding.",
             Term.MID, IP, [("Inschrijven schakeljaar", True), ("Eerste periode gehaald", True),
                            ("Tweede periode halen", False), ("Eindgesprek met mentor", False)], 150,
             [DemoComment("contact", "Je mentor zegt dat je rekenen goed gaat. Let op je aanwezigheid.", 10,
                          [("resident", "Ja. Ik kom op tijd nu.")])]),
    DemoGoal(E, "Kiezen voor een mbo-opleiding techniek", "Yonas wil elektricien worden.", Term.MID, IP,
             [("Open dag bezoeken", True), ("Meeloopdag bij opleiding Elektrotechniek", False)], 200),
    DemoGoal(L, "Nederlands op niveau B1", "B1 is nodig voor de opleiding en het inburgeringsexamen.", Term.MID, IP,
             [("Lessen op het ROC volgen", True), ("Oefenexamen lezen", True), ("Oefenexamen schrijven", False)], 180),
    DemoGoal(L, "Elke dag Nederlandse podcast luisteren", "Luisteren oefenen in de trein.", Term.SHORT, DN,
             [("Podcast kiezen", True), ("Een maand elke dag luisteren", True)], -10),
    DemoGoal(W, "Bijbaan in het weekend", "Wat geld verdienen en Nederlands oefenen op het werk.", Term.SHORT, IP,
             [("Cv maken", True), ("Drie sollicitaties versturen", True), ("Sollicitatiegesprek oefenen", False)], 45,
             [DemoComment("counsellor", "De supermarkt aan het plein zoekt vakkenvullers voor zaterdag.", 4)]),
    DemoGoal(W, "Werkervaringsplaats in de techniek", "Ervaring opdoen naast school.", Term.MID, NS,
             [("Gesprek met leerwerkmakelaar", False)], 270),
    DemoGoal(M, "Zelf bankzaken regelen", "Na ontzorgen betaalt Yonas alles zelf.", Term.SHORT, DN,
             [("DigiD aanvragen", True), ("Bank-app gebruiken", True), ("Huur zelf betalen", True)], -30),
    DemoGoal(M, "Studiefinanciering aanvragen", "Voor de mbo-opleiding kan Yonas studiefinanciering krijgen.",
             Term.MID, NS, [("Uitleg DUO lezen met contactpersoon", False), ("Aanvraag doen", False)], 220),
    DemoGoal(H, "Gesprek over slapen en piekeren", "Slecht slapen maakt school zwaar.", Term.SHORT, IP,
             [("Afspraak bij de huisarts", True), ("Gesprek met ervaringsdeskundige", False)], 30,
             [DemoComment("contact", "Semhar van de ervaringsdeskundigen wil graag met je praten.", 6,
                          [("resident", "Oké, dat is goed.")])]),
    DemoGoal(H, "Inschrijven bij huisarts en tandarts", "Zorg dichtbij huis.", Term.SHORT, DN,
             [("Huisarts", True), ("Tandarts", True)], -200),
    DemoGoal(HO, "Afspraken met buren over de gang", "Minder gedoe met de buren.", Term.SHORT, DN,
             [("Gesprek met de woonbegeleider", True), ("Schoonmaakrooster maken", True)], -40),
    DemoGoal(HO, "Zelfstandig wonen leren", "Yonas woont voor het eerst alleen.", Term.MID, IP,
             [("Boodschappen en koken plannen", True), ("Afval scheiden", True), ("Post bijhouden", False)], 90),
    DemoGoal(S, "Voetballen bij een club", "Sport en nieuwe vrienden.", Term.SHORT, DN,
             [("Proeftraining", True), ("Lid worden", True)], -150),
    DemoGoal(S, "Meedoen met de groep jongeren en ervaringsdeskundigen", "Steun van jongeren die hetzelfde "
             "hebben meegemaakt.", Term.MID, IP, [("Eerste bijeenkomst", True), ("Zelf iets organiseren", False)], 120),
    DemoGoal(F, "Contact met familie", "Yonas wil weten hoe het met zijn zussen gaat.", Term.SHORT, IP,
             [("Rode Kruis opsporingsdienst bellen", True), ("Formulier invullen", False)], 60),
    DemoGoal(F, "Informatie over gezinshereniging", "Yonas is 19; uitzoeken of dit kan.", Term.SHORT, ST,
             [("Gesprek met VluchtelingenWerk", True)], None),
]

# Smaller plans: (domain, title, reason, steps)
POOL = [
    (W, "Werkervaring opdoen met vrijwilligerswerk", "Leren hoe werken in Nederland gaat.",
     ["Gesprek met de vrijwilligerscentrale", "Vrijwilligerswerk kiezen", "Eerste maand afronden"]),
    (W, "Een Nederlands cv maken", "Nodig om te solliciteren.", ["Werkervaring opschrijven", "Cv maken met werkcoach"]),
    (W, "Solliciteren op betaald werk", "Het einddoel: eigen inkomen.",
     ["Vacatures zoeken", "Drie sollicitaties versturen", "Sollicitatiegesprek oefenen"]),
    (W, "Werkfit-traject afronden", "Voorbereiden op werk.", ["Intake werkfit", "Training volgen", "Stage lopen"]),
    (M, "Zelf de vaste lasten betalen", "Na ontzorgen betaal je zelf.",
     ["Maandbegroting maken", "Bank-app gebruiken", "Automatische betalingen instellen"]),
    (M, "Toeslagen zelf regelen", "Weten wat je moet doorgeven.", ["DigiD aanvragen", "Mijn toeslagen bekijken"]),
    (M, "Brieven van instanties begrijpen", "Minder zorgen over post.", ["Module post en rekeningen", "Map maken"]),
    (L, "Taalniveau A2 halen", "Een stap naar B1.", ["Inschrijven taalschool", "Lessen volgen", "Oefentoets maken"]),
    (L, "Nederlands op niveau B1", "Nodig voor werk en examen.", ["Lessen volgen", "Oefenexamen", "Examen doen"]),
    (L, "Elke week naar het taalcafé", "Oefenen met praten.", ["Taalcafé bezoeken", "Iets vertellen in de groep"]),
    (E, "Diploma laten waarderen", "Weten wat je diploma hier waard is.", ["Papieren vertalen", "Aanvraag IDW"]),
    (E, "Inschrijven voor een opleiding", "Een diploma voor werk in Nederland.",
     ["Open dag bezoeken", "Intake bij de school", "Inschrijven"]),
    (H, "Inschrijven bij een huisarts", "Zorg dichtbij.", ["Huisarts kiezen", "Kennismaken"]),
    (H, "Meer bewegen", "Goed voor lijf en hoofd.", ["Sport kiezen", "Elke week sporten"]),
    (H, "Praten over zorgen en slapen", "Rust in je hoofd.", ["Afspraak huisarts", "Gesprek praktijkondersteuner"]),
    (HO, "Energie besparen", "Een lagere rekening.", ["Energiecoach", "Tochtstrips plaatsen"]),
    (HO, "Huurcontract begrijpen", "Weten wat je rechten en plichten zijn.", ["Contract samen lezen"]),
    (S, "Lid worden van een club", "Nieuwe mensen ontmoeten.", ["Club kiezen", "Proefles", "Lid worden"]),
    (S, "Een taalmaatje vinden", "Wekelijks Nederlands praten.", ["Aanmelden", "Eerste afspraak"]),
    (S, "Vrijwilligerswerk bij de voedselbank", "Meedoen in de buurt.", ["Kennismaken", "Eerste dienst"]),
    (F, "Kinderen inschrijven op school", "Onderwijs voor de kinderen.", ["School kiezen", "Inschrijven"]),
    (F, "Kinderopvang regelen", "Tijd voor taalles en werk.", ["Opvang zoeken", "Kinderopvangtoeslag aanvragen"]),
    (F, "Oudergesprek op school voorbereiden", "Weten hoe het met de kinderen gaat.", ["Vragen opschrijven"]),
]
YOUNG_WORK_GOAL = (W, "Aan het werk bij een bedrijf", "Met begeleiding van een jobcoach en een ervaringsdeskundige.",
                   ["Kennismaken met het bedrijf", "Proefplaatsing", "Contract tekenen"])
YOUNG_SCHOOL_GOAL = (E, "Naar het mbo", "Met begeleiding van een ervaringsdeskundige.",
                     ["Schakeljaar", "Opleiding kiezen", "Inschrijven"])

BASELINE_TEXTS = {
    W: ["Geen werk in Nederland. Wil graag aan de slag.", "Werkte als kapper. Zoekt werk.", "Had een eigen winkel."],
    M: ["Uitkering. Ontzorgen loopt.", "Heeft schulden bij de zorgverzekeraar.", "Regelt geld samen met partner."],
    L: ["Nederlands A1.", "Nederlands A2, spreekt Engels.", "Leert lezen en schrijven (alfabetisering)."],
    E: ["Middelbare school afgemaakt.", "Weinig jaren school.", "Universitair diploma, nog niet gewaardeerd."],
    H: ["Gezond.", "Rugklachten.", "Slaapt slecht."],
    HO: ["Woont in een eengezinswoning.", "Woont in een flat met gezin.", "Deelt een woning."],
    S: ["Kent weinig mensen.", "Contact met landgenoten.", "Actief in de moskee of kerk."],
    F: ["Alleenstaand.", "Getrouwd, twee kinderen.", "Gezinshereniging loopt."],
}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _age(resident: Resident, today: date) -> int:
    born = resident.date_of_birth or today.replace(year=today.year - 35)
    return (today - born).days // 365


class _Rows:
    """Collects rows for bulk inserts, and the goals with their steps and comments."""

    def __init__(self) -> None:
        self.plans: list[dict] = []
        self.baselines: list[dict] = []
        self.blocks: list[dict] = []
        self.goals: list[dict] = []
        self.steps: list[list[dict]] = []
        self.comments: list[list[tuple[dict, list[dict]]]] = []

    def goal(self, row: dict, steps: list[dict], comments: list[tuple[dict, list[dict]]]) -> None:
        self.goals.append(row)
        self.steps.append(steps)
        self.comments.append(comments)

    def flush(self) -> None:
        for model, rows in ((Plan, self.plans), (Baseline, self.baselines), (Block, self.blocks)):
            if rows:
                db.session.execute(insert(model), rows)
        if not self.goals:
            return
        ids = db.session.scalars(insert(Goal).returning(Goal.id, sort_by_parameter_order=True), self.goals).all()
        steps = [{**step, "goal_id": goal_id} for goal_id, rows in zip(ids, self.steps, strict=True) for step in rows]
        if steps:
            db.session.execute(insert(Step), steps)
        parents = [(goal_id, top, replies) for goal_id, entries in zip(ids, self.comments, strict=True)
                   for top, replies in entries]
        if not parents:
            return
        parent_ids = db.session.scalars(
            insert(Comment).returning(Comment.id, sort_by_parameter_order=True),
            [{**top, "goal_id": goal_id} for goal_id, top, _ in parents],
        ).all()
        replies = [{**reply, "goal_id": goal_id, "parent_id": parent_id}
                   for parent_id, (goal_id, _, rows) in zip(parent_ids, parents, strict=True) for reply in rows]
        if replies:
            db.session.execute(insert(Comment), replies)


def _blocks(rows: _Rows, resident: Resident, today: date, *, intake_done_on: date | None,
            intake_state: BlockState, rng, by: int) -> date | None:
    """The road of one resident; returns the day the PIP was agreed, if it was."""
    linked = resident.linked_on or today - timedelta(days=90)

    def add(kind: BlockKind, state: BlockState, on: date | None) -> None:
        rows.blocks.append({"resident_id": resident.id, "kind": kind.value, "state": state.value, "on_date": on,
                            "updated_at": _at(min(on or today, today)), "updated_by_id": by})

    handover = linked + timedelta(days=rng.randint(3, 20))
    add(BlockKind.WARM_HANDOVER, BlockState.DONE if handover <= today else BlockState.CURRENT, handover)
    if intake_done_on is None:
        planned = today + timedelta(days=rng.randint(7, 40)) if intake_state == BlockState.CURRENT else None
        add(BlockKind.BROAD_INTAKE, intake_state, planned)
        for kind in (BlockKind.PIP, BlockKind.PVT, BlockKind.MAP, BlockKind.ROUTE, BlockKind.EXAMS):
            add(kind, BlockState.UPCOMING, None)
        return None
    add(BlockKind.BROAD_INTAKE, BlockState.DONE, intake_done_on)
    pip = min(intake_done_on + timedelta(days=rng.randint(10, 35)), today)
    add(BlockKind.PIP, BlockState.DONE, pip)
    since = (today - pip).days
    pvt = pip + timedelta(days=rng.randint(120, 240))
    add(BlockKind.PVT, BlockState.DONE if pvt <= today else (BlockState.CURRENT if since > 30 else BlockState.UPCOMING),
        pvt)
    map_day = pip + timedelta(days=rng.randint(200, 400))
    add(BlockKind.MAP, BlockState.DONE if map_day <= today else (BlockState.CURRENT if since > 150
                                                                 else BlockState.UPCOMING), map_day)
    route_end = linked + timedelta(days=365 * ROUTE_YEARS)
    add(BlockKind.ROUTE, BlockState.DONE if route_end <= today else BlockState.CURRENT,
        route_end if route_end <= today else pip + timedelta(days=14))
    exams = route_end - timedelta(days=rng.randint(30, 120))
    add(BlockKind.EXAMS, BlockState.DONE if exams <= today else (BlockState.CURRENT if (exams - today).days < 200
                                                                 else BlockState.UPCOMING), exams)
    return pip


def _goal_row(resident: Resident, today: date, *, domain: str, title: str, reason: str, term: str, status: str,
              position: int, target: date | None, created: datetime, by: int) -> dict:
    closed = status in (GoalStatus.DONE, GoalStatus.STOPPED)
    return {"resident_id": resident.id, "domain": domain, "title": title, "reason": reason, "term": term,
            "target_date": target, "status": status, "position": position, "version": 1, "created_at": created,
            "created_by_id": by, "updated_at": created, "updated_by_id": by,
            "closed_at": _at(min(target or today, today)) if closed else None}


def _full_plan(rows: _Rows, resident: Resident, today: date, *, route: LearningRoute, baseline: dict,
               goals: list[DemoGoal], authors: dict[str, int], pip: date) -> None:
    contact = authors["contact"]
    rows.plans.append({"resident_id": resident.id, "learning_route": route.value,
                       "route_deadline": (resident.linked_on or today) + timedelta(days=365 * ROUTE_YEARS),
                       "updated_at": _at(pip), "updated_by_id": contact})
    for domain, (score, text) in baseline.items():
        rows.baselines.append({"resident_id": resident.id, "domain": domain.value, "score": score, "text": text,
                               "updated_at": _at(pip), "updated_by_id": contact})
    positions: dict[str, int] = {}
    for goal in goals:
        positions[goal.domain] = positions.get(goal.domain, 0) + 1
        created = _at(pip, 11)
        target = today + timedelta(days=goal.target_days) if goal.target_days is not None else None
        row = _goal_row(resident, today, domain=goal.domain.value, title=goal.title, reason=goal.reason,
                        term=goal.term.value, status=goal.status.value, position=positions[goal.domain],
                        target=target, created=created, by=contact)
        done_day = min(today - timedelta(days=3), max(pip, today - timedelta(days=40)))
        steps = [{"text": text, "position": i, "created_at": created,
                  "done_at": _at(min(done_day + timedelta(days=i), today - timedelta(days=1)), 15) if done else None,
                  "done_by_id": (authors["resident"] if i % 2 else contact) if done else None}
                 for i, (text, done) in enumerate(goal.steps, start=1)]
        comments = []
        for c in goal.comments:
            at = _at(today - timedelta(days=c.days_ago), 9)
            top = {"author_id": authors[c.author], "body": c.text, "created_at": at}
            reactions = [{"author_id": authors[who], "body": text, "created_at": at + timedelta(hours=5 + n)}
                         for n, (who, text) in enumerate(c.replies)]
            comments.append((top, reactions))
        rows.goal(row, steps, comments)


def _small_plan(rows: _Rows, resident: Resident, today: date, rng, *, pip: date | None, started: date | None,
                route: LearningRoute | None, young_pick: tuple | None) -> None:
    """3-6 goals once the PIP is agreed; people without a broad intake yet get 1-3 first goals."""
    contact = resident.contact_person_id
    user_id = resident.user_id
    if route is not None:
        rows.plans.append({"resident_id": resident.id, "learning_route": route.value,
                           "route_deadline": (resident.linked_on or today) + timedelta(days=365 * ROUTE_YEARS),
                           "updated_at": _at(pip or today), "updated_by_id": contact})
    if pip is not None:
        for domain in LifeDomain:
            rows.baselines.append({"resident_id": resident.id, "domain": domain.value, "score": rng.randint(1, 5),
                                   "text": rng.choice(BASELINE_TEXTS[domain]), "updated_at": _at(pip),
                                   "updated_by_id": contact})
    start = pip or started or today - timedelta(days=rng.randint(1, 20))
    months = max(0, (today - start).days // 30)
    picks = rng.sample(POOL, rng.randint(3, 6) if pip else rng.randint(1, 3))
    if young_pick is not None:
        picks = [young_pick, *picks[:4]]
    positions: dict[str, int] = {}
    for n, (domain, title, reason, step_texts) in enumerate(picks):
        positions[domain] = positions.get(domain, 0) + 1
        if pip is None and started is None:
            status = GoalStatus.NOT_STARTED
        else:
            roll = rng.random() + min(months, 36) / 60
            status = (GoalStatus.DONE if roll > 1.05 else GoalStatus.IN_PROGRESS if roll > 0.35
                      else GoalStatus.STOPPED if roll < 0.05 else GoalStatus.NOT_STARTED)
        if n == 0 and young_pick is not None:
            status = GoalStatus.DONE if young_pick is YOUNG_WORK_GOAL else GoalStatus.IN_PROGRESS
        elif n == 0 and pip is not None and status != GoalStatus.IN_PROGRESS and rng.random() < 0.7:
            status = GoalStatus.IN_PROGRESS
        created = _at(start, 11)
        target = start + timedelta(days=rng.choice((60, 90, 180, 365)))
        row = _goal_row(resident, today, domain=domain.value, title=title, reason=reason,
                        term=(Term.SHORT if rng.random() < 0.6 else Term.MID).value, status=status.value,
                        position=positions[domain], target=target, created=created, by=contact)
        done_count = {GoalStatus.DONE: len(step_texts), GoalStatus.IN_PROGRESS: rng.randint(0, len(step_texts) - 1),
                      GoalStatus.STOPPED: rng.randint(0, 1)}.get(status, 0)
        span = max(1, (today - start).days)
        steps = []
        for i, text in enumerate(step_texts, start=1):
            done_at = _at(start + timedelta(days=min(span - 1, span * i // (len(step_texts) + 1))), 14)
            steps.append({"text": text, "position": i, "created_at": created,
                          "done_at": done_at if i <= done_count else None,
                          "done_by_id": (user_id if rng.random() < 0.5 else contact) if i <= done_count else None})
        comments = []
        if (pip or started) is not None and rng.random() < 0.3:
            at = _at(today - timedelta(days=rng.randint(1, max(1, min(120, span)))), 9)
            top = {"author_id": contact, "body": rng.choice(
                ["Goed bezig! Zullen we dit bij de volgende afspraak bespreken?", "Hoe gaat het hiermee?",
                 "Ik heb je aangemeld. Je krijgt een brief.", "Vergeet je de papieren niet mee te nemen?"]),
                "created_at": at}
            reactions = ([{"author_id": user_id, "body": rng.choice(["Goed, dank je.", "Ja, ik neem ze mee.",
                                                                     "Het gaat goed."]),
                           "created_at": at + timedelta(hours=3)}] if rng.random() < 0.4 else [])
            comments.append((top, reactions))
        rows.goal(row, steps, comments)


def _route_for(resident: Resident, today: date, rng) -> LearningRoute:
    age = _age(resident, today)
    if age < 25:
        return LearningRoute.EDUCATION if rng.random() < 0.7 else LearningRoute.B1
    if age > 50:
        return LearningRoute.Z if rng.random() < 0.5 else LearningRoute.B1
    return LearningRoute.B1 if rng.random() < 0.8 else LearningRoute.Z


def seed(ctx) -> None:
    """Add this area's fictitious demo data (ctx: portal.demo.DemoContext)."""
    rng, today = ctx.rng, ctx.today
    rows = _Rows()
    amina, yonas = ctx.amina, ctx.yonas
    for resident, route, baseline, goals in ((amina, LearningRoute.B1, AMINA_BASELINE, AMINA_GOALS),
                                             (yonas, LearningRoute.EDUCATION, YONAS_BASELINE, YONAS_GOALS)):
        linked = resident.linked_on or today - timedelta(days=150)
        intake = min(linked + timedelta(days=30), today - timedelta(days=60))
        pip = _blocks(rows, resident, today, intake_done_on=intake, intake_state=BlockState.DONE, rng=rng,
                      by=resident.contact_person_id)
        authors = {"contact": resident.contact_person_id, "counsellor": resident.counsellor_id or
                   resident.contact_person_id, "resident": resident.user_id}
        _full_plan(rows, resident, today, route=route, baseline=baseline, goals=goals, authors=authors, pip=pip)

    others = [r for r in ctx.residents if r.id not in (amina.id, yonas.id)]
    # The broad intake exists since the new act; who was linked earlier mostly never had one.
    settled = [r for r in others if r.linked_on and r.linked_on <= today - timedelta(days=45)]
    new_act = [r for r in settled if r.linked_on >= NEW_ACT]
    old_act = sorted((r for r in settled if r.linked_on < NEW_ACT), key=lambda r: r.linked_on, reverse=True)
    wanted = BROAD_INTAKES_DONE - 2
    done_ids = {r.id for r in (rng.sample(new_act, wanted) if len(new_act) >= wanted
                               else new_act + old_act[: wanted - len(new_act)])}
    young_eritreans = ctx.residents[2:22]
    for resident in others:
        linked = resident.linked_on or today - timedelta(days=30)
        if resident.id in done_ids:
            intake = min(linked + timedelta(days=rng.randint(20, 45)), today - timedelta(days=7))
            pip = _blocks(rows, resident, today, intake_done_on=intake, intake_state=BlockState.DONE, rng=rng,
                          by=resident.contact_person_id)
        else:
            state = BlockState.CURRENT if linked >= NEW_ACT else BlockState.UPCOMING
            pip = _blocks(rows, resident, today, intake_done_on=None, intake_state=state, rng=rng,
                          by=resident.contact_person_id)
        young_pick, route = None, None
        if resident in young_eritreans:
            # The report: of the ~20 young Eritreans, 15 started education and 5 regular work.
            index = young_eritreans.index(resident)
            route = LearningRoute.B1 if index < 5 else LearningRoute.EDUCATION
            young_pick = YOUNG_WORK_GOAL if index < 5 else YOUNG_SCHOOL_GOAL
        # Linked a while ago without a broad intake (mostly the old act): guided on a plan all the same.
        started = linked + timedelta(days=60) if pip is None and linked <= today - timedelta(days=120) else None
        if young_pick is None:
            route = _route_for(resident, today, rng) if (pip or started) is not None else None
        _small_plan(rows, resident, today, rng, pip=pip, started=started, route=route, young_pick=young_pick)
    rows.flush()
