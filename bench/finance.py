"""Benchmark the finance pages at volume: one million financial lines.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minutebook_bench python bench/finance.py generate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minutebook_bench python bench/finance.py measure

``generate`` adds ``finance.FinancialLine`` rows to a database that bench/generate.py has filled,
until there are exactly 1,000,000 of them (times ``BENCH_SCALE``). It does nothing when the
count is already right; otherwise it empties the lines table and writes them again with
PostgreSQL COPY (batched INSERTs on SQLite). Collaboration areas, functions and business cases,
and decision notices and recommendations, are created first when the database has none
(bench/generate.py makes neither). Lines belong about 55% to papers, 20% to recommendations,
20% to decision notices and 5% to collaborated functions alone; the history table of the lines
is left empty.

``measure`` requests /finance/ and /finance/lines/ in this process with Django's test Client
under several filters, and the pages of 30 papers and 30 decision notices with lines, as an
anonymous reader, OPCC staff and a board member (p50/p95/p99 milliseconds and queries per
request against the targets; /finance/ and /finance/lines/ both with what is cached warm and
with the cache invalidated before each request), then exports about 10,000 and 100,000 lines as CSV and XLSX,
each in a fresh process, consuming the streamed response while measuring the peak of Python
allocations (tracemalloc) and the growth of the peak resident set (ru_maxrss). Prints a table
and writes bench/results/finance-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent))
# As pages.py: production-like settings (DEBUG off), set before Django is set up.
for _name, _value in {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only-not-secret-" + "b" * 50,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
}.items():
    os.environ.setdefault(_name, _value)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutebook.settings")

RSS_AT_START = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB, before Django

import django  # noqa: E402

django.setup()

import pages  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from generate import AS_OF, load_corpus, refuse_dev_database, spread  # noqa: E402

from boards.models import (  # noqa: E402
    Board,
    Meeting,
    Membership,
    MinuteParagraph,
    Organisation,
    Paper,
    Person,
)
from collaboration.models import (  # noqa: E402
    BusinessCase,
    CollaboratedFunction,
    CollaborationArea,
)
from decisions.models import DecisionNotice, Recommendation, ReferenceCounter  # noqa: E402
from finance.filters import DEFAULT_SORT, SORTS, FinancialLineFilter  # noqa: E402
from finance.models import FinancialLine, LineTotal  # noqa: E402
from minutebook import money  # noqa: E402
from minutebook.changes import records_changed  # noqa: E402
from minutebook.markup import render_markup  # noqa: E402

FULL_LINES = 1_000_000
FULL_NOTICES = 4_000
FULL_RECOMMENDATIONS = 30_000
SEED = 20180301

# Share of the lines by what they belong to, and of each kind of record that has any lines.
# Money printed only in minutes belongs to the minute paragraph (finance 0016): 7 of the seed's
# 171 lines, so about 4 %, spread over few paragraphs.
OWNER_SHARES = {
    "paper": 0.53, "recommendation": 0.19, "decision_notice": 0.19, "function": 0.05,
    "minute_paragraph": 0.04,
}  # fmt: skip
WITH_LINES = {
    "paper": 0.6, "recommendation": 0.5, "decision_notice": 0.7, "function": 1.0,
    "minute_paragraph": 0.02,
}  # fmt: skip
KIND_WEIGHTS = {
    "cost": 17, "budget": 16, "forecast_saving": 15, "realised_saving": 13, "revenue": 9,
    "capital": 9, "grant": 6, "income": 6, "underspend": 5, "fee": 4,
}  # fmt: skip
FIRST_FY, LAST_FY = 2011, 2027  # 2011/12 .. 2027/28
# A printed table with no year is one column, so about 8% of tables gives about 3% of lines.
BLANK_YEAR_TABLES = 0.08
SCOPES = ["Cambridgeshire"] * 4 + [
    "Bedfordshire", "Hertfordshire", "Bedfordshire, Cambridgeshire and Hertfordshire",
    "Cambridgeshire and Peterborough", "Eastern region (7 forces)", "OPCC",
]  # fmt: skip
SOURCE_TABLES = [
    "Table 1: Savings by function", "Table 2: Costs of implementation",
    "Medium Term Financial Plan", "Capital programme", "Revenue budget summary",
    "Appendix A: Budget monitoring", "Collaboration savings", "Innovation Fund bids",
    "Reserves", "Precept options",
]  # fmt: skip

AREAS = [
    ("Joint Protective Services", "Herts"),
    ("Organisational Support", "Beds"),
    ("Operational Support", "Constabulary"),
    ("Eastern Region Special Operations", "ERSOU"),
    ("Criminal Justice", "Constabulary"),
    ("Seven Force Strategic Collaboration", None),
]
FUNCTIONS = {
    "Joint Protective Services": [
        "Armed Policing", "Roads Policing", "Dogs", "Major Crime", "Scientific Services",
        "Civil Contingencies", "Public Order", "Collision Investigation",
    ],
    "Organisational Support": [
        "ICT", "Human Resources", "Finance", "Procurement", "Professional Standards",
        "Learning and Development", "Occupational Health", "Information Management",
    ],
    "Operational Support": [
        "Contact Centre", "Custody", "Criminal Justice Units", "Firearms Licensing",
        "Fleet", "Estates", "Intelligence", "Digital Forensics",
    ],
    "Eastern Region Special Operations": [
        "Regional Organised Crime Unit", "Counter Terrorism Policing", "Cyber Crime",
        "Economic Crime", "Witness Protection", "Undercover Online",
    ],
    "Criminal Justice": [
        "Victims' Hub", "Restorative Justice", "Integrated Offender Management",
        "Out of Court Disposals", "Youth Offending",
    ],
    "Seven Force Strategic Collaboration": [
        "ERP (single back office)", "Customer Relationship Management", "Vetting",
        "Translation Services", "Transport Services",
    ],
}  # fmt: skip
RECOMMENDATION_TEXTS = [
    "Note the contents of the paper.",
    "The Board is recommended to note the report.",
    "The Board is recommended to approve the budget set out in the paper.",
    "The Commissioner is recommended to approve the savings plan.",
    "The Commissioner is recommended to approve the capital programme for the year.",
    "The Board is recommended to approve the Innovation Fund bids.",
    "The Board is recommended to note the forecast outturn and the underspend.",
    "The Commissioner is recommended to approve the full business case.",
    "The Board is recommended to agree the use of reserves.",
    "The Commissioner is recommended to sign the Decision Notice.",
]
PLAN_THEMES = ["Victims", "Offenders", "Communities", "Transformation", "Collaboration"]


def target_lines(scale: float) -> int:
    return max(1, round(FULL_LINES * scale))


def slugify(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:90]


def fy_start(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def fy_text(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


# -- records the lines belong to ----------------------------------------------------------------


def ensure_collaboration(rng: random.Random) -> None:
    """About six areas, forty functions and their business cases, when there are none."""
    if CollaborationArea.objects.exists():
        return
    orgs = {o.short_name: o for o in Organisation.objects.all()}
    forces = [o for o in orgs.values() if o.kind == Organisation.Kind.POLICE_FORCE]
    papers = list(Paper.objects.order_by("?").values_list("pk", flat=True)[:200])
    with transaction.atomic():
        areas = CollaborationArea.objects.bulk_create(
            CollaborationArea(
                name=name,
                slug=slugify(name),
                lead_organisation=orgs.get(lead) if lead else None,
                description=f"The {name.lower()} collaborated between the forces of the region.",
                position=i,
            )
            for i, (name, lead) in enumerate(AREAS)
        )
        functions = []
        for area in areas:
            for name in FUNCTIONS[area.name]:
                go_live = datetime.date(rng.randint(2012, 2019), rng.randint(1, 12), 1)
                functions.append(
                    CollaboratedFunction(
                        name=name,
                        slug=slugify(f"{area.slug} {name}"),
                        area=area,
                        lead_force=rng.choice(forces) if forces else None,
                        status=rng.choice(["live"] * 5 + ["implementing", "full_case", ""]),
                        go_live=go_live if rng.random() < 0.6 else None,
                        description=f"{name}, provided jointly in {area.name}.",
                    )
                )
        functions = CollaboratedFunction.objects.bulk_create(functions)
        through = CollaboratedFunction.partners.through
        through.objects.bulk_create(
            through(collaboratedfunction_id=f.pk, organisation_id=o.pk)
            for f in functions
            for o in rng.sample(forces, min(len(forces), 3))
        )
        cases = []
        for f in functions:
            for stage in ["outline", "full"][: rng.randint(1, 2)]:
                approved = datetime.date(rng.randint(2012, 2019), rng.randint(1, 12), 15)
                cases.append(
                    BusinessCase(
                        function=f,
                        stage=stage,
                        approved_on=approved,
                        approved_by="Strategic Alliance Summit",
                        paper_id=rng.choice(papers) if papers else None,
                    )
                )
        BusinessCase.objects.bulk_create(cases)
    print(f"  collaboration: {len(areas)} areas, {len(functions)} functions, {len(cases)} "
          "business cases", flush=True)  # fmt: skip


def ensure_decisions(scale: float, rng: random.Random, corpus) -> None:
    """Decision notices at meetings (most published) and recommendations in papers, when the
    database has none: bench/generate.py makes neither."""
    if DecisionNotice.objects.exists() or Recommendation.objects.exists():
        return
    rendered: dict[str, str] = {}

    def html(text: str) -> str:
        if text not in rendered:
            rendered[text] = render_markup(text)
        return rendered[text]

    paragraphs, titles = corpus["paragraphs"], corpus["papers"] + corpus["titles"]
    meetings = list(
        Meeting.objects.filter(status=Meeting.Status.HELD).values_list("pk", "date", "board_id")
    )
    board_names = dict(Board.objects.values_list("pk", "name"))
    people = list(Person.objects.values_list("pk", flat=True))
    papers_of: dict[int, list[int]] = defaultdict(list)
    for pk, meeting_id in Paper.objects.exclude(meeting=None).values_list("pk", "meeting_id"):
        papers_of[meeting_id].append(pk)
    n_notices = max(1, round(FULL_NOTICES * scale))
    picked = sorted((rng.choice(meetings) for _ in range(n_notices)), key=lambda m: m[1])
    notices, notice_papers, per_year = [], [], Counter()
    for meeting_id, date, board_id in picked:
        signed_on = date + datetime.timedelta(days=rng.randint(0, 14))
        r = rng.random()
        status = (
            "published"
            if r < 0.80
            else "withdrawn"
            if r < 0.85
            else "signed"
            if r < 0.92
            else "draft"
        )
        if signed_on > AS_OF:
            status = rng.choice(["draft", "signed"])
        exempt = rng.random() < 0.05
        notice = DecisionNotice(
            title=rng.choice(titles),
            executive_summary=rng.choice(paragraphs),
            decision=rng.choice(RECOMMENDATION_TEXTS),
            reasons=rng.choice(paragraphs),
            financial_implications=rng.choice(paragraphs),
            plan_theme=rng.choice(PLAN_THEMES),
            forum=f"{board_names[board_id]}, {date:%-d %B %Y}",
            decision_maker_id=rng.choice(people),
            decision_maker_title="Police and Crime Commissioner",
            significant_public_interest=rng.random() < 0.3,
            status=status,
            access="part_exempt" if exempt else "public",
            exemption="Appendix B is exempt under paragraph 3." if exempt else "",
            meeting_id=meeting_id,
            contact_officer="Chief Finance Officer",
        )
        if status != "draft":
            per_year[signed_on.year] += 1
            notice.signed_on = signed_on
            notice.reference_year, notice.reference_number = (
                signed_on.year,
                per_year[signed_on.year],
            )
            notice.reference = settings.DECISION_REFERENCE_FORMAT.format(
                year=signed_on.year, number=per_year[signed_on.year]
            )
        if status in ("published", "withdrawn"):
            notice.published_on = signed_on + datetime.timedelta(days=rng.randint(1, 10))
        if status == "withdrawn":
            notice.withdrawn_reason = "Superseded by a later decision."
        for name in DecisionNotice.rendered_fields:
            setattr(notice, f"{name}_html", html(getattr(notice, name)))
        notices.append(notice)
    with transaction.atomic():
        # Synthetic history, written as a fixture is loaded: past the locks of signed notices
        # (Django's own bulk_create, not the locked queryset's).
        notices = models.QuerySet.bulk_create(
            DecisionNotice.objects.all(), notices, batch_size=1000
        )
        notice_of_paper = {}
        for notice in notices:
            for paper_id in papers_of.get(notice.meeting_id, [])[: rng.randint(0, 2)]:
                notice_papers.append((notice.pk, paper_id))
                notice_of_paper.setdefault(paper_id, notice.pk)
        through = DecisionNotice.papers.through
        through.objects.bulk_create(
            (through(decisionnotice_id=n, paper_id=p) for n, p in notice_papers), batch_size=2000
        )
        for year, last in per_year.items():
            ReferenceCounter.objects.update_or_create(year=year, defaults={"last_number": last})

        paper_rows = list(Paper.objects.values_list("pk", "meeting_id", "meeting__date"))
        weights = [0.0 if rng.random() < 0.3 else 1.0 + rng.random() for _ in paper_rows]
        per_paper = spread(max(1, round(FULL_RECOMMENDATIONS * scale)), weights, rng)
        outcomes = ["approved"] * 5 + ["noted"] * 3 + ["approved_with_amendment", "deferred",
                                                          "rejected", "withdrawn"]  # fmt: skip
        recs = []
        for (paper_id, meeting_id, date), count in zip(paper_rows, per_paper, strict=True):
            decided = meeting_id is not None and date <= AS_OF
            for k in range(1, count + 1):
                text = (
                    rng.choice(RECOMMENDATION_TEXTS)
                    if rng.random() < 0.7
                    else rng.choice(paragraphs)
                )
                recs.append(
                    Recommendation(
                        paper_id=paper_id,
                        position=k,
                        number=f"2.{k}",
                        text=text,
                        text_html=html(text),
                        outcome=rng.choice(outcomes) if decided else "pending",
                        decided_at_id=meeting_id if decided else None,
                        decision_notice_id=notice_of_paper.get(paper_id),
                    )
                )
        models.QuerySet.bulk_create(Recommendation.objects.all(), recs, batch_size=2000)
    print(f"  decisions: {len(notices)} decision notices ({len(notice_papers)} papers linked), "
          f"{len(recs)} recommendations", flush=True)  # fmt: skip


# -- the lines ----------------------------------------------------------------------------------

COLUMNS = [
    "id", "version", "description", "amount", "kind", "financial_year", "on_date", "recurrence",
    "scope", "as_printed", "source_table", "in_thousands", "position", "note", "area_id",
    "business_case_id", "decision_notice_id", "function_id", "paper_id", "recommendation_id",
    "minute_paragraph_id",
]  # fmt: skip
# Columns of later migrations, written when the model has them: a line can be part of (or
# repeat) an earlier line, and is then not counted in totals.
OPTIONAL_COLUMNS = ["counted", "part_of_id"]
# Whose money, which way and what kind of figure (finance 0007-0009), written when the table has
# them: the scope follows the printed one ("Eastern region (7 forces)" is the seven forces, a
# county other than Cambridgeshire a named partner), the direction the kind; a few lines are
# rates, baselines, targets or printed totals (never summed), a few repeat an earlier line of
# their record (same money, not counted again) or note a contradiction.
CLASS_COLUMNS = ["scope_code", "direction", "nature", "contradiction", "same_as_id"]
SCOPE_CODES = {
    "": "", "Cambridgeshire": "cambridgeshire", "Cambridgeshire and Peterborough": "cambridgeshire",
    "OPCC": "cambridgeshire", "Bedfordshire, Cambridgeshire and Hertfordshire": "bch_alliance",
    "Eastern region (7 forces)": "seven_forces", "Bedfordshire": "partner",
    "Hertfordshire": "partner",
}  # fmt: skip
DIRECTIONS = {
    "cost": "pays", "capital": "commits", "revenue": "commits", "grant": "receives",
    "income": "receives", "budget": "holds", "underspend": "holds", "fee": "pays",
    "forecast_saving": "saves", "realised_saving": "saves",
}  # fmt: skip
NATURES = [("rate", 0.02), ("baseline", 0.02), ("target", 0.01), ("printed_total", 0.01)]
SAME_AS = 0.01  # of lines after the first of a record not part of another: repeats an earlier one
CONTRADICTION = 0.002
PART_OF = 0.02  # of lines after the first of a record: part of an earlier line of it
NOT_COUNTED = 0.01  # of the others: superseded, not counted, part of nothing
# The stamps kept from each line's record (finance 0005), written when the table has them. They
# have no database default, so COPY writes placeholders; rebuild_totals() right after the copy
# stamps every line from its record.
STAMP_COLUMNS = {"visible_to_public": False, "entitled_board_id": None, "in_totals": False}
# What a printed total totals (finance 0015): the generated printed totals leave it unsaid (their
# year's lines, or all of them), written before the stamps when the table has them.
PRINTED_COLUMNS = {"printed_total_of": "", "printed_total_table": ""}
# Whether staff confirmed the line (finance 0017: an imported paper's money waits unconfirmed,
# out of every total): generated lines stand for lines entered by staff, so confirmed.
CONFIRMED_COLUMNS = {"confirmed": True}


def line_columns() -> list[str]:
    """The columns written: COLUMNS and those of OPTIONAL_COLUMNS the table has (as migrated).
    Stops when the table has a column this script does not fill (a newer migration to teach
    it)."""
    with connection.cursor() as cursor:
        table = FinancialLine._meta.db_table
        present = {c.name for c in connection.introspection.get_table_description(cursor, table)}
    optional = [
        *OPTIONAL_COLUMNS, *CLASS_COLUMNS, *PRINTED_COLUMNS, *CONFIRMED_COLUMNS, *STAMP_COLUMNS
    ]  # fmt: skip
    columns = COLUMNS + [c for c in optional if c in present]
    unknown = present - set(columns)
    if unknown:
        sys.exit(f"finance.py: {table} has columns this script does not fill: {unknown}")
    return columns


class LineMaker:
    """Yields the lines of each record as tuples in COPY column order: printed tables of a few
    descriptions over consecutive financial years, of one kind and usually one recurrence."""

    def __init__(
        self,
        rng: random.Random,
        corpus,
        functions,
        cases_of,
        extras: bool,
        stamps: tuple = (),
        classes: bool = False,
    ):
        self.rng = rng
        self.next_id = 1
        self.extras = extras  # write counted and part_of_id
        self.classes = classes  # write CLASS_COLUMNS (after counted and part_of_id)
        self.stamps = stamps  # values of PRINTED_COLUMNS and the stamps' placeholders, last
        sentences = {p.split(". ")[0].rstrip(".")[:300] for p in corpus["paragraphs"]}
        self.descriptions = sorted(
            set(corpus["titles"]) | set(corpus["papers"]) | {s for s in sentences if len(s) > 20}
        )
        self.functions = functions  # [(function id, area id, name)]
        self.function_by_id = {f[0]: f for f in functions}
        self.cases_of = cases_of  # function id -> business case ids
        self.function_descriptions = [f"{name} {what}" for _, _, name in functions
                                      for what in ("savings", "budget", "costs", "collaboration")]  # fmt: skip
        self.notes = [p for p in corpus["paragraphs"] if len(p) < 400]
        self.kinds = list(KIND_WEIGHTS)
        self.kind_cum = list(_cumulative(KIND_WEIGHTS.values()))

    def amount(self, kind: str) -> str:
        """Pounds as text: mostly £1k-£500k (log-normal around £40k), a few £1m-£50m, some
        small fees; whole thousands mostly. Budgets and underspends are sometimes negative."""
        rng = self.rng
        r = rng.random()
        if r < 0.012:
            value = math.exp(rng.uniform(13.8155, 17.7275))  # £1m .. £50m
        elif r < 0.04:
            value = math.exp(rng.uniform(13.1224, 13.8155))  # £500k .. £1m
        elif r < 0.06:
            value = rng.uniform(50, 1000)
        else:
            value = min(500_000.0, max(1000.0, math.exp(rng.gauss(10.6, 1.3))))
        r = rng.random()
        if r < 0.6 and value >= 1000:
            pence = round(value / 1000) * 100_000
        elif r < 0.85:
            pence = round(value) * 100
        else:
            pence = round(value * 100)
        sign = "-" if kind in FinancialLine.NEGATIVE_KINDS and rng.random() < 0.1 else ""
        return f"{sign}{pence // 100}.{pence % 100:02d}"

    def lines(self, owner: str, owner_id: int, base_fy: int | None, count: int):
        rng = self.rng
        position = 0
        first_id = self.next_id
        while position < count:
            rows = rng.randint(1, 6)
            years = rng.randint(1, 5)
            if rows * years > count - position:
                rows = max(1, min(rows, count - position))
                years = max(1, (count - position) // rows)
            kind = self.kinds[_pick(rng, self.kind_cum)]
            blank = rng.random() < BLANK_YEAR_TABLES
            if blank:
                years = 1
            if base_fy is None:
                first = rng.randint(FIRST_FY, LAST_FY)
            else:
                first = base_fy + rng.choice([-1, 0, 0, 1, 1, 2, 3])
            first = max(FIRST_FY, min(LAST_FY - years + 1, first))
            table = rng.choice(SOURCE_TABLES) if rng.random() < 0.4 else ""
            thousands = bool(table) and rng.random() < 0.4
            r = rng.random()
            recurrence = "recurrent" if r < 0.6 else "one_off" if r < 0.85 else ""
            scope = rng.choice(SCOPES) if rng.random() < 0.5 else ""
            # What the table is about: a function (and so its area), or an area only.
            function_id = area_id = case_id = None
            if owner == "function":
                function_id, area_id, _ = self.function_by_id[owner_id]
            elif self.functions and rng.random() < 0.2:
                function_id, area_id, _ = rng.choice(self.functions)
                if rng.random() < 0.25:
                    function_id = None
            cases = self.cases_of.get(function_id) if kind == "forecast_saving" else None
            if cases and rng.random() < 0.5:
                case_id = rng.choice(cases)
            pool = (
                self.function_descriptions
                if function_id and rng.random() < 0.5
                else self.descriptions
            )
            for description in rng.sample(pool, min(rows, len(pool))):
                for y in range(years):
                    if position >= count:
                        break
                    start = first + y
                    on_date = None
                    if not blank and rng.random() < 0.1:
                        on_date = datetime.date(start, 4, 1) + datetime.timedelta(
                            days=rng.randrange(365)
                        )
                    amount = self.amount(kind)
                    printed = ""
                    if rng.random() < 0.2:
                        printed = ("Circa " if rng.random() < 0.3 else "") + money.format_amount(
                            Decimal(amount)
                        )
                    line_id = self.next_id
                    self.next_id += 1
                    row = (
                        line_id,
                        0,
                        description,
                        amount,
                        kind,
                        "" if blank else fy_text(start),
                        on_date,
                        recurrence,
                        scope,
                        printed,
                        table,
                        thousands,
                        position,
                        rng.choice(self.notes) if rng.random() < 0.03 else "",
                        area_id,
                        case_id,
                        owner_id if owner == "decision_notice" else None,
                        function_id,
                        owner_id if owner == "paper" else None,
                        owner_id if owner == "recommendation" else None,
                        owner_id if owner == "minute_paragraph" else None,
                    )
                    if self.extras:
                        part_of = same_as = None
                        if position and rng.random() < PART_OF:
                            part_of = rng.randrange(first_id, line_id)
                        elif self.classes and position and rng.random() < SAME_AS:
                            same_as = rng.randrange(first_id, line_id)
                        counted = (
                            part_of is None and same_as is None and rng.random() >= NOT_COUNTED
                        )
                        row += (counted, part_of)
                        if self.classes:
                            r, nature = rng.random(), "amount"
                            for name, share in NATURES:
                                if r < share:
                                    nature = name
                                    break
                                r -= share
                            contradiction = (
                                rng.choice(self.notes) if rng.random() < CONTRADICTION else ""
                            )
                            row += (
                                SCOPE_CODES[scope],
                                DIRECTIONS[kind] if rng.random() < 0.85 else "",
                                nature,
                                contradiction,
                                same_as,
                            )
                    if self.stamps:
                        row += self.stamps
                    yield row
                    position += 1


def _cumulative(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    x = rng.random() * cumulative[-1]
    for i, c in enumerate(cumulative):
        if x < c:
            return i
    return len(cumulative) - 1


def owners(total: int, rng: random.Random):
    """(kind of owner, id, base financial year, number of lines) for every record with lines,
    in date order, so the table fills as the records were written. Counts are long-tailed."""
    dates = {
        "paper": list(Paper.objects.values_list("pk", "date")),
        "recommendation": list(Recommendation.objects.values_list("pk", "paper__date")),
        "decision_notice": [
            (pk, signed or date)
            for pk, signed, date in DecisionNotice.objects.values_list(
                "pk", "signed_on", "meeting__date"
            )
        ],
        "function": [
            (pk, None) for pk in CollaboratedFunction.objects.values_list("pk", flat=True)
        ],
        # Approved minutes' paragraphs only, as in the seed records.
        "minute_paragraph": list(
            MinuteParagraph.objects.filter(item__meeting__minutes_status="approved").values_list(
                "pk", "item__meeting__date"
            )
        ),
    }
    shares = {k: v for k, v in OWNER_SHARES.items() if dates[k]}
    parts = spread(total, list(shares.values()), rng)
    out = []
    for (owner, _share), n in zip(shares.items(), parts, strict=True):
        records = dates[owner]
        weights = [
            min(40.0, rng.paretovariate(1.2)) if rng.random() < WITH_LINES[owner] else 0.0
            for _ in records
        ]
        if not any(weights):
            weights[0] = 1.0
        for (pk, day), count in zip(records, spread(n, weights, rng), strict=True):
            if count:
                out.append((day or datetime.date(2011, 4, 1), owner, pk, count, day))
    out.sort(key=lambda o: (o[0], o[2]))
    return [(owner, pk, fy_start(day) if day else None, count) for _, owner, pk, count, day in out]


def totals_from_lines() -> None:
    """Raw SQL bypasses the models: stamp every line from its record and recompute the stored
    totals behind /finance/ (``FinancialLine.objects.rebuild_totals``), then VACUUM ANALYZE: the
    stamping UPDATE rewrites every line (a dead copy of each), and statistics taken before it
    would tell the planner no line is public and none has a board."""
    started = time.monotonic()
    buckets = FinancialLine.objects.rebuild_totals()
    print(
        f"  stamps and stored totals: {buckets} buckets in {time.monotonic() - started:.1f}s",
        flush=True,
    )
    started = time.monotonic()
    analyze([FinancialLine, LineTotal, Recommendation, DecisionNotice, CollaboratedFunction])
    print(f"  vacuum analyze: {time.monotonic() - started:.1f}s", flush=True)


def analyze(models) -> None:
    """VACUUM ANALYZE the tables of ``models`` (PostgreSQL), ANALYZE (SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in models:
                cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
        else:
            cursor.execute("ANALYZE")


def generate_lines(scale: float, seed: int, fresh: bool) -> None:
    refuse_dev_database()
    target = target_lines(scale)
    existing = FinancialLine.objects.count()
    if existing == target and not fresh:
        print(f"Financial lines already present ({existing}); nothing to generate.")
        if not LineTotal.objects.exists():
            totals_from_lines()
        else:
            # A migrate may just have stamped every line (finance 0005's post_migrate hook),
            # leaving dead rows and statistics from before the stamps; cheap when it did not.
            started = time.monotonic()
            analyze([FinancialLine, LineTotal])
            print(f"  vacuum analyze: {time.monotonic() - started:.1f}s", flush=True)
        return
    if not Paper.objects.exists():
        sys.exit("finance.py: the database has no papers; run bench/generate.py first.")
    started = time.monotonic()
    table = FinancialLine._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'TRUNCATE "{table}" RESTART IDENTITY')
        else:
            cursor.execute(f'DELETE FROM "{table}"')
    if existing:
        print(f"  emptied {existing} financial lines", flush=True)
    print(f"Generating {target} financial lines into {connection.vendor} "
          f"{settings.DATABASES['default']['NAME']}", flush=True)  # fmt: skip
    # Records and lines draw from their own generators, so the same seed gives the same lines
    # whether or not this run had to create the records.
    rng = random.Random(seed + 1)
    corpus = load_corpus()
    ensure_collaboration(random.Random(seed))
    ensure_decisions(scale, random.Random(seed), corpus)
    functions = list(CollaboratedFunction.objects.values_list("pk", "area_id", "name"))
    cases_of = defaultdict(list)
    for pk, function_id in BusinessCase.objects.values_list("pk", "function_id"):
        cases_of[function_id].append(pk)
    columns = line_columns()
    constant = {**PRINTED_COLUMNS, **CONFIRMED_COLUMNS, **STAMP_COLUMNS}
    stamps = tuple(constant[c] for c in columns if c in constant)
    maker = LineMaker(
        rng,
        corpus,
        functions,
        cases_of,
        extras="counted" in columns,
        stamps=stamps,
        classes="scope_code" in columns,
    )
    plan = owners(target, rng)
    print(f"  {len(plan)} records with lines ({time.monotonic() - started:.0f}s)", flush=True)

    written = 0
    stats = Counter()
    kind_at, year_at = columns.index("kind"), columns.index("financial_year")
    names = ", ".join(f'"{c}"' for c in columns)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            sql = f'COPY "{table}" ({names}) FROM STDIN'
            with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
                for owner, pk, base_fy, count in plan:
                    for row in maker.lines(owner, pk, base_fy, count):
                        copy.write_row(row)
                        stats[row[kind_at]] += 1
                        stats["blank year"] += row[year_at] == ""
                    written += count
                    if written % 100_000 < count:
                        print(f"  lines {written}/{target} "
                                  f"({time.monotonic() - started:.0f}s)", flush=True)  # fmt: skip
            print(f"  copied; committing (deferred foreign-key checks) "
                  f"({time.monotonic() - started:.0f}s)", flush=True)  # fmt: skip
        else:
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(["%s"] * len(columns))})'
            batch = []
            with connection.cursor() as cursor:
                for owner, pk, base_fy, count in plan:
                    for row in maker.lines(owner, pk, base_fy, count):
                        batch.append(row)
                        stats[row[kind_at]] += 1
                        stats["blank year"] += row[year_at] == ""
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        batch = []
                    written += count
                if batch:
                    cursor.executemany(sql, batch)
    print(f"  committed ({time.monotonic() - started:.0f}s)", flush=True)
    with connection.cursor() as cursor:  # the ids were explicit: move the sequence past them
        for statement in connection.ops.sequence_reset_sql(no_style(), [FinancialLine]):
            cursor.execute(statement)
    records_changed()  # raw SQL bypasses the signals that invalidate cached totals
    totals_from_lines()  # ... and those that keep the stamps and stored totals; then analyzes
    count = FinancialLine.objects.count()
    by_owner = Counter(o for o, _, _, _ in plan)
    print(f"Generated {count} financial lines in {time.monotonic() - started:.0f}s "
          f"(records with lines: {dict(by_owner)}).")  # fmt: skip
    kinds = ", ".join(f"{k} {stats[k] / count:.0%}" for k in KIND_WEIGHTS)
    print(f"  kinds: {kinds}; blank year {stats['blank year'] / count:.1%}")
    if count != target:
        sys.exit(f"finance.py: expected {target} lines, found {count}.")


# -- measure ------------------------------------------------------------------------------------

MAX_INDEX_P95_MS = 100.0
MAX_LINES_P95_MS = 100.0  # /finance/lines/, any filter
MAX_RECORD_P95_MS = 50.0  # a paper's page, a notice's page
RECORDS_PER_PAGE_TYPE = 30  # papers (notices) with lines requested per reader
RECORDS_TOP = 5  # of which those with the most lines; the rest spread over the ranks
KIND_FILTER = "kind=realised_saving"
YEARS_FILTER = "year_from=2015/16&year_to=2018/19"


def member_user():
    """A login for a board member: linked once to the person who currently sits on the most
    boards, a private one among them, so the member sees restricted records of those boards."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(username="bench-member", defaults={"first_name": "Bench"})
    if not Person.objects.filter(user=user).exists():
        today = datetime.date.today()
        current = (
            Membership.objects.filter(person__user=None)
            .exclude(start__gt=today)
            .exclude(end__lt=today)
            .values_list("person_id", "board_id", "board__is_public")
        )
        boards_of, private = defaultdict(set), set()
        for person_id, board_id, is_public in current:
            boards_of[person_id].add(board_id)
            if not is_public:
                private.add(person_id)
        pool = [p for p in boards_of if p in private] or list(boards_of)
        if not pool:
            return None
        best = max(pool, key=lambda p: (len(boards_of[p]), -p))
        Person.objects.filter(pk=best).update(user=user)
        records_changed()
    if hasattr(user, "_minutebook_board_ids"):
        del user._minutebook_board_ids
    return user


def readers() -> dict[str, tuple]:
    """name -> (user, logged-in Client) for the anonymous public, OPCC staff and a member."""
    out = {"anonymous": (AnonymousUser(), Client(raise_request_exception=False))}
    staff = pages.staff_user()
    out["staff"] = (staff, Client(raise_request_exception=False))
    out["staff"][1].force_login(staff)
    member = member_user()
    if member is not None:
        out["member"] = (member, Client(raise_request_exception=False))
        out["member"][1].force_login(member)
    return out


def filter_sets(user, n: int, rng: random.Random, with_page: bool) -> dict[str, list[str]]:
    """Query strings per filter set, ``n`` each; boards vary over those the reader may see."""
    boards = sorted(Board.objects.visible_to(user).values_list("slug", flat=True))
    picked = pages.sample(rng, boards, n)
    sets = {
        "none": [""] * n,
        "kind": [KIND_FILTER] * n,
        "years": [YEARS_FILTER] * n,
        "board": [f"board={slug}" for slug in picked],
        "record_type": ["record_type=paper"] * n,
        "combined": [
            f"board={slug}&{KIND_FILTER}&{YEARS_FILTER}&record_type=paper" for slug in picked
        ],
    }
    if with_page:
        # Only on the lines list (the totals grid of /finance/ keeps its six rows).
        sets["no_year"] = ["no_year=1"] * n
        sets["board_kind"] = [f"board={slug}&{KIND_FILTER}" for slug in picked]
        # The sortable columns (finance.filters.SORTS): every order but the default one, alone
        # and under a filter.
        sorts = [key for key in SORTS if key != DEFAULT_SORT]
        sets["sort"] = [f"sort={sorts[i % len(sorts)]}" for i in range(n)]
        sets["kind_sort"] = [f"{KIND_FILTER}&sort={sorts[i % len(sorts)]}" for i in range(n)]
        sets = {
            name: [q + ("&" if q else "") + f"page={rng.randint(1, 20)}" for q in queries]
            for name, queries in sets.items()
        }
    return sets


RECORD_PAGES = {
    # kind: (page label, model, URL format, the lines of one record as the page reads them)
    "paper": ("/papers/<id>/", Paper, "/papers/{}/", lambda pk: FinancialLine.objects.of_paper(
        pk, Recommendation.objects.filter(paper=pk).values_list("pk", flat=True))),
    "notice": ("/decisions/<id>/", DecisionNotice, "/decisions/{}/",
               lambda pk: FinancialLine.objects.of_notice(pk, Recommendation.objects.filter(
                   decision_notice=pk).values_list("pk", flat=True))),
}  # fmt: skip


def lines_per_record(user) -> dict[str, Counter]:
    """For papers and for decision notices: record id -> the lines its page lists to ``user``
    (of_paper: its own and its recommendations'; of_notice: its own and those of the
    recommendations that led to it, of those the reader may see). Four GROUP BYs."""
    lines = FinancialLine.objects.visible_to(user).order_by()
    groups = {
        "paper": ["paper_id", "recommendation__paper_id"],
        "notice": ["decision_notice_id", "recommendation__decision_notice_id"],
    }
    out = {}
    for kind, fields in groups.items():
        counts = Counter()
        for field in fields:
            rows = lines.filter(**{f"{field}__isnull": False}).values_list(field)
            for pk, n in rows.annotate(n=Count("pk")):
                counts[pk] += n
        out[kind] = counts
    return out


def spread_picks(ranked: list[int], k: int, top: int) -> list[int]:
    """``k`` of ``ranked`` (most lines first): the first ``top``, then the rest at evenly spaced
    ranks down to the record with the fewest lines."""
    head, rest = ranked[:top], ranked[top:]
    m = k - len(head)
    if m <= 0 or len(rest) <= m:
        return (head + rest)[:k]
    if m == 1:
        return head + rest[-1:]
    return head + [rest[round(i * (len(rest) - 1) / (m - 1))] for i in range(m)]


def record_picks(user, reader: str, kind: str, counts: Counter) -> list[dict]:
    """Up to RECORDS_PER_PAGE_TYPE records of ``kind`` that ``user`` may see and whose page lists
    lines to them (``counts``), spread over their numbers of lines (the RECORDS_TOP with the most
    among them). For a board member a third are records only members see (restricted ones of
    their boards), when any have lines. Each with its lines checked with the page's own filter
    (one COUNT each)."""
    _, model, url, of_record = RECORD_PAGES[kind]
    visible = set(model.objects.visible_to(user).values_list("pk", flat=True))
    ranked = sorted((pk for pk in counts if pk in visible), key=lambda pk: (-counts[pk], pk))
    k = RECORDS_PER_PAGE_TYPE
    picks = []
    if reader == "member":
        public = set(model.objects.visible_to(AnonymousUser()).values_list("pk", flat=True))
        own = [pk for pk in ranked if pk not in public]
        picks = spread_picks(own, k // 3, top=2)
    rest = [pk for pk in ranked if pk not in set(picks)]
    picks += spread_picks(rest, k - len(picks), top=RECORDS_TOP)
    picks.sort(key=lambda pk: (-counts[pk], pk))
    return [
        {
            "id": pk,
            "url": url.format(pk),
            "lines": of_record(pk).visible_to(user).count(),
            "lines_counted": counts[pk],  # the same, from lines_per_record
        }
        for pk in picks
    ]


def measure(client, urls, warmup, budget, min_requests=20, before=None) -> dict:
    """Like pages.measure_page, with p99: time and count the queries of each request after the
    ``warmup`` URLs (unmeasured); ``before`` runs untimed before each measured request. Stops
    after ``budget`` seconds once ``min_requests`` are measured. Keeps one executed example of
    each query shape, for EXPLAIN, and the queries and times of each URL."""
    for url in warmup:
        client.get(url)
    deadline = time.monotonic() + budget
    times, counts, sql_ms, statuses, sizes = [], [], [], Counter(), []
    by_url = defaultdict(lambda: {"ms": [], "queries": []})
    sql_time, sql_calls, example = defaultdict(float), Counter(), {}
    for url in urls:
        if time.monotonic() > deadline and len(times) >= min(min_requests, len(urls)):
            break
        if before:
            before()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        times.append(elapsed * 1000)
        counts.append(len(ctx.captured_queries))
        by_url[url]["ms"].append(elapsed * 1000)
        by_url[url]["queries"].append(len(ctx.captured_queries))
        statuses[response.status_code] += 1
        sizes.append(len(response.content))
        for q in ctx.captured_queries:
            shape = pages.normalise_sql(q["sql"])
            ms = float(q["time"]) * 1000
            sql_time[shape] += ms
            sql_calls[shape] += 1
            if shape not in example or ms > example[shape][0]:
                example[shape] = (ms, q["sql"], url)
        sql_ms.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    top = sorted(sql_time, key=sql_time.get, reverse=True)[:3]
    return {
        "requests": len(times),
        "p50_ms": round(pages.percentile(times, 50), 1),
        "p95_ms": round(pages.percentile(times, 95), 1),
        "p99_ms": round(pages.percentile(times, 99), 1),
        "max_ms": round(max(times), 1),
        "sql_ms_avg": round(statistics.mean(sql_ms), 1),
        "queries_avg": round(statistics.mean(counts), 1),
        "queries_min": min(counts),
        "queries_max": max(counts),
        # How many requests made how many queries: a reviewer compares these between runs.
        "query_counts": {str(k): v for k, v in sorted(Counter(counts).items())},
        "by_url": {
            url: {
                "requests": len(v["ms"]),
                "p50_ms": round(statistics.median(v["ms"]), 1),
                "max_ms": round(max(v["ms"]), 1),
                "queries": sorted(set(v["queries"])),
            }
            for url, v in by_url.items()
        },
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "kb_avg": round(statistics.mean(sizes) / 1024, 1),
        "top_sql": [
            {
                "sql": shape[:3000],
                "calls_per_request": round(sql_calls[shape] / len(times), 2),
                "ms_per_request": round(sql_time[shape] / len(times), 2),
                "slowest_ms": round(example[shape][0], 1),
                "example": example[shape][1],
                "example_url": example[shape][2],
            }
            for shape in top
        ],
    }


TABLE = [("n", "requests", 4), ("p50 ms", "p50_ms", 8), ("p95 ms", "p95_ms", 8),
         ("p99 ms", "p99_ms", 8), ("max ms", "max_ms", 8), ("sql ms", "sql_ms_avg", 8),
         ("q avg", "queries_avg", 6), ("q max", "queries_max", 6), ("KB", "kb_avg", 6)]  # fmt: skip


def print_header() -> None:
    head = f"{'page':<17} {'filter':<12} {'reader':<10} {'cache':<8}"
    head += "".join(f"{h:>{w + 1}}" for h, _, w in TABLE) + "  target"
    print(head)
    print("-" * len(head))


def print_row(row: dict) -> None:
    values = "".join(f"{row[k]!s:>{w + 1}}" for _, k, w in TABLE)
    verdict = f"{row['verdict']} (p95 < {row['target_p95_ms']:g})" if "verdict" in row else ""
    print(f"{row['page']:<17} {row['filter']:<12} {row['reader']:<10} {row.get('totals', ''):<8}"
          f"{values}  {verdict}", flush=True)  # fmt: skip


def row_name(row: dict) -> str:
    """What a row of the table measured, e.g. "/finance/lines/ board staff cached"."""
    parts = (row["page"], row["filter"], row["reader"], row.get("totals", ""))
    return " ".join(x for x in parts if x)


def explain(sql: str) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of one executed query, on PostgreSQL."""
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(r[0] for r in cursor.fetchall())


# -- export memory ------------------------------------------------------------------------------


def pick_export_filters(user, targets: list[int]) -> list[dict]:
    """For each target, the kind and financial-year range whose lines visible to ``user`` come
    closest to it (counted in one GROUP BY), then the exact count with the page's own filter."""
    counts = defaultdict(int)
    rows = (
        FinancialLine.objects.visible_to(user)
        .exclude(financial_year="")
        .order_by()
        .values_list("kind", "financial_year")
        .annotate(n=Count("pk"))
    )
    for kind, year, n in rows:
        counts[(kind, int(year[:4]))] += n
        counts[(None, int(year[:4]))] += n
    kinds = [None, *KIND_WEIGHTS]
    years = range(FIRST_FY, LAST_FY + 1)
    out = []
    for target in targets:
        best = None
        for kind in kinds:
            for a in years:
                total = 0
                for b in years[a - FIRST_FY :]:
                    total += counts[(kind, b)]
                    score = (abs(total - target), kind is None, b - a)
                    if best is None or score < best[0]:
                        best = (score, kind, a, b, total)
        _, kind, a, b, total = best
        params = {"year_from": fy_text(a), "year_to": fy_text(b)}
        if kind:
            params = {"kind": kind, **params}
        query = "&".join(f"{k}={v}" for k, v in params.items())
        exact = exact_count(user, params)
        out.append({"target": target, "query": query, "lines": exact})
    return out


def exact_count(user, params: dict) -> int:
    """How many lines the export of ``params`` holds for ``user``: the view's own filter."""
    from django.test import RequestFactory

    request = RequestFactory().get("/finance/lines.csv", params)
    request.user = user
    filterset = FinancialLineFilter(
        request.GET,
        queryset=FinancialLine.objects.visible_to(user),
        request=request,
    )
    if not filterset.is_valid():
        raise SystemExit(f"finance.py: export filter {params} is invalid: {filterset.errors}")
    return filterset.qs.count()


def export_once(client, url: str, fmt: str, keep_to=None, snapshot_at=None) -> dict:
    """GET an export and consume its streamed body chunk by chunk, counting bytes (and CSV
    rows) without keeping them; optionally writing them to ``keep_to`` on disk. With
    ``snapshot_at`` (under tracemalloc), stops at that chunk and notes the biggest live
    allocation sites instead."""
    started = time.perf_counter()
    response = client.get(url)
    returned = time.perf_counter() - started
    first_chunk = None
    size = newlines = chunks = 0
    live = None
    try:
        for chunk in response.streaming_content:
            if first_chunk is None:
                first_chunk = time.perf_counter() - started
            if isinstance(chunk, str):
                chunk = chunk.encode()
            size += len(chunk)
            chunks += 1
            if fmt == "csv":
                newlines += chunk.count(b"\n")
            if keep_to is not None:
                keep_to.write(chunk)
            if chunks == snapshot_at:
                live = top_allocations()
                break
    finally:
        response.close()
    return {
        "status": response.status_code,
        "streaming": response.streaming,
        "response_class": type(response).__name__,
        "seconds": round(time.perf_counter() - started, 2),
        "seconds_to_response": round(returned, 2),
        "seconds_to_first_chunk": round(first_chunk or 0, 2),
        "bytes": size,
        "chunks": chunks,
        "csv_rows": newlines - 1 if fmt == "csv" else None,
        "live_allocations": live,
    }


def top_allocations(n: int = 6) -> list[dict]:
    """The source lines holding the most live memory now (tracemalloc must be tracing)."""
    stats = tracemalloc.take_snapshot().statistics("lineno")
    total = sum(s.size for s in stats)
    out = [{"total_mb": round(total / 2**20, 2)}]
    for stat in stats[:n]:
        frame = stat.traceback[0]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        out.append({"where": where, "mb": round(stat.size / 2**20, 2), "blocks": stat.count})
    return out


def xlsx_rows(path: str) -> int | None:
    """Data rows of an exported workbook, from its autofilter range (read from the zip)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                with z.open(name) as f:
                    tail = f.read()[-4000:].decode("utf-8", "replace")
                match = re.search(r'<autoFilter ref="A1:[A-Z]+(\d+)"', tail)
                if match:
                    return int(match[1]) - 1
    return None


def vm_hwm_kb() -> int | None:
    """VmHWM, this process's own peak RSS in kB (Linux), as a cross-check of ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def run_export(reader: str, fmt: str, query: str) -> dict:
    """In this (fresh) process: one small export to warm up, then the measured one twice: first
    untraced for time and ru_maxrss growth, then under tracemalloc for the allocation peak."""
    import gc
    import tempfile

    user, client = readers()[reader]
    url = f"/finance/lines.{fmt}?{query}"
    # Warm up on a tiny export (a hundred-odd lines): code paths, templates, connections.
    tiny = "kind=fee&record_type=function&year_from=2011/12&year_to=2011/12"
    export_once(client, f"/finance/lines.{fmt}?{tiny}", fmt)
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    hwm_before = vm_hwm_kb()
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}") as kept:
        with CaptureQueriesContext(connection) as ctx:
            plain = export_once(client, url, fmt, keep_to=kept)
        queries = len(ctx.captured_queries)  # now: later requests empty the query log
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        hwm_after = vm_hwm_kb()
        kept.flush()
        rows = plain["csv_rows"] if fmt == "csv" else xlsx_rows(kept.name)
    gc.collect()
    tracemalloc.start()
    traced = export_once(client, url, fmt)
    current, peak = tracemalloc.get_traced_memory()
    live = None
    if fmt == "csv":
        # One chunk per row: what is live mid-way through the second fetch of the cursor.
        gc.collect()
        live = export_once(client, url, fmt, snapshot_at=3000)["live_allocations"]
    tracemalloc.stop()
    return {
        "reader": reader,
        "format": fmt,
        "url": url,
        **plain,
        "rows": rows,
        "queries": queries,
        "maxrss_before_mb": round(rss_before / 1024, 1),
        "maxrss_after_mb": round(rss_after / 1024, 1),
        "maxrss_growth_mb": round((rss_after - rss_before) / 1024, 1),
        "maxrss_at_start_mb": round(RSS_AT_START / 1024, 1),
        "vmhwm_before_mb": round(hwm_before / 1024, 1) if hwm_before else None,
        "vmhwm_after_mb": round(hwm_after / 1024, 1) if hwm_after else None,
        "tracemalloc_peak_mb": round(peak / 2**20, 2),
        "tracemalloc_left_mb": round(current / 2**20, 2),
        "seconds_traced": traced["seconds"],
        "live_allocations_mid_stream": live,
    }


def export_in_subprocess(reader: str, fmt: str, query: str) -> dict:
    """Run one export measurement in a fresh interpreter, so its ru_maxrss is its own. Linux
    carries the high-water mark across fork and exec, so a child forked from this (large)
    process would start at this process's RSS: the interpreter is started by a small shell
    instead (not exec'd by it)."""
    out = subprocess.run(
        [
            "/bin/sh",
            "-c",
            '"$0" "$@"; exit $?',
            sys.executable,
            __file__,
            "_export",
            reader,
            fmt,
            query,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"finance.py: export {reader} {fmt} {query} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- measure: the whole run ---------------------------------------------------------------------


def run_measure(args) -> None:
    refuse_dev_database()
    total = FinancialLine.objects.count()
    if not total:
        sys.exit("finance.py: no financial lines; run bench/finance.py generate first.")
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # manifest storage needs it
    load_average = os.getloadavg()
    if load_average[0] > 1:
        print(f"Warning: load average {load_average[0]:.1f}; other work on the machine will "
              "inflate the timings.")  # fmt: skip
    scale = total / FULL_LINES
    rng = random.Random(args.seed)
    who = readers()
    if "member" in who:
        ids = sorted(who["member"][0].person.memberships.values_list("board_id", flat=True))
        print(f"Board member: {who['member'][0].person} (boards {ids})")
    wanted = set(args.parts.split(","))
    results, failures = [], []

    def line_counts(user, reader: str) -> dict[str, Counter]:
        started = time.monotonic()
        counted = lines_per_record(user)
        print(f"  (lines each page lists to {reader} counted in "
              f"{time.monotonic() - started:.1f}s: {len(counted['paper'])} papers, "
              f"{len(counted['notice'])} notices with lines)", flush=True)  # fmt: skip
        return counted

    def record(row: dict, target_ms: float | None = None, keep_urls: bool = False) -> None:
        if target_ms is not None:
            ok = row["p95_ms"] < target_ms and set(row["statuses"]) == {"200"}
            row["target_p95_ms"] = target_ms
            row["verdict"] = "PASS" if ok else "FAIL"
            if not ok:
                failures.append(row)
        if not keep_urls:
            row.pop("by_url", None)
        results.append(row)
        print_row(row)

    if wanted & {"index", "lines", "records"}:
        print(f"\nServer time in-process on {connection.vendor} "
              f"{connection.settings_dict['NAME']}: {total:,} financial lines; up to "
              f"{args.requests} requests per row after {args.warmup} warm-up "
              f"({args.budget:g} s budget); DEBUG off")  # fmt: skip
        print("cache 'cached': /finance/ with every cache warm (warm-up requested every URL "
              "once), /finance/lines/ after a warm-up of the first URLs (a count not cached yet "
              "is computed); 'computed': records_changed() before each request, so everything "
              "cached until a record changes (totals, counts, filter choices) is computed again, "
              f"as on the first request after an edit ({args.cold_requests} requests). Record "
              f"pages: {RECORDS_PER_PAGE_TYPE} papers (notices) with lines the reader may see, "
              "each requested once in the warm-up ('cached': the money section is in the cache; "
              "'computed': as on the first request after an edit).")  # fmt: skip
        print_header()
    for reader, (user, client) in who.items():
        if "index" in wanted:
            for name, queries in filter_sets(user, args.requests, rng, with_page=False).items():
                urls = [f"/finance/?{q}" if q else "/finance/" for q in queries]
                warm = sorted(set(urls)) + urls[: args.warmup]
                base = {"page": "/finance/", "filter": name, "reader": reader}
                row = {**base, "totals": "cached",
                       **measure(client, urls, warm, args.budget)}  # fmt: skip
                record(row, MAX_INDEX_P95_MS)
                row = {**base, "totals": "computed",
                       **measure(client, urls[: args.cold_requests], urls[:2], args.budget,
                                 min_requests=args.cold_requests, before=records_changed)}  # fmt: skip
                record(row, MAX_INDEX_P95_MS)
        if "lines" in wanted:
            for name, queries in filter_sets(user, args.requests, rng, with_page=True).items():
                urls = [f"/finance/lines/?{q}" for q in queries]
                base = {"page": "/finance/lines/", "filter": name, "reader": reader}
                row = {**base, "totals": "cached",
                       **measure(client, urls, urls[: args.warmup], args.budget)}  # fmt: skip
                record(row, MAX_LINES_P95_MS)
                if args.cold_requests:
                    row = {**base, "totals": "computed",
                           **measure(client, urls[: args.cold_requests], urls[:2], args.budget,
                                     min_requests=args.cold_requests,
                                     before=records_changed)}  # fmt: skip
                    record(row, MAX_LINES_P95_MS)
        if "records" in wanted:
            counted = line_counts(user, reader)
            for kind, (label, _, _, _) in RECORD_PAGES.items():
                picks = record_picks(user, reader, kind, counted[kind])
                if not picks:
                    print(f"  (no {kind} with lines visible to {reader})")
                    continue
                urls = [p["url"] for p in picks] * math.ceil(args.requests / len(picks))
                rng.shuffle(urls)
                urls = urls[: args.requests]
                # Warm-up: every record once, so each measured request is a warm one.
                warm = [p["url"] for p in picks] + urls[: args.warmup]
                row = {"page": label, "filter": f"{len(picks)} recs", "reader": reader,
                       "totals": "cached",
                       **measure(client, urls, warm, args.budget)}  # fmt: skip
                for pick in picks:
                    pick.update(row["by_url"].get(pick["url"], {}))
                row["records"] = picks
                record(row, MAX_RECORD_P95_MS, keep_urls=True)
                measured = [p for p in picks if "queries" in p]
                n_lines = [p["lines"] for p in measured]
                seen = sorted({q for p in measured for q in p["queries"]})
                print(f"{'':<17}   {len(measured)} records of {min(n_lines)} to {max(n_lines)} "
                      f"lines (median {statistics.median(n_lines):g}); queries per request: "
                      f"{', '.join(map(str, seen))}", flush=True)  # fmt: skip
                if len(seen) > 1:
                    for q in seen:
                        having = [p["lines"] for p in measured if q in p["queries"]]
                        print(f"{'':<17}     {q} queries on records of {min(having)} to "
                              f"{max(having)} lines ({len(having)} records)")  # fmt: skip
                if args.cold_requests:
                    # The first request after an edit: the money section is not in the cache.
                    row = {"page": label, "filter": f"{len(picks)} recs", "reader": reader,
                           "totals": "computed",
                           **measure(client, urls[: args.cold_requests], urls[:2], args.budget,
                                     min_requests=args.cold_requests,
                                     before=records_changed)}  # fmt: skip
                    record(row, MAX_RECORD_P95_MS)

    explained = []
    if results:
        by_time = {}
        for row in results:
            for top in row["top_sql"]:
                key = top["sql"]
                if key not in by_time or top["slowest_ms"] > by_time[key]["slowest_ms"]:
                    by_time[key] = {**top, "page": row["page"], "filter": row["filter"],
                                    "reader": row["reader"]}  # fmt: skip
        slowest = sorted(by_time.values(), key=lambda t: t["slowest_ms"], reverse=True)[:3]
        print("\nSlowest query shapes (the slowest single execution seen):")
        for top in slowest:
            print(f"  {top['slowest_ms']} ms on {top['page']} {top['filter']} / {top['reader']} "
                  f"({top['example_url']}): {pages.short_sql(top['sql'], 200)}")  # fmt: skip
        for top in slowest:
            plan = explain(top["example"])
            explained.append({**top, "explain": plan})
        if explained and explained[0]["explain"]:
            print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the slowest ({explained[0]['example_url']}, "
                  f"{explained[0]['reader']}):\n{explained[0]['example']}\n")  # fmt: skip
            print(explained[0]["explain"])

    # For each row over its target: EXPLAIN of the query that cost it the most time.
    failing_plans, shapes_seen = [], set()
    for row in failures:
        if not row["top_sql"]:
            continue
        top = row["top_sql"][0]
        entry = {"page": row["page"], "filter": row["filter"], "reader": row["reader"],
                 "cache": row.get("totals", ""), "p95_ms": row["p95_ms"], **top}  # fmt: skip
        if top["sql"] not in shapes_seen:
            shapes_seen.add(top["sql"])
            entry["explain"] = explain(top["example"])
        failing_plans.append(entry)
    if failing_plans:
        print(f"\nRows over their target ({len(failures)}), with the query that cost each the "
              "most (ms per request), EXPLAIN (ANALYZE, BUFFERS) once per query shape:")  # fmt: skip
        for entry in failing_plans:
            print(f"\n* {entry['page']} {entry['filter']} / {entry['reader']} {entry['cache']}: "
                  f"p95 {entry['p95_ms']} ms; {entry['ms_per_request']} ms per request in "
                  f"{entry['calls_per_request']} call(s), slowest {entry['slowest_ms']} ms "
                  f"({entry['example_url']})")  # fmt: skip
            if entry.get("explain"):
                print(entry["example"])
                print(entry["explain"])
            else:
                print(f"  (same query shape as above) {pages.short_sql(entry['sql'], 200)}")

    exports = []
    if "export" in wanted:
        targets = [max(1, round(10_000 * scale)), max(1, round(100_000 * scale))]
        for reader in args.export_readers.split(","):
            user = who[reader][0]
            picks = pick_export_filters(user, targets)
            print(f"\nExports as {reader}, each in a fresh process, the body consumed chunk by "
                  "chunk and not kept.\n'tracemalloc MB': peak of Python allocations during the "
                  "request and its consumption (a second, traced run; 'traced s' is its time).\n"
                  "'RSS MB': ru_maxrss (the process's high-water mark, which never shrinks) "
                  "before -> after the untraced run, and the growth; 'before' is after Django "
                  "setup and a warm-up export of a hundred-odd lines.\n"
                  "'s 1st': seconds to the first chunk of the body; 'q': queries.")  # fmt: skip
            head = (f"{'format':<6} {'target':>7} {'lines':>7} {'rows out':>8} {'MB out':>7} "
                    f"{'s total':>7} {'s 1st':>6} {'q':>3} {'traced s':>8} {'tracemalloc MB':>14} "
                    f"{'RSS MB':>14} {'growth':>6}  filter")  # fmt: skip
            print(head)
            print("-" * len(head))
            for fmt in ("csv", "xlsx"):
                for pick in picks:
                    r = export_in_subprocess(reader, fmt, pick["query"])
                    r.update(target=pick["target"], lines=pick["lines"], query=pick["query"])
                    exports.append(r)
                    print(f"{fmt:<6} {r['target']:>7} {r['lines']:>7} {r['rows']!s:>8} "
                          f"{r['bytes'] / 2**20:>7.1f} {r['seconds']:>7} "
                          f"{r['seconds_to_first_chunk']:>6} {r['queries']:>3} "
                          f"{r['seconds_traced']:>8} {r['tracemalloc_peak_mb']:>14} "
                          f"{r['maxrss_before_mb']:>6} -> {r['maxrss_after_mb']:>5} "
                          f"{r['maxrss_growth_mb']:>6}  {pick['query']}", flush=True)  # fmt: skip
                    if r["status"] != 200 or r["rows"] != r["lines"]:
                        print(f"  ! status {r['status']}, {r['rows']} rows for {r['lines']} lines")
            for fmt in ("csv", "xlsx"):
                pair = [r for r in exports if r["format"] == fmt and r["reader"] == reader]
                if len(pair) == 2 and pair[0]["tracemalloc_peak_mb"]:
                    ratio = pair[1]["tracemalloc_peak_mb"] / pair[0]["tracemalloc_peak_mb"]
                    print(f"  {fmt}: {pair[1]['lines'] / max(1, pair[0]['lines']):.1f}x the lines, "
                          f"{ratio:.2f}x the tracemalloc peak, RSS growth "
                          f"{pair[0]['maxrss_growth_mb']} -> {pair[1]['maxrss_growth_mb']} MB")  # fmt: skip
            live = next((r["live_allocations_mid_stream"] for r in exports
                         if r["reader"] == reader and r["live_allocations_mid_stream"]), None)  # fmt: skip
            if live:
                print(f"  CSV, live Python memory at row 3,000 (inside the second fetch of the "
                      f"cursor): {live[0]['total_mb']} MB, most of it at:")  # fmt: skip
                for site in live[1:4]:
                    print(f"    {site['where']}: {site['mb']} MB in {site['blocks']} blocks")

    index_rows = [r for r in results if r["page"] == "/finance/"]
    verdicts = {}
    groups = [("/finance/", "cached"), ("/finance/", "computed"),
              ("/finance/lines/", "cached"), ("/finance/lines/", "computed")]  # fmt: skip
    groups += [(label, None) for label, _, _, _ in RECORD_PAGES.values()]
    print()
    for page, cache in groups:
        rows = [r for r in results if r["page"] == page and r.get("totals") == cache
                and "verdict" in r]  # fmt: skip
        if not rows:
            continue
        bad = [r for r in rows if r["verdict"] == "FAIL"]
        worst = max(rows, key=lambda r: r["p95_ms"])
        name = f"{page} {cache}" if cache else page
        verdicts[name] = "FAIL" if bad else "PASS"
        print(f"{name}: p95 < {rows[0]['target_p95_ms']:g} ms: {verdicts[name]} "
              f"({len(rows) - len(bad)} of {len(rows)} pass; worst p95 {worst['p95_ms']} ms: "
              f"{worst['filter']} / {worst['reader']})")  # fmt: skip

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": pages.git_commit(),
        "vendor": connection.vendor,
        "database": str(connection.settings_dict["NAME"]),
        "financial_lines": total,
        "load_average_before": [round(x, 2) for x in load_average],
        "options": vars(args),
        "target": {
            "index_p95_ms": MAX_INDEX_P95_MS,
            "lines_p95_ms": MAX_LINES_P95_MS,
            "record_page_p95_ms": MAX_RECORD_P95_MS,
        },
        "verdict": {
            t: (
                "FAIL"
                if any(r["verdict"] == "FAIL" for r in index_rows if r["totals"] == t)
                else "PASS"
            )
            for t in ("cached", "computed")
            if index_rows
        },  # fmt: skip
        "verdicts": verdicts,
        # Queries per request of every row, to compare between runs: {"page filter reader
        # cache": {"queries": count: requests}}.
        "query_counts": {row_name(r): r["query_counts"] for r in results},
        "pages": results,
        "slowest_queries": explained,
        "over_target": failing_plans,
        "exports": exports,
    }
    results_dir = BENCH_DIR / "results"
    results_dir.mkdir(exist_ok=True)
    path = results_dir / f"finance-{stamp}.json"
    path.write_text(json.dumps(out, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nWrote {path}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="fill the financial lines")
    gen.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")))
    gen.add_argument("--seed", type=int, default=SEED)
    gen.add_argument("--fresh", action="store_true", help="generate again even if complete")
    mes = sub.add_parser("measure", help="measure the finance pages and exports")
    mes.add_argument("--requests", type=int, default=100, help="measured requests per row")
    mes.add_argument(
        "--cold-requests",
        type=int,
        default=30,
        help="requests with the totals computed (cache invalidated) per filter",
    )
    mes.add_argument("--warmup", type=int, default=10, help="unmeasured requests first")
    mes.add_argument("--budget", type=float, default=20, help="seconds at most per row")
    mes.add_argument(
        "--parts",
        default="index,lines,records,export",
        help="index,lines,records,export (records: the paper and notice pages)",
    )
    mes.add_argument(
        "--export-readers", default="anonymous", help="readers to export as: anonymous,staff,member"
    )
    mes.add_argument("--seed", type=int, default=1)
    one = sub.add_parser("_export")  # one export measurement, run by measure in a fresh process
    one.add_argument("reader")
    one.add_argument("format", choices=["csv", "xlsx"])
    one.add_argument("query")
    args = parser.parse_args()
    if args.command == "generate":
        generate_lines(args.scale, args.seed, args.fresh)
    elif args.command == "measure":
        run_measure(args)
    else:
        refuse_dev_database()
        print(json.dumps(run_export(args.reader, args.format, args.query)))


if __name__ == "__main__":
    main()
