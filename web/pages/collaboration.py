"""Collaboration pages: the areas and their functions, one function (business cases, agreements,
decisions, savings forecast against realised) for its page and its PDF, the agreements with
overdue reviews marked.

Collaboration records are public; the money on them is read through
``FinancialLine.objects.visible_to``, so a figure from a paper or notice the reader may not see
is neither charted nor totalled, and decisions and papers go through their own ``visible_to``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404

from boards.models import Paper
from collaboration.models import (
    BusinessCase,
    CollaboratedFunction,
    CollaborationAgreement,
    CollaborationArea,
)
from decisions.models import DecisionNotice
from finance import summary
from finance.models import FinancialLine
from finance.models.kinds import SUMMED_NATURES
from finance.models.totals import scope_key, scope_label, scope_order
from minutebook import charts, money

from .citations import cite_all
from .links import lines_url, link_visible, visible_by_id

NO_YEAR = "Year not printed"
SAVING_KINDS = (FinancialLine.Kind.FORECAST_SAVING, FinancialLine.Kind.REALISED_SAVING)


def _years(lines) -> list[str]:
    years = sorted({line.financial_year for line in lines if line.financial_year})
    if any(not line.financial_year for line in lines):
        years.append(NO_YEAR)
    return years


def _series(lines, label_of) -> list[charts.Series]:
    """One series per label, one value per year (None where no line), in first-seen order."""
    years = _years(lines)
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    order: list[str] = []
    for line in lines:
        label = label_of(line)
        if label not in sums:
            order.append(label)
        sums[label][line.financial_year or NO_YEAR] += line.amount
    return [charts.Series(label, [sums[label].get(year) for year in years]) for label in order]


def budgets_chart(user) -> tuple[str, list[FinancialLine]]:
    """Collaborated budgets by area and year: budget lines about an area, with the other rows
    of the tables they were printed in (e.g. "Other Collaboration"), so the stacks add up to
    the printed totals."""
    visible = (
        FinancialLine.objects.visible_to(user).counted().filter(kind=FinancialLine.Kind.BUDGET)
    )
    tables = (
        visible.filter(area__isnull=False)
        .exclude(source_table="")
        .values_list("source_table", flat=True)
        .distinct()
    )
    lines = list(
        visible.filter(Q(area__isnull=False) | Q(source_table__in=tables))
        .select_related("area")
        .order_by("position", "pk")
    )
    if not lines:
        return "", []
    series = _series(lines, lambda line: line.area.name if line.area_id else line.description)
    thousands = all(line.in_thousands for line in lines)
    chart = charts.bar_chart(
        title="Collaborated budgets by area and financial year",
        description="Budgets of the collaborated services, stacked by area for each year, "
        "from the tables printed in the papers" + (" (£'000)" if thousands else "") + ".",
        categories=_years(lines),
        series=series,
        stacked=True,
        value_format=money.format_thousands if thousands else money.format_amount,
        chart_id="budgets-chart",
    )
    return chart, lines


def savings_chart(function: CollaboratedFunction, lines: list[FinancialLine]) -> str:
    """Forecast against realised savings of one function by year; a series per kind and scope
    ("Forecast saving, Cambridgeshire"), since an alliance-wide forecast and a Cambridgeshire
    saving are different money (the structured scope, a named partner by its name; a line of
    unrecorded scope apart). Rates and targets are never charted as sums."""
    savings = [
        line
        for line in lines
        if line.kind in SAVING_KINDS
        and line.counted
        and line.confirmed
        and line.nature in SUMMED_NATURES
    ]
    if not savings:
        return ""

    def scope_of(line) -> str:
        """The structured scope's name; for a line of unrecorded scope, its printed words."""
        if line.scope_code:
            return scope_label(scope_key(line.scope_code, line.scope))
        return line.scope

    savings.sort(
        key=lambda line: (
            line.kind,
            scope_order(scope_key(line.scope_code, line.scope)),
            scope_of(line),
            line.position,
            line.pk,
        )
    )

    def label(line: FinancialLine) -> str:
        scope = scope_of(line)
        return f"{line.get_kind_display()}, {scope}" if scope else line.get_kind_display()

    return charts.bar_chart(
        title=f"{function.name}: savings forecast against realised",
        description=f"Savings forecast in business cases and papers against savings realised "
        f"(removed from budget) for {function.name}, by financial year. Forecasts printed "
        f"without a year are shown under “{NO_YEAR}”.",
        categories=_years(savings),
        series=_series(savings, label),
        value_format=money.format_amount,
        chart_id=f"savings-{function.slug}",
    )


def index_context(user) -> dict:
    """The areas with their functions (descriptions with their citations written out) and the
    budgets chart. Queries: areas, functions, the papers the descriptions cite, the chart's
    tables, the chart's lines."""
    areas = list(
        CollaborationArea.objects.select_related("lead_organisation").prefetch_related(
            Prefetch(
                "functions",
                queryset=CollaboratedFunction.objects.select_related("lead_force").order_by("name"),
            )
        )
    )
    cite_all(user, areas, "description")
    chart, _lines = budgets_chart(user)
    return {"areas": areas, "budgets_chart": chart}


def function_lines(user, function: CollaboratedFunction) -> list[FinancialLine]:
    """The function's lines the reader may see, each with the line it reports the same money
    as (``same_as``, joined) unless the reader may not see that one (then ``same_as_hidden``,
    and it is not named), and ``repeated``: whether a line of another record reports its money,
    so the page says where else it is reported, as a paper's page does. One query."""
    repeats = FinancialLine.objects.filter(same_as=OuterRef("pk"))
    shown = FinancialLine.objects.visible_to(user).filter(pk=OuterRef("same_as_id"))
    lines = list(
        FinancialLine.objects.filter(function=function)
        .visible_to(user)
        .with_records(same_as=True)
        .annotate(repeated=Exists(repeats), same_as_shown=Exists(shown))
        .order_by("financial_year", "position", "pk")
    )
    for line in lines:
        if line.same_as_id and not line.same_as_shown:
            line.same_as_hidden = True
    return lines


def function_context(user, slug: str) -> dict:
    """Everything the function page and its PDF show, read through what the reader may see.

    Queries: function+area+lead, its lines, the lines of other records repeating their money
    (only when one is repeated), business cases, agreements, their parties,
    visible notices, visible papers, the papers its description and the cases' assurance
    reviews cite, partners.
    """
    function = get_object_or_404(
        CollaboratedFunction.objects.select_related("area__lead_organisation", "lead_force"),
        slug=slug,
    )
    lines = function_lines(user, function)
    cases = list(BusinessCase.objects.filter(function=function).order_by("approved_on", "pk"))
    for case in cases:
        case.forecast = [
            line
            for line in lines
            if line.business_case_id == case.pk and line.kind == FinancialLine.Kind.FORECAST_SAVING
        ]
    agreements = list(
        CollaborationAgreement.objects.filter(functions=function)
        .select_related("decision_notice", "paper")
        .prefetch_related("parties")
    )
    notice_ids = {a.decision_notice_id for a in agreements if a.decision_notice_id}
    notice_ids |= {line.decision_notice_id for line in lines if line.decision_notice_id}
    notices = list(
        DecisionNotice.objects.visible_to(user)
        .filter(pk__in=notice_ids)
        .order_by("-signed_on", "-pk")
    )
    link_visible(agreements, "decision_notice", {n.pk: n for n in notices})
    paper_ids = {a.paper_id for a in agreements if a.paper_id} | {
        line.paper_id for line in lines if line.paper_id
    }
    paper_ids |= {c.paper_id for c in cases if c.paper_id}
    papers = list(
        Paper.objects.visible_to(user)
        .filter(pk__in=paper_ids)
        .select_related("board")
        .order_by("-date")
    )
    link_visible(cases, "paper", {paper.pk: paper for paper in papers})
    cite_all(user, [function], "description")
    cite_all(user, cases, "assurance_review")
    return {
        "function": function,
        "partners": list(function.partners.order_by("name")),
        "cases": cases,
        "agreements": agreements,
        "notices": notices,
        "papers": papers,
        "money": summary.for_page(lines, all_lines=lines_url(function=function.pk), user=user),
        "chart": savings_chart(function, lines),
        "today": datetime.date.today(),
    }


def agreements_context(user) -> dict:
    """Every agreement, those overdue for their annual review first, then by due date.
    Queries: agreements+notices, functions, parties, visible notices."""
    today = datetime.date.today()
    agreements = list(
        CollaborationAgreement.objects.prefetch_related("functions", "parties").select_related(
            "decision_notice"
        )
    )
    agreements.sort(
        key=lambda a: (
            not a.review_overdue(today),
            a.review_due or datetime.date.max,
            a.title,
        )
    )
    link_visible(
        agreements,
        "decision_notice",
        visible_by_id(
            DecisionNotice.objects.visible_to(user), [a.decision_notice_id for a in agreements]
        ),
    )
    for agreement in agreements:
        agreement.overdue = agreement.review_overdue(today)
    return {
        "agreements": agreements,
        "overdue": sum(a.overdue for a in agreements),
        "today": today,
    }


def agreement_context(user, pk: int) -> dict:
    """One agreement with its functions, parties, and its notice and paper when the reader may
    see them, its notes with their citations written out. Queries: agreement, functions,
    parties, notice, paper (none when not linked), the papers its notes cite."""
    agreement = get_object_or_404(
        CollaborationAgreement.objects.prefetch_related("functions", "parties"), pk=pk
    )
    notices = visible_by_id(DecisionNotice.objects.visible_to(user), [agreement.decision_notice_id])
    papers = visible_by_id(Paper.objects.visible_to(user), [agreement.paper_id])
    cite_all(user, [agreement], "notes")
    return {
        "agreement": agreement,
        "notice": notices.get(agreement.decision_notice_id),
        "paper": papers.get(agreement.paper_id),
        "overdue": agreement.review_overdue(),
    }
