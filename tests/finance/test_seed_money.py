"""The seed financial lines carry the seeds' money exactly, and reproduce every printed total.

Each line is one amount as a seed document prints it (fixtures/seed/07_finance.yaml). Printed
totals are not stored: they are computed here with the ORM from the stored lines and compared
with the figure printed. Where a seed's own figures disagree, the data is left as printed and
the test shows the disagreement (look for "DISAGREEMENT").

Seed files: 001 = Nov/Dec 2015 bundle (papers 1-6, minutes), 002 = BCB paper 19 July 2018
(paper 9), 003 = Police and Crime Panel report 14 March 2018 (paper 8), 004 = BCB paper
25 February 2016 on the ICT agreement (paper 7).
"""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Q, Sum

from collaboration.models import BusinessCase, CollaboratedFunction, CollaborationArea
from decisions.models import DecisionNotice
from finance.models import FinancialLine
from finance.models.totals import LineTotal, scope_key
from minutebook.records import LockedRecordError
from tests.pages import get, parse, table_with_caption, text
from tests.pdf.conftest import text as pdf_text

# Every test reads the database (and marking them makes pytest-django create the test database
# before the module fixture below seeds it).
pytestmark = pytest.mark.django_db

# ------------------------------------------------------------------------------------ helpers


def K(thousands) -> Decimal:
    """£'000 as printed in a table -> pounds."""
    return Decimal(str(thousands)) * 1000


def M(millions) -> Decimal:
    """£m as printed -> pounds."""
    return Decimal(str(millions)) * 1_000_000


PRINTED_TOTAL = FinancialLine.Nature.PRINTED_TOTAL


def total(queryset=None, **filters) -> Decimal:
    """Sum of the amounts of the lines matching ``filters`` (0 when none), never counting a
    printed total (a line of nature "printed total") in the sum it prints."""
    queryset = FinancialLine.objects.all() if queryset is None else queryset
    queryset = queryset.exclude(nature=PRINTED_TOTAL)
    return queryset.filter(**filters).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def lines_of(paper_pk, **filters):
    """A paper's lines, not its printed totals."""
    return FinancialLine.objects.filter(paper_id=paper_pk, **filters).exclude(nature=PRINTED_TOTAL)


def one(paper_pk=None, **filters) -> FinancialLine:
    if paper_pk is not None:
        filters["paper_id"] = paper_pk
    return FinancialLine.objects.get(**filters)


def function(name) -> CollaboratedFunction:
    return CollaboratedFunction.objects.get(name=name)


# Paper pks in 04_papers.yaml.
MELBOURN, RJ, S22A_2015, ROAD_FUND, LQC, INNOVATION, ICT_PAPER, PANEL, BCH_2018 = range(1, 10)

SAVINGS_TABLE = "BCH Cost/Savings since 2014/15"  # 002 l.77
TABLE_1 = "Table 1: BCH Collaborated Budgets 2017/18 to 2021/22"  # 003 l.74
SPEND_TABLE = "§6.14 The Constabulary's spend and savings on collaboration"  # 003 l.89
YEARS_2018 = ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]
YEARS_T1 = ["2017/18", "2018/19", "2019/20", "2020/21", "2021/22"]


# ------------------------------------------------------------------------------ every line


LINES_PER_RECORD = {
    ("paper", RJ): 3,
    ("paper", S22A_2015): 6,  # minute 9.4's "over £3.2 million" is the minute's, not the paper's
    ("paper", ROAD_FUND): 8,
    ("paper", LQC): 5,
    ("paper", INNOVATION): 18,
    ("paper", ICT_PAPER): 8,  # with 'a total of approximately £4.6m' as printed
    ("paper", PANEL): 53,  # with Table 1's TOTAL row and §6.11's two totals as printed
    ("paper", BCH_2018): 56,  # with its table's 26 printed totals and its text's three
    ("decision_notice", 7): 3,  # tuServ and Metis
    ("decision_notice", 10): 2,  # Melbourn
    ("decision_notice", 11): 1,  # Bretton
    # Money printed only in minutes (tests/finance/test_minute_lines.py checks each figure).
    ("minute_paragraph", 10301): 1,  # FSG 27 Aug 2015 item 3: £2.1m
    ("minute_paragraph", 10306): 1,  # £25k
    ("minute_paragraph", 10307): 1,  # about £300k
    ("minute_paragraph", 10401): 1,  # FSG item 4: £226k, cancelled
    ("minute_paragraph", 10402): 2,  # £51k and £83k
    ("minute_paragraph", 30904): 1,  # BCB 26 Nov 2015 minute 9.4: over £3.2 million
    ("minute_paragraph", 31004): 1,  # minute 10.4: approximately £5m
}


def test_every_line_belongs_to_one_seeded_record_and_keeps_the_models_rules(seeded):
    lines = list(FinancialLine.objects.all())
    assert len(lines) == sum(LINES_PER_RECORD.values()) == 171
    for (field, pk), count in LINES_PER_RECORD.items():
        assert FinancialLine.objects.filter(**{f"{field}_id": pk}).count() == count, (field, pk)
    for line in lines:
        # field validators (financial year format), owner and sign rules; full_clean() would
        # also refuse the lines locked with a signed notice, as a form would
        line.clean_fields()
        line.clean_rules()
        line.validate_constraints()
        owners = [
            n
            for n in ("paper", "recommendation", "decision_notice", "minute_paragraph")
            if getattr(line, n)
        ]
        assert len(owners) == 1, line.pk
        assert line.amount >= 0, line.pk  # nothing in the seeds is a negative budget
        assert line.version == 0
        assert line.as_printed, line.pk
    assert not FinancialLine.objects.filter(recommendation__isnull=False).exists()


def test_table_cells_display_exactly_as_printed(seeded):
    """A £'000 cell shows the printed figure: "1,501", "14,282"; a printed "-£795" is a cost."""
    cells = FinancialLine.objects.filter(in_thousands=True)
    # Table 1's printed TOTAL row too, and the 2018 savings table's 26 printed totals
    assert cells.count() == 14 + 5 + 25 + 5 + 26
    for line in cells:
        assert line.display_amount == line.as_printed.lstrip("-£"), line.pk
    assert set(FinancialLine.objects.filter(as_printed__startswith="-").values_list("kind")) == {
        ("cost",)
    }


# ---------------------------------------------------------------- 001: decisions of 2015


def test_tuserv_and_metis_funding_is_on_the_signed_notice_and_locked_with_it(seeded):
    """001 l.199-205: '£197k for tuServ development work', '£599k for further Metis Mobile
    Devices', '£15k for a vehicle-based solution for Metis'; the Commissioner signed."""
    notice = DecisionNotice.objects.get(pk=7)
    assert notice.title == "Funding for Tuserv and Metis Developments"
    assert notice.status == DecisionNotice.Status.SIGNED
    lines = list(notice.financial_lines.order_by("position"))
    assert [(x.description, x.amount, x.as_printed) for x in lines] == [
        ("tuServ development work", K(197), "£197k"),
        ("Further Metis Mobile Devices", K(599), "£599k"),
        ("A vehicle-based solution for Metis", K(15), "£15k"),
    ]
    # The money a signed decision committed cannot change.
    line = lines[0]
    line.amount = K(1)
    with transaction.atomic(), pytest.raises(LockedRecordError):
        line.save()


def test_melbourn_and_bretton_rent_and_savings(seeded):
    """001 l.263 'a rent of £500pa', l.269 'approximately £3,700', l.279 'approximately £12,000'."""
    melbourn = DecisionNotice.objects.get(pk=10).financial_lines.order_by("position")
    assert [(x.kind, x.amount, x.as_printed, x.recurrence) for x in melbourn] == [
        ("cost", Decimal("500.00"), "£500pa", "recurrent"),
        ("forecast_saving", Decimal("3700.00"), "approximately £3,700", "recurrent"),
    ]
    bretton = DecisionNotice.objects.get(pk=11).financial_lines.get()
    assert (bretton.amount, bretton.as_printed) == (Decimal("12000.00"), "approximately £12,000")
    assert all(not x.financial_year for x in [*melbourn, bretton])  # no year is printed


def test_restorative_justice_funding_for_its_three_years(seeded):
    """001 l.340: '£52k ... in 13/14; £90k in 14/15 and £184k in 15/16' - the 'three years of
    non-ringed restorative justice funding' of l.336-338."""
    grants = lines_of(RJ, kind="grant").order_by("position")
    assert [(x.financial_year, x.amount) for x in grants] == [
        ("2013/14", K(52)),
        ("2014/15", K(90)),
        ("2015/16", K(184)),
    ]
    # Not printed as a total; the three years come to £326k.
    assert total(grants) == K(326)


def test_the_2015_s22a_paper_savings_against_baselines_give_the_printed_percentages(seeded):
    """001 l.630/641 '£314k ... baseline cost of £712k', '£314K (44%)'; l.654/668 '£4.3m ...
    £13.8m', '£4.3m (31%)'; l.689/713 '£4.3m ... £30.9m', '£4.3m (14%)'."""
    printed_percent = {"Firearms Licensing": 44, "Human Resources": 31, "Public Contact": 14}
    for prefix, percent in printed_percent.items():
        saving = one(S22A_2015, kind="forecast_saving", description__startswith=prefix)
        baseline = one(S22A_2015, kind="cost", description__startswith=prefix)
        assert round(saving.amount / baseline.amount * 100) == percent, prefix
        assert saving.scope == baseline.scope == "across the Alliance"
        assert saving.business_case.stage == BusinessCase.Stage.FULL
    # DISAGREEMENT (001 l.713 vs l.716): Public Contact's savings are printed as "£4.3m (14%)"
    # while its risk register speaks of "the target 30% savings". Kept as printed.
    public_contact = one(S22A_2015, kind="forecast_saving", function__name="Public Contact")
    assert public_contact.amount / M("30.9") < Decimal("0.30")
    # Minute 9.4 of the meeting that took the paper (001 l.484): "over £3.2 million", printed
    # in the minute, not in the paper: the minute's money, not the same money as the paper's.
    minute = one(as_printed="over £3.2 million")
    assert (minute.amount, minute.scope) == (M("3.2"), "Cambridgeshire Constabulary")
    assert (minute.paper_id, minute.minute_paragraph.number) == (None, "9.4")
    assert minute.same_as_id is None and not minute.repeats.exists()


def test_road_casualty_fund_allocations_and_the_515k_credit(seeded):
    """001 l.855-864 and l.876."""
    lines = lines_of(ROAD_FUND).order_by("position")
    assert [(x.amount, x.kind) for x in lines] == [
        (K(14), "cost"),  # Speedwatch
        (K(146), "cost"),  # static ANPR cameras
        (K(5), "cost"),  # defibrillators
        (K(83), "cost"),  # two Safety Camera Vans, "a total cost of £83k" (no per-van figure)
        (K(20), "grant"),  # the Partnership's initial bid
        (K(1), "grant"),  # Brake, "An estimated £1k"
        (K(41), "grant"),  # the Road Victims' Trust's earlier grant
        (K(515), "underspend"),  # the CTC underspend credited to the Fund
    ]
    credit = lines.get(kind="underspend")
    assert (credit.financial_year, credit.function.name) == (
        "2014/15",
        "Cameras, Tickets and Collisions",
    )
    # The paper prints no total of the first round of allocations (§7.1); they come to £248k,
    # within the £515k credited to the Fund.
    first_round = lines.filter(note__startswith="First round of funding allocations")
    assert first_round.count() == 4
    assert total(first_round) == K(248) < credit.amount
    assert lines.get(amount=K(20)).financial_year == "2015/16"  # "this financial year", 26 Nov 2015


def test_legally_qualified_chairs_fees_and_the_shared_recruitment_costs(seeded):
    """001 l.950-953 fees; l.992 'in the region of £17,000, which will be divided equally between
    the six OPCCs at around £2,800 each'."""
    fees = lines_of(LQC, kind="fee").order_by("position")
    assert [x.amount for x in fees] == [Decimal("366.00"), Decimal("181.00"), Decimal("52.50")]
    assert [x.display_amount for x in fees] == ["£366", "£181", "£52.50"]
    costs = one(LQC, as_printed="in the region of £17,000")
    share = one(LQC, as_printed="around £2,800 each")
    # DISAGREEMENT (rounding, 001 l.992): £17,000 / 6 = £2,833.33, printed "around £2,800";
    # six shares as printed make £16,800, not £17,000.
    assert (costs.amount / 6).quantize(Decimal("0.01")) == Decimal("2833.33")
    assert share.amount * 6 == Decimal("16800.00") != costs.amount


def test_innovation_fund_bids_costs_and_savings_as_printed(seeded):
    """001 l.1073-1140 (= 000 l.62-144). The paper prints each bid's figures and no total."""
    lines = lines_of(INNOVATION)

    def bid(prefix):
        return lines.filter(description__startswith=prefix)

    eoi80 = bid("Cambs EOI number 80")
    costs = [x.amount for x in eoi80.filter(kind="cost").order_by("position")]
    assert costs == [K(933), K(977), K(823)]
    assert costs[0] < costs[1] > costs[2]  # "rising to £977k ... and then falling to £823k"
    assert list(
        eoi80.filter(kind="cost").order_by("position").values_list("financial_year", flat=True)
    ) == [
        "2016/17",
        "2017/18",
        "",  # "from 2018/19 to 2020/21": per year or for the period is not printed
    ]
    assert eoi80.get(as_printed="£1.8m").recurrence == "recurrent"
    assert eoi80.get(as_printed="£1000 per case").amount == Decimal("1000.00")

    eoi97 = bid("Cambs EOI number 97")
    cost_2016 = eoi97.get(kind="cost", financial_year="2016/17")
    capital = eoi97.get(kind="capital")
    # "£4m (including capital expenditure of £2.4m)": the capital is part of the cost.
    assert (cost_2016.amount, capital.amount) == (M(4), M("2.4"))
    assert capital.amount < cost_2016.amount
    assert eoi97.get(as_printed="£444k").amount < cost_2016.amount  # "falling to £444k"
    assert eoi97.get(kind="forecast_saving").as_printed == "over £5m"

    eoi65 = bid("Herts EOI number 65")
    assert total(eoi65, kind="cost") == M("2.4")
    assert total(eoi65, kind="forecast_saving") == M("0.6")
    assert total(eoi65, kind="grant") == M("1.2")

    eoi23 = bid("Bedfordshire (ERSOU) EOI number 23")
    assert total(eoi23, kind="capital") == K(918)
    assert total(eoi23, kind="cost") == K(231)
    assert total(eoi23, kind="forecast_saving", financial_year="2016/17") == K(407)
    assert set(eoi23.values_list("area__slug", flat=True)) == {"ersou"}

    seven = bid("7 Force Strategic Collaboration Programme")
    assert seven.get(kind="forecast_saving").amount == M(220)
    bid_total, funding = seven.get(kind="cost"), seven.get(kind="grant")
    # "the bid for circa £1.4m of which they will request circa £0.7m of bid funding"
    assert (bid_total.amount, funding.amount) == (M("1.4"), M("0.7"))
    assert funding.amount * 2 == bid_total.amount
    assert set(seven.values_list("area__slug", flat=True)) == {"seven-force-programme"}

    assert lines.count() == eoi80.count() + eoi97.count() + eoi65.count() + eoi23.count() + (
        seven.count()
    )


# -------------------------------------------------------------------- 004: the ICT paper


def test_ict_agreement_savings_by_year_reproduce_the_printed_year_totals(seeded):
    """004 l.57-76. Stored: the components. Printed totals: 'FY16/17 – £0.385m' (l.63) and
    'FY17/18 – Circa £1m' (l.68)."""
    ict = lines_of(ICT_PAPER)
    assert set(ict.values_list("function__name", flat=True)) == {"ICT"}
    non_payroll = ict.exclude(description__startswith="Payroll")
    by_year = {
        year: total(non_payroll, financial_year=year)
        for year in ["2014/15", "2015/16", "2016/17", "2017/18"]
    }
    assert by_year == {
        "2014/15": M("0.626"),  # "FY 14/15 - £0.626m"
        "2015/16": M("0.92"),  # "FY 15/16 - £0.92m (Mostly Telecoms)"
        "2016/17": M("0.385"),  # "FY16/17 – £0.385m" = £0.227m + £0.158m
        "2017/18": M(1),  # "FY17/18 – Circa £1m" = £0.1m + £0.9m
    }
    assert (
        ict.filter(financial_year="2016/17").exclude(description__startswith="Payroll").count() == 2
    )
    payroll = ict.get(description__startswith="Payroll")
    assert (payroll.amount, payroll.as_printed, payroll.financial_year) == (
        M("1.507"),
        "Circa £1.507m",
        "2016/17",
    )
    realised = ict.get(kind="realised_saving")
    assert (realised.amount, realised.financial_year) == (M("0.626"), "2014/15")


def test_ict_agreement_itemised_savings_against_the_printed_four_point_six_million(seeded):
    """004 l.57: 'already delivered £0.626m of savings in 2014/2015. It is expected to yield
    further cost savings of about £4.0m over the next 3 years, a total of approximately £4.6m'
    (and 'the cost savings of £4.6m', l.104)."""
    ict = lines_of(ICT_PAPER)
    itemised = total(ict)
    further = total(ict, kind="forecast_saving")
    assert further == M("3.812")  # FY15/16 to FY17/18, the "next 3 years"
    assert sorted(
        set(ict.filter(kind="forecast_saving").values_list("financial_year", flat=True))
    ) == [
        "2015/16",
        "2016/17",
        "2017/18",
    ]
    # The printed totals agree with each other: £0.626m + about £4.0m = approximately £4.6m.
    assert M("0.626") + M("4.0") == M("4.626")
    # DISAGREEMENT (approximate totals vs itemisation, 004 l.57-76): the savings itemised as
    # "already identified" come to £4.438m, not "approximately £4.6m" (£0.162m is not
    # itemised), and the further savings to £3.812m, not "about £4.0m".
    assert itemised == M("4.438")
    assert M("4.6") - itemised == M("0.162")
    assert M("4.0") - further == M("0.188")


# ------------------------------------------------------- 002: the 2018 collaboration paper


ROW_TOTALS = {  # 002 l.79-84, column "Total £'000"
    "Firearms licensing": 113,
    "Information management": 71,
    "ICT": 1501,
    "CJ phase 1": 21,
    "Custody": 92,
    "ERSOU/JPS etc": 4353,
}
TOTAL_RECURRENT = [2600, 926, 920, 547, 1158]  # l.85 "Total recurrent in each year", then 6,151
TOTAL_CUMULATIVE = [2600, 3526, 4446, 4993, 6151]  # l.86 "Total annual cumulative"
TOTAL_SINCE = [2600, 6126, 10572, 15565, 21716]  # l.87 "Total savings from 2014/15"
CHANGE_TEAM = [795, 1895, 1649, 1448, 561]  # l.88 "BCH Change Team costs", printed negative
CHANGE_TEAM_CUMULATIVE = [None, 2690, 4339, 5787, 6348]  # l.89, printed negative, 2014/15 blank


def savings_cells():
    """The 2018 savings table's cells, not the totals it prints."""
    return lines_of(BCH_2018, source_table=SAVINGS_TABLE, kind="realised_saving")


def test_2018_savings_table_cells_are_recurrent_cambridgeshire_thousands(seeded):
    cells = savings_cells()
    assert cells.count() == 14  # the non-empty cells of the six function rows
    for line in cells:
        assert (line.recurrence, line.scope, line.in_thousands) == (
            "recurrent",
            "Cambridgeshire",
            True,
        )
        assert line.financial_year in YEARS_2018
    assert not cells.filter(description__startswith="Total").exists()


def test_2018_savings_table_row_totals(seeded):
    for row, printed in ROW_TOTALS.items():
        assert total(savings_cells(), description=row) == K(printed), row
    assert sum(ROW_TOTALS.values()) == 6151  # the "Total £'000" column's own total


def test_2018_savings_table_year_totals_cumulative_and_since_2014(seeded):
    running = Decimal(0)
    since = Decimal(0)
    for year, recurrent, cumulative, since_printed in zip(
        YEARS_2018, TOTAL_RECURRENT, TOTAL_CUMULATIVE, TOTAL_SINCE, strict=True
    ):
        in_year = total(savings_cells(), financial_year=year)
        assert in_year == K(recurrent), year  # "Total recurrent in each year"
        running += in_year
        assert running == K(cumulative), year  # "Total annual cumulative"
        since += running
        assert since == K(since_printed), year  # "Total savings from 2014/15"
    assert total(savings_cells()) == K(6151)  # the row's total


def test_2018_paper_text_totals_3_7_and_5_3(seeded):
    """002 §3.7 (l.36) 'Recurrent savings ... currently £6.151m ... Total cumulative savings
    since 2014/15 is £21.716m'; §5.3 (l.98) the same two figures."""
    recurrent_now = total(savings_cells())
    cumulative = sum(
        (total(savings_cells(), financial_year__lte=year) for year in YEARS_2018), Decimal(0)
    )
    assert recurrent_now == M("6.151")
    assert cumulative == M("21.716")


def test_2018_change_team_costs_and_their_cumulative_total(seeded):
    """002 l.88-89 and §5.4 (l.99) 'The change team costs in the period shown accumulate to
    £6.348m'."""
    costs = lines_of(BCH_2018, source_table=SAVINGS_TABLE, kind="cost").order_by("financial_year")
    assert [x.as_printed for x in costs] == [f"-£{c:,}" for c in CHANGE_TEAM]
    assert all(x.recurrence == "one_off" and x.amount > 0 for x in costs)
    running = Decimal(0)
    for year, printed in zip(YEARS_2018, CHANGE_TEAM_CUMULATIVE, strict=True):
        running += total(costs, financial_year=year)
        if printed is not None:  # 2014/15 has no cumulative figure printed
            assert running == K(printed), year
    assert total(costs) == M("6.348")


def test_2018_section_6_removed_from_budget_figures_are_the_table_rows(seeded):
    """002 §6.2-6.8: 'Actual savings removed from budget £113k', 'to date £71k', '£1.501m',
    '£92k', '£21k'; HR: 'No savings have been delivered at this time'."""
    removed = {
        "Firearms and Explosives Licensing": K(113),
        "Information Management": K(71),
        "ICT": M("1.501"),
        "Custody": K(92),
        "Criminal Justice": K(21),
        "Human Resources and Learning and Development": Decimal(0),
    }
    for name, printed in removed.items():
        assert total(savings_cells(), function__name=name) == printed, name


def test_2018_business_case_forecasts_belong_to_their_function_and_case(seeded):
    """002 §6.2-6.8 (l.102-111). No financial year is printed for them."""
    forecasts = lines_of(BCH_2018, kind="forecast_saving").order_by("position")
    expected = [
        ("Firearms and Explosives Licensing", K(174), "£174k"),
        ("Firearms and Explosives Licensing", K(112), "£112k"),
        ("Information Management", K(320), "£320k"),
        ("ICT", M("2.202"), "£2.202m"),
        ("Custody", K(278), "£278k"),
        ("Criminal Justice", K(14), "£14k"),
        ("Human Resources and Learning and Development", M("0.99"), "£.99m"),
    ]
    assert [(x.function.name, x.amount, x.as_printed) for x in forecasts] == expected
    for line in forecasts:
        assert line.business_case.function_id == line.function_id
        assert line.business_case.approved_as_printed  # the 2018 paper's month
        assert line.financial_year == ""
        assert line.scope == "Cambridgeshire"
    # §6.2: forecast £112k on the two site model adopted; "Actual savings removed from budget
    # £113k" (the table's Firearms licensing row).
    assert total(savings_cells(), function__name="Firearms and Explosives Licensing") == K(113)


def test_the_2_6m_is_the_ersou_jps_cell_not_added_to_it(seeded):
    """002 §3.4, §5.1, §9.1: '£2.6m'; the table shows it under 2014/15 (l.84, l.94)."""
    two_six = one(BCH_2018, as_printed="£2.6m")
    cell = savings_cells().get(description="ERSOU/JPS etc", financial_year="2014/15")
    assert two_six.amount == cell.amount == M("2.6")
    assert (two_six.source_table, two_six.financial_year) == ("", "")
    assert cell.function is None and cell.area is None  # a row of several functions


# --------------------------------------------------------- 003: the Police and Crime Panel


TABLE_1_TOTAL = [37802, 37359, 38306, 38967, 40249]  # 003 l.82 "TOTAL"


def table_1():
    return FinancialLine.objects.filter(paper_id=PANEL, source_table=TABLE_1).exclude(
        nature=PRINTED_TOTAL
    )


def test_panel_table_1_has_every_cell_but_the_total_row(seeded):
    cells = table_1()
    assert cells.count() == 25
    assert set(cells.values_list("kind", "in_thousands")) == {("budget", True)}
    assert not cells.filter(description__iexact="TOTAL").exists()
    assert dict(
        cells.filter(area__isnull=False).values_list("description", "area__name").distinct()
    ) == {
        "Joint Protective Services": "Joint Protective Services",
        "Organisational Support": "Organisational Support",
        "Operational Support": "Operational Support",
    }
    assert cells.filter(description="Collaboration Overheads", amount=0).count() == 2  # "0"


def test_panel_table_1_total_row_per_year(seeded):
    for year, printed in zip(YEARS_T1, TABLE_1_TOTAL, strict=True):
        assert total(table_1(), financial_year=year) == K(printed), year
    # §6.11 (l.72): "will rise to £40.249m during the life of the newly approved MTFS".
    assert total(table_1(), financial_year="2021/22") == M("40.249")


def test_panel_6_11_text_disagrees_with_table_1_for_2017_18(seeded):
    """DISAGREEMENT (003 l.72 vs l.82): §6.11 says 'The total budget for 2017/18 for BCH was
    £37.342m' while Table 1's TOTAL for 2017/18 prints 37,802 (£'000), which its rows do add up
    to. The lines keep the table as printed; the text's figure is reproduced by nothing."""
    computed = total(table_1(), financial_year="2017/18")
    assert computed == K(37802)
    assert computed != M("37.342")
    assert computed - M("37.342") == K(460)


def test_panel_collaboration_overheads_match_the_2018_change_team_costs(seeded):
    """Across documents: 003 Table 1 'Collaboration Overheads' 1,448 (2017/18) and 561 (2018/19)
    are 002's 'BCH Change Team costs' -£1,448 and -£561 for the same years."""
    for year in ["2017/18", "2018/19"]:
        overheads = table_1().get(description="Collaboration Overheads", financial_year=year)
        change_team = FinancialLine.objects.get(
            paper_id=BCH_2018, description="BCH Change Team costs", financial_year=year
        )
        assert overheads.amount == change_team.amount, year


def test_panel_6_14_figures_are_stored_as_the_millions_they_mean(seeded):
    """003 l.91-93: the headings print "(£'000)" but the rows print "£m" and the figures are
    millions (spend 37.280 beside Table 1's 37,802 £'000): stored as £m."""
    cells = FinancialLine.objects.filter(paper_id=PANEL, source_table=SPEND_TABLE)
    assert cells.count() == 10
    for line in cells:
        assert line.in_thousands is False
        assert f"{line.amount / 1_000_000:.3f}" == line.as_printed, line.pk
        assert "(£'000)" in line.note and "£m" in line.note
    spend = cells.filter(description="Spend on collaboration £m")
    assert spend.get(financial_year="2017/18").amount == M("37.280")
    assert total(spend) == M("176.646")  # not printed; 21.998+37.280+38.284+38.903+40.181
    savings = cells.filter(description="Savings from collaboration £m")
    assert total(savings) == M("2.917")  # not printed
    assert savings.get(financial_year="2016/17").kind == "realised_saving"


def test_panel_and_2018_paper_savings_by_year_compared(seeded):
    """Across documents (different dates: March and July 2018). 2016/17 agrees (0.920 £m and
    920 £'000); DIFFERENCE: 2017/18 prints 0.630 (003) vs 547 (002), 2018/19 1.090 vs 1,158."""
    panel = FinancialLine.objects.filter(
        paper_id=PANEL, description="Savings from collaboration £m"
    )

    def bcb(year):
        return total(savings_cells(), financial_year=year)

    assert panel.get(financial_year="2016/17").amount == bcb("2016/17") == K(920)
    assert panel.get(financial_year="2017/18").amount == K(630) != bcb("2017/18") == K(547)
    assert panel.get(financial_year="2018/19").amount == K(1090) != bcb("2018/19") == K(1158)


def test_panel_savings_plans_and_their_parts(seeded):
    """003 §6.13 (l.84-87), §6.15 (l.95), §7.5 (l.107), §8.1-8.2 (l.122-124)."""
    mtfs = one(PANEL, as_printed="£4.761m")
    parts = lines_of(PANEL, as_printed__in=["£1.75m", "£0.417m"])
    # "This includes savings to the BCH Change Team" (not printed) and the two bullets.
    assert total(parts) == M("2.167") < mtfs.amount
    assert one(PANEL, as_printed="£2.816m").kind == "realised_saving"
    # §6.15 rounds: ICT "£0.4m of savings in 2018/19" is 002's ICT 2018/19 cell £423k rounded;
    # HR "£0.4m" over 2019/20-2021/22 is §6.13's £0.417m rounded.
    ict_2018 = one(PANEL, function__name="ICT", financial_year="2018/19")
    cell = savings_cells().get(description="ICT", financial_year="2018/19")
    assert ict_2018.amount == M("0.4") == round(cell.amount / 100_000) * 100_000
    hr = lines_of(PANEL, function__name="Human Resources and Learning and Development")
    assert sorted(hr.values_list("amount", flat=True)) == [M("0.4"), M("0.417")]
    assert round(M("0.417") / 100_000) * 100_000 == M("0.4")
    seven = lines_of(PANEL, area__slug="seven-force-programme")
    cambs, all_seven = seven.get(scope="Cambridgeshire"), seven.get(scope="across the seven forces")
    assert (cambs.amount, all_seven.amount) == (M("0.665"), M(8))
    local_policing, review = one(PANEL, as_printed="£8.3m"), one(PANEL, as_printed="£3.1m")
    assert review.amount < local_policing.amount  # "delivered in a large part through" the review
    precept = one(PANEL, kind="income")
    assert (precept.amount, precept.as_printed, precept.financial_year) == (
        Decimal("12.00"),
        "£12 per annum",
        "2018/19",
    )


# ----------------------------------------------------------- finance read by collaboration


def test_lines_are_reachable_from_their_function_area_and_business_case(seeded):
    ict = function("ICT")
    assert total(ict.financial_lines.filter(source_table=SAVINGS_TABLE)) == M("1.501")
    fbc = ict.business_cases.get(stage=BusinessCase.Stage.FULL)
    assert set(fbc.financial_lines.values_list("paper_id", flat=True)) == {ICT_PAPER, BCH_2018}
    jps = CollaborationArea.objects.get(slug="joint-protective-services")
    assert total(jps.financial_lines.filter(financial_year="2017/18")) == K(14282)
    # No line belongs only to a function: every amount in the seeds has its paper, notice or
    # minute.
    assert not FinancialLine.objects.of_record_type("function").exists()
    assert (
        FinancialLine.objects.filter(
            Q(paper__isnull=False)
            | Q(decision_notice__isnull=False)
            | Q(minute_paragraph__isnull=False)
        ).count()
        == FinancialLine.objects.count()
    )


# ------------------------------------------------------- figures that repeat or are part of others


def test_a_paper_page_counts_a_repeated_figure_once(seeded, client):
    """The 2018 paper prints £2.6m in its text and as the ERSOU/JPS 2014/15 cell of its table:
    one saving, so its page's realised savings total is the printed £6.151m, not £8.751m."""
    repeat = one(9, as_printed="£2.6m")
    assert repeat.same_as == one(9, description="ERSOU/JPS etc", financial_year="2014/15")
    assert not repeat.counted
    html = client.get("/papers/9/").content.decode()
    assert '<dt>Realised saving</dt><dd><data class="money" value="6151000.00"' in html
    assert "Totals: Cambridgeshire" in html
    assert "Not in totals" in html  # the repeat is still listed, marked


def test_parts_of_a_printed_total_are_not_added_to_it(seeded):
    """§6.13 of the Panel report: £1.75m and £0.417m are part of the £4.761m savings plans, and
    so is §6.15's HR £0.4m over 2019/20 to 2021/22;
    §7.5: Cambridgeshire's £0.665m is part of the £8m across seven forces; §8.2: the £3.1m of
    the Local Policing Review is part of the £8.3m."""
    whole = one(8, as_printed="£4.761m")
    assert {line.as_printed for line in whole.parts.all()} == {"£1.75m", "£0.417m", "£0.4m"}
    assert one(8, as_printed="£0.665m").part_of.as_printed == "£8m"
    assert one(8, as_printed="£3.1m").part_of.as_printed == "£8.3m"
    counted = lines_of(8, kind="forecast_saving", financial_year="").filter(counted=True)
    assert M("4.761") in {line.amount for line in counted}
    assert not counted.filter(amount__in=[M("1.75"), M("0.417"), M("0.665"), M("3.1")]).exists()


def test_the_panels_2016_17_saving_is_not_counted_twice_across_the_two_reports(seeded):
    """Panel §6.14 prints 2016/17 savings of 0.920 £m; the 2018 paper records the same 920
    (£'000) cell by cell. The finance totals count it once."""
    realised = FinancialLine.objects.counted().filter(
        kind="realised_saving", financial_year="2016/17"
    )
    assert total(realised) == K(920)
    assert not one(8, kind="realised_saving", financial_year="2016/17").counted


def test_a_superseded_forecast_is_not_charted_beside_the_one_that_replaced_it(seeded, client):
    """§6.2: Firearms Licensing was forecast to save £174k (single site), then £112k (the two
    site model adopted). The function's savings chart shows £112k."""
    html = client.get(
        function("Firearms and Explosives Licensing").get_absolute_url()
    ).content.decode()
    chart = html[html.index('<figure class="chart"') : html.index("</figure>")]
    assert "£112k" in chart and "£174k" not in chart


# ------------------------------------------------- scope, direction and nature (issue 11, §3)

Scope, Direction, Nature = FinancialLine.Scope, FinancialLine.Direction, FinancialLine.Nature


def test_every_seeded_rate_and_target_is_shown_but_never_in_a_total(seeded):
    rates = FinancialLine.objects.filter(nature=Nature.RATE)
    assert set(rates.values_list("as_printed", flat=True)) == {
        "£500pa",  # Melbourn's rent: ending the lease commits nothing
        "£366",  # for a full sitting
        "£181",  # for a half day sitting
        "£52.50",  # for each hour
        "around £2,800 each",  # per OPCC
        "£1000 per case",
        "£12 per annum",  # the precept increase
    }
    [target] = FinancialLine.objects.filter(nature=Nature.TARGET)
    assert (target.as_printed, target.scope_code) == ("£220m", Scope.SEVEN_FORCES)
    assert not FinancialLine.objects.filter(nature__in=[Nature.RATE, Nature.TARGET]).filter(
        in_totals=True
    )
    assert FinancialLine.objects.filter(nature=Nature.AMOUNT, in_totals=True).count() > 80


def test_the_2015_s22a_baselines_are_the_alliances_and_not_added_to_its_savings(seeded):
    alliance = FinancialLine.objects.filter(scope_code=Scope.ALLIANCE)
    assert set(alliance.values_list("scope", flat=True)) == {"across the Alliance"}
    assert total(alliance, nature=Nature.BASELINE) == M("0.712") + M("13.8") + M("30.9")
    assert total(alliance, kind="forecast_saving") == K(314) + M("4.3") + M("4.3")
    # Cambridgeshire's own "over £3.2 million" is not Alliance money.
    assert one(as_printed="over £3.2 million").scope_code == Scope.CAMBRIDGESHIRE


def test_grants_received_and_grants_paid_out_are_apart(seeded):
    grants = FinancialLine.objects.filter(kind="grant")
    received = grants.filter(direction=Direction.RECEIVES)
    paid = grants.filter(direction=Direction.PAYS)
    assert set(received.values_list("as_printed", flat=True)) == {
        "£52k", "£90k", "£184k",  # Restorative Justice: 'received by Cambridgeshire'
        "£1.2m",  # Herts EOI 65, sought from the Innovation Fund
        "circa £0.7m",  # the seven forces' bid funding
    }  # fmt: skip
    assert set(paid.values_list("as_printed", flat=True)) == {"£20k", "estimated £1k", "£41k"}
    assert set(paid.values_list("scope_code", flat=True)) == {Scope.CAMBRIDGESHIRE}


def test_other_forces_bids_are_their_own_scope(seeded):
    herts = FinancialLine.objects.filter(scope_code=Scope.PARTNER, scope="Herts")
    assert set(herts.values_list("as_printed", flat=True)) == {"£2.4m", "£0.6m", "£1.2m"}
    ersou = FinancialLine.objects.filter(scope_code=Scope.PARTNER, scope="Bedfordshire (ERSOU)")
    assert set(ersou.values_list("as_printed", flat=True)) == {"£918k", "£231k", "£407k"}


def test_the_seeded_stored_totals_never_hold_two_scopes_in_one_bucket(seeded):
    buckets = {}
    for line in FinancialLine.objects.filter(in_totals=True):
        key = (line.financial_year, line.kind, line.direction, line.nature)
        buckets.setdefault(key, set()).add(scope_key(line.scope_code, line.scope))
    stored = {}
    for row in LineTotal.objects.filter(lines__gt=0):
        key = (row.financial_year, row.kind, row.direction, row.nature)
        stored.setdefault(key, set()).add(row.scope)
    assert stored == buckets
    # 2017/18 forecast savings: Cambridgeshire's (Cambs EOI 80, the Panel report) and Herts' apart.
    assert len(buckets[("2017/18", "forecast_saving", Direction.SAVES, Nature.AMOUNT)]) > 1


def test_the_seeded_finance_page_totals_each_scope_apart(seeded, client):
    html = get(client, "/finance/")
    captions = [text(c) for c in parse(html).iter("caption")]
    scopes = [c.split(": ", 1)[1].rsplit(" (", 1)[0] for c in captions if c.startswith("Totals")]
    assert scopes[:3] == [
        "Cambridgeshire",
        "BCH Alliance (Bedfordshire, Cambridgeshire and Hertfordshire)",
        "The seven forces",
    ]
    assert scopes[-1] == "Scope not recorded"
    assert (
        "Herts (a named partner)" in scopes and "Bedfordshire (ERSOU) (a named partner)" in scopes
    )
    assert "£220" not in html  # the seven forces' target is never a total


# ---------------------------------------------- the same money reported twice (issue 11, §4)


def test_the_2_6m_of_the_2018_text_is_linked_as_the_same_money_as_its_table_cell(seeded, client):
    two_six = one(BCH_2018, as_printed="£2.6m")
    cell = savings_cells().get(description="ERSOU/JPS etc", financial_year="2014/15")
    assert (two_six.same_as, two_six.part_of, two_six.counted) == (cell, None, False)
    assert cell.in_totals and not two_six.in_totals
    html = get(client, two_six.paper.get_absolute_url())
    section = next(div for div in parse(html).iter("div") if div.get("class") == "same-money")
    assert "is the same money as" in text(section) and "The two figures agree." in text(section)


@pytest.mark.parametrize(
    ("part", "whole"),
    [
        ("£2.4m", "£4m"),  # 000/001 EOI 97: 'including capital expenditure of £2.4m'
        ("£0.4m", "£4.761m"),  # 003 §6.15 HR, inside §6.13's MTFS savings plans
        ("£0.417m", "£4.761m"),
        ("£1.75m", "£4.761m"),
    ],
)
def test_a_part_is_linked_to_its_whole_and_not_counted_again(seeded, part, whole):
    lines = FinancialLine.objects.filter(as_printed=part, part_of__as_printed=whole)
    assert lines.exists(), (part, whole)
    assert not lines.filter(in_totals=True).exists()


def test_the_ict_0_4m_of_2018_19_is_part_of_that_years_savings(seeded):
    ict = one(description="ICT savings due in 2018/19")
    assert (ict.part_of.financial_year, ict.part_of.as_printed) == ("2018/19", "1.090")
    assert not ict.in_totals


def test_a_figure_that_disagrees_with_the_one_it_repeats_is_kept_and_the_page_says_so(
    seeded, client
):
    """Linking two printed figures that differ keeps both and says so in words."""
    hr = one(description="Savings within the HR unit")
    assert hr.amount == M("0.417")
    rounded = one(description="HR savings over the period 2019/20 to 2021/22")
    FinancialLine.objects.filter(pk=rounded.pk).update(part_of=None, same_as=hr, counted=False)
    html = get(client, rounded.paper.get_absolute_url())
    section = next(div for div in parse(html).iter("div") if div.get("class") == "same-money")
    assert "The two figures disagree by £17k" in text(section)
    assert FinancialLine.objects.get(pk=rounded.pk).amount == M("0.4")  # kept as printed


# ------------------------------------ printed totals and contradictions on the page (§6)


def test_table_1s_printed_total_row_is_shown_beside_the_computed_one(seeded, client):
    printed = FinancialLine.objects.filter(
        paper_id=PANEL, source_table=TABLE_1, nature=PRINTED_TOTAL
    )
    assert [line.amount for line in printed.order_by("financial_year")] == [
        K(v) for v in TABLE_1_TOTAL
    ]
    assert not printed.filter(in_totals=True).exists()  # never added to what it totals
    html = get(client, f"/papers/{PANEL}/")
    checks = next(ul for ul in parse(html).iter("ul") if ul.get("class") == "printed-totals")
    assert "TOTAL 2017/18: printed 37,802, computed from the rows 37,802: they agree." in text(
        checks
    )
    assert "are computed by this site from its rows" in html


def test_the_panels_37_342m_against_its_table_is_said_in_words(seeded, client):
    text_figure = one(PANEL, as_printed="£37.342m")
    assert not text_figure.in_totals
    html = get(client, f"/papers/{PANEL}/")
    section = next(div for div in parse(html).iter("div") if div.get("class") == "contradictions")
    words = text(section)
    assert "£37.342m" in words and "37,802" in words and "£460k more than the text" in words
    assert "labels its rows £m" in words  # §6.14's £'000 heading on figures in £m


def test_the_ict_papers_4_6m_against_its_items_is_said_in_words(seeded, client):
    printed = one(ICT_PAPER, as_printed="approximately £4.6m")
    assert total(lines_of(ICT_PAPER)) == M("4.438") != printed.amount
    html = get(client, f"/papers/{ICT_PAPER}/")
    section = next(div for div in parse(html).iter("div") if div.get("class") == "contradictions")
    assert "add up to £4.438m" in text(section)


def test_the_panel_reports_pdf_says_its_printed_totals_and_contradictions(seeded, client):
    printed = pdf_text(client.get(f"/papers/{PANEL}.pdf"))
    assert "TOTAL 2017/18 printed 37,802, computed from the rows 37,802: they agree" in printed
    assert "£460k more than the text" in printed


def test_where_the_panel_and_the_2018_paper_disagree_on_a_years_savings_the_page_says_so(
    seeded, client
):
    """003 §6.14 against 002's 'Total recurrent in each year': 2016/17 agrees (920, counted
    once); 2017/18 and 2018/19 do not, and the Panel report's page says by how much."""
    for year, panel, paper in (("2017/18", "0.630", 547), ("2018/19", "1.090", 1158)):
        assert one(PANEL, source_table=SPEND_TABLE, financial_year=year, as_printed=panel)
        assert total(savings_cells(), financial_year=year) == K(paper)
    html = get(client, f"/papers/{PANEL}/")
    section = next(div for div in parse(html).iter("div") if div.get("class") == "contradictions")
    assert "disagree by £83k" in text(section) and "disagree by £68k" in text(section)
    html = get(client, f"/papers/{ICT_PAPER}/")
    section = next(div for div in parse(html).iter("div") if div.get("class") == "contradictions")
    assert "prints no ICT saving for 2014/15" in text(section)


# ------------------------- the printed totals of the 2018 paper and what they total (§6)


def added_up_by_the_orm(printed: FinancialLine) -> Decimal:
    """What the lines a printed total says it totals add up to, asked of the database apart
    from the pages' own code: the counted lines of its table (its ``printed_total_table``, else
    its own) of its kind; its year's, its row's, all of them, those up to its year, or the
    totals up to each year added up (no year: to the table's last)."""
    table = printed.printed_total_table or printed.source_table
    cells = FinancialLine.objects.filter(
        paper_id=printed.paper_id, source_table=table, kind=printed.kind, in_totals=True
    )
    years = sorted(set(cells.values_list("financial_year", flat=True)))
    if printed.financial_year:
        years = [year for year in years if year <= printed.financial_year]
    of = printed.printed_total_of or ("year" if printed.financial_year else "table")
    if of == "row":
        return total(cells, description=printed.description)
    if of == "year":
        return total(cells, financial_year=printed.financial_year)
    if of == "table":
        return total(cells)
    if of == "running":
        return total(cells, financial_year__in=years)
    assert of == "accumulated", of
    return sum((total(cells, financial_year__lte=year) for year in years), Decimal(0))


def printed_totals(paper_pk):
    return FinancialLine.objects.filter(paper_id=paper_pk, nature=PRINTED_TOTAL).order_by(
        "position"
    )


def test_the_2018_paper_prints_its_tables_totals_as_lines_as_printed(seeded):
    """002 l.79-89 (the Total £'000 column and the total rows), §3.7/§5.3 (l.36, l.98) and §5.4
    (l.99): each printed total is a line of its figure as printed, never in a total."""
    printed = printed_totals(BCH_2018)
    table = printed.filter(source_table=SAVINGS_TABLE)
    assert {row: K(v) for row, v in ROW_TOTALS.items()} == dict(
        table.filter(printed_total_of="row").values_list("description", "amount")
    )
    for label, of, figures in (
        ("Total recurrent in each year", "year", TOTAL_RECURRENT),
        ("Total annual cumulative", "running", TOTAL_CUMULATIVE),
        ("Total savings from 2014/15", "accumulated", TOTAL_SINCE),
        ("Total Cumulative Change Team costs", "running", CHANGE_TEAM_CUMULATIVE),
    ):
        found = table.filter(description=label, printed_total_of=of).exclude(financial_year="")
        expected = {y: K(v) for y, v in zip(YEARS_2018, figures, strict=True) if v is not None}
        assert dict(found.values_list("financial_year", "amount")) == expected, label
    whole = table.get(description="Total recurrent in each year", financial_year="")
    assert (whole.amount, whole.as_printed, whole.printed_total_of) == (K(6151), "£6,151", "table")
    in_text = printed.filter(source_table="")
    assert [(x.as_printed, x.printed_total_of, x.printed_total_table) for x in in_text] == [
        ("£6.151m", "table", SAVINGS_TABLE),
        ("£21.716m", "accumulated", SAVINGS_TABLE),
        ("£6.348m", "table", SAVINGS_TABLE),
    ]
    assert printed.count() == 29
    assert not printed.filter(in_totals=True).exists()  # never added to what they total


def test_each_printed_total_of_the_2018_paper_is_what_its_lines_add_up_to(seeded):
    """Every printed total of the 2018 paper, computed from the lines it totals: all agree."""
    for printed in printed_totals(BCH_2018):
        assert added_up_by_the_orm(printed) == printed.amount, (printed.pk, printed.description)


def test_the_panels_section_6_11_totals_against_table_1_computed_from_its_lines(seeded):
    """003 §6.11: £40.249m is Table 1's 2021/22 TOTAL; DISAGREEMENT: £37.342m for 2017/18 is
    £460k less than the 37,802 its rows add up to."""
    low, rise = one(PANEL, as_printed="£37.342m"), one(PANEL, as_printed="£40.249m")
    assert (low.printed_total_table, rise.printed_total_table) == (TABLE_1, TABLE_1)
    assert added_up_by_the_orm(rise) == rise.amount == M("40.249")
    assert added_up_by_the_orm(low) == K(37802) == low.amount + K(460)
    for printed in printed_totals(PANEL).filter(source_table=TABLE_1):
        assert added_up_by_the_orm(printed) == printed.amount, printed.financial_year


def test_the_2018_papers_page_sets_each_printed_total_beside_the_computed_one(seeded, client):
    html = get(client, f"/papers/{BCH_2018}/")
    checks = [
        text(li)
        for ul in parse(html).iter("ul")
        if ul.get("class") == "printed-totals"
        for li in ul.iter("li")
    ]
    assert len(checks) == 29
    assert all(check.endswith("they agree.") for check in checks), checks
    for said in (
        "Row total of “ICT”: printed £1,501, computed from the rows 1,501: they agree.",
        "Total recurrent in each year 2017/18: printed £547, computed from the rows 547: they agree.",
        "Total recurrent in each year: printed £6,151, computed from the rows 6,151: they agree.",
        "Total savings from 2014/15 2016/17: printed £10,572, computed from the rows 10,572: they "
        "agree.",
        "Total Cumulative Change Team costs 2018/19: printed -£6,348, computed from the rows 6,348:"
        " they agree.",
        "Recurrent savings for Cambridgeshire from collaboration: printed £6.151m, computed from "
        "the rows £6.15m: they agree.",
        "Total cumulative savings since 2014/15: printed £21.716m, computed from the rows £21.72m:"
        " they agree.",
        "The change team costs in the period shown: printed £6.348m, computed from the rows "
        "£6.35m: they agree.",
    ):
        assert said in checks, said


def test_the_panels_page_says_where_its_text_total_differs_from_its_table(seeded, client):
    html = get(client, f"/papers/{PANEL}/")
    checks = " ".join(
        text(ul) for ul in parse(html).iter("ul") if ul.get("class") == "printed-totals"
    )
    assert (
        "The total budget for 2017/18 for BCH 2017/18: printed £37.342m, computed from the rows "
        "£37.80m: they differ by £460k."
    ) in checks
    assert "(through to 2021/22) 2021/22: printed £40.249m, computed from the rows £40.25m: " in (
        checks
    )


def test_totals_the_2018_paper_does_not_print_are_labelled_computed_by_this_site(seeded, client):
    """The change team's costs print no total for each year nor a Total column; the savings
    table prints all of its totals, so the site's own are marked as having printed figures."""
    root = parse(get(client, f"/papers/{BCH_2018}/"))
    costs = table_with_caption(root, f"{SAVINGS_TABLE}: cost")
    heads = [text(th) for th in costs.find("thead").iter("th")]
    assert heads[-1] == "Total (computed by this site)"
    foot = [text(tr.find("th")) for tr in costs.find("tfoot").findall("tr")]
    assert foot == [
        "Total in each year (computed by this site)",
        "Running total (computed; printed figures below)",
    ]
    savings = table_with_caption(root, f"{SAVINGS_TABLE}: realised saving")
    foot = [text(tr.find("th")) for tr in savings.find("tfoot").findall("tr")]
    assert foot == [
        "Total recurrent in each year (computed; printed figures below)",
        "Total annual cumulative (computed; printed figures below)",
        "Total since 2014/15 (computed; printed figures below)",
    ]


def test_the_paper_pdf_prints_the_2018_papers_totals_beside_the_computed_ones(seeded, client):
    printed = pdf_text(client.get(f"/papers/{BCH_2018}.pdf"))
    assert "Total savings from 2014/15 2018/19 printed £21,716, computed from the rows" in printed
    assert "(computed by this site)" in printed


# ------------------- the Panel report's savings by year and the 2018 paper's year totals (§4)

SAME_YEARS = [  # 003 §6.14 (l.93) against 002 l.85: (year, Panel as printed, 2018 paper £'000)
    ("2016/17", "0.920", 920),
    ("2017/18", "0.630", 547),
    ("2018/19", "1.090", 1158),
]


@pytest.mark.parametrize(("year", "panel", "paper"), SAME_YEARS)
def test_the_panels_savings_of_a_year_are_the_same_money_as_the_2018_papers_year_total(
    seeded, year, panel, paper
):
    """Linked as one fact: the Panel's figure is not counted, the 2018 paper's cells are; where
    the two differ (2017/18 by £83k, 2018/19 by £68k) both are kept and the line says so."""
    repeat = one(PANEL, source_table=SPEND_TABLE, financial_year=year, as_printed=panel)
    year_total = repeat.same_as
    assert (year_total.paper_id, year_total.description, year_total.financial_year) == (
        BCH_2018,
        "Total recurrent in each year",
        year,
    )
    assert year_total.amount == K(paper) == added_up_by_the_orm(year_total)
    assert not repeat.counted and not repeat.in_totals
    difference = abs(repeat.amount - year_total.amount)
    assert difference == {"2016/17": 0, "2017/18": K(83), "2018/19": K(68)}[year]
    if difference:
        assert f"disagree by £{difference // 1000}k" in repeat.contradiction
    # Counted once: the year's Cambridgeshire savings are the 2018 paper's cells alone.
    counted = FinancialLine.objects.counted().filter(
        scope_code="cambridgeshire", financial_year=year, kind__in=["realised_saving"]
    )
    assert total(counted.filter(paper_id__in=[PANEL, BCH_2018])) == K(paper)
    assert not FinancialLine.objects.counted().filter(pk=repeat.pk).exists()


def test_the_panels_page_says_which_years_savings_are_reported_twice_and_by_how_much(
    seeded, client
):
    html = get(client, f"/papers/{PANEL}/")
    section = next(div for div in parse(html).iter("div") if div.get("class") == "same-money")
    items = [text(li) for li in section.iter("li") if "Savings from collaboration" in text(li)]
    assert len(items) == 3
    said = " ".join(items)
    assert said.count("is the same money as “Total recurrent in each year”") == 3
    assert "a total as printed whose lines are counted instead" in said
    assert "(£547k, printed “£547”)" in said  # the other line as its document prints it
    assert "The two figures agree." in said
    assert "The two figures disagree by £83k" in said and "The two figures disagree by £68k" in said


def test_the_finance_page_lists_the_seeds_disagreements_for_the_public(seeded, client):
    html = get(client, "/finance/")
    section = next(s for s in parse(html).iter("section") if s.get("class") == "disagreements")
    words = text(section)
    assert (
        "the two figures disagree by £83k" in words and "the two figures disagree by £68k" in words
    )
    assert "£460k more than the text" in words  # §6.11 against Table 1
    assert "add up to £4.438m" in words  # the ICT paper's £4.6m
    assert "prints no ICT saving for 2014/15" in words


def test_the_2018_papers_page_says_where_the_panel_reports_its_year_totals_again(seeded, client):
    """The page that counts the money says that the Panel report prints it too, and by how
    much the two disagree."""
    html = get(client, f"/papers/{BCH_2018}/")
    section = next(div for div in parse(html).iter("div") if div.get("class") == "same-money")
    items = [
        text(li)
        for li in section.iter("li")
        if "reports the same money as “Total recurrent in each year” here" in text(li)
    ]
    assert len(items) == 3
    assert all("Monitoring the Delivery of the Police and Crime Commissioner" in i for i in items)
    said = " ".join(items)
    assert "The two figures agree." in said
    assert "The two figures disagree by £83k" in said and "The two figures disagree by £68k" in said
