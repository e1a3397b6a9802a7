"""The access matrix: every role × every surface × a hidden record of every kind.

Roles: the anonymous public, a staff login with no reading permission ("clerk": the public's
view), a member of another board (jcob), a member (of bcb and of the private board), a finance
officer (staff in "Finance officers": the public's records, every line of money, with the title
of the record each line belongs to), a signatory and OPCC staff (the "Signatories" and "OPCC
staff" groups, not superusers: both hold ``boards.read_restricted`` and read everything).

Hidden records, each with its own marker words and amounts: an exempt item with its minute and
action, an exempt paper with money (a cost, a saving about a collaborated function, a budget
about a collaboration area), draft minutes (paragraph, action, attendance), a draft and a
signed-but-unpublished notice with money, a private board with a meeting, a paper and money, a
public sub-group of the private board, a published notice taken at the private board's meeting,
and the other board's exempt paper with money.

Surfaces: home, the boards list and pages, meeting pages, the paper list (with a board filter
and a word search) and pages, the action log (with an owner filter), the register, its filter
and CSV, notice pages, /finance/ (totals, year choices, the count of lines), its lines, CSV and
XLSX (whole and filtered), the collaboration pages and charts, and every PDF (minutes, pack,
paper, notice, function).

One table (``SURFACES``): for each URL, the status and the markers each role must read there.
Every hidden marker is checked on every URL for every role, both ways: present exactly where the
table says the role is entitled to it, absent everywhere else. The matrix runs twice: with the
caches emptied before each request, and once more per URL with every role in turn, most
entitled first, the caches kept (a cached PDF, count or filter choice served to the wrong
reader is a leak). The module prints the number of requests at its end.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.test import Client
from pypdf import PdfReader

from decisions.services import publish_notice, sign_notice
from finance.groups import finance_officers_group
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    MembershipFactory,
    MinuteParagraphFactory,
    PaperFactory,
    PersonFactory,
    UserFactory,
    approve,
)
from tests.finance.factories import (
    BusinessCaseFactory,
    CollaboratedFunctionFactory,
    CollaborationAgreementFactory,
    CollaborationAreaFactory,
    FinancialLineFactory,
)
from web.management.commands.demo_users import opcc_staff_group, signatories_group

pytestmark = pytest.mark.django_db

# -- roles ----------------------------------------------------------------------------------------

# "clerk": a staff login (``is_staff``, the admin) with neither reading permission reads the
# site as the public does.
ROLES = ("anonymous", "clerk", "other", "member", "finance", "signatory", "staff")
ALL = frozenset(ROLES)
# Restricted records of bcb and of the private board (the member sits on both).
R = frozenset({"member", "signatory", "staff"})
# Money of those records: the finance officer reads every line.
M = R | {"finance"}
# Restricted records of the other board (jcob), and their money.
J = frozenset({"other", "signatory", "staff"})
JM = J | {"finance"}
NOBODY = frozenset()

# -- markers --------------------------------------------------------------------------------------
# Words (compared in lower case) and amounts, each in one record only. Amounts are not whole
# thousands, so every surface prints them in full ("£731,113"), and each hidden line has a year
# and kind of its own, so a cell of the totals grid is that line's amount alone.

AMOUNTS = {
    "pub_amount": 119993,
    "pub_budget_amount": 108887,
    "pub_saving_amount": 91919,
    "ex_amount": 731113,
    "ex_saving_amount": 642227,
    "ex_budget_amount": 553331,
    "dn_amount": 464441,
    "sn_amount": 375553,
    "priv_amount": 286661,
    "j_amount": 197771,
}
YEARS = {
    "pub_year": "2015/16",
    "ex_year": "2030/31",
    "ex_saving_year": "2031/32",
    "ex_budget_year": "2032/33",
    "dn_year": "2033/34",
    "sn_year": "2034/35",
    "priv_year": "2035/36",
    "j_year": "2008/09",
}
WORDS = {
    # public: checked where the table says they are shown (the twins of the hidden ones)
    "pub_item": "mkpubitem",
    "pub_minute": "mkpubminute",
    "pub_action": "mkpubaction",
    "pub_paper": "mkpubpaper",
    "pub_body": "mkpubbody",
    "pub_line": "mkpubline",
    "pub_notice": "mkpubnotice",
    "pubpriv_notice": "mkpubprivnotice",
    "sub_name": "mkestatessub",
    "draft_agenda": "mkdraftagenda",
    "agreement": "mkagreement",
    "function": "mkfunction",
    # hidden
    "ex_item": "mkexitem",
    "ex_minute": "mkexminute",
    "ex_action": "mkexaction",
    "ex_owner": "mkexowner",
    "ex_paper": "mkexpaper",
    "ex_body": "mkexbody",
    "ex_line": "mkexline",
    "ex_saving": "mkexsaving",
    "ex_budget": "mkexbudget",
    "draft_minute": "mkdraftminute",
    "draft_action": "mkdraftaction",
    "draft_owner": "mkdraftowner",
    "draft_attendee": "mkdraftattendee",
    "dn_title": "mkdraftnotice",
    "dn_text": "mkdraftdecision",
    "dn_maker": "mkdraftmaker",
    "dn_line": "mkdnline",
    "sn_title": "mksignednotice",
    "sn_text": "mksigneddecision",
    "sn_line": "mksnline",
    "sn_ref": "cpcc 2017-001",  # the reference signing gives it (signed in 2017, the first)
    "priv_name": "zephyrine",  # the private board's name, slug and short name all hold it
    "priv_item": "mkprivitem",
    "priv_minute": "mkprivminute",
    "priv_action": "mkprivaction",
    "priv_paper": "mkprivpaper",
    "priv_body": "mkprivbody",
    "priv_line": "mkprivline",
    "j_paper": "mkjcobpaper",
    "j_line": "mkjline",
}
PUBLIC_MARKERS = {
    "pub_item",
    "pub_minute",
    "pub_action",
    "pub_paper",
    "pub_body",
    "pub_line",
    "pub_notice",
    "pubpriv_notice",
    "sub_name",
    "draft_agenda",
    "agreement",
    "function",
    "pub_amount",
    "pub_budget_amount",
    "pub_saving_amount",
    "pub_year",
}
MARKERS = {**WORDS, **YEARS, **{k: str(v) for k, v in AMOUNTS.items()}}
HIDDEN = sorted(set(MARKERS) - PUBLIC_MARKERS)


def spelled(key: str, kind: str) -> str:
    """How a marker is written in a response of ``kind``: an amount is "731,113" on pages and
    in PDFs, "731113.00" in the CSV and the number 731113 in the workbook."""
    if key in AMOUNTS:
        value = AMOUNTS[key]
        return {"csv": f"{value}.00", "xlsx": str(value)}.get(kind, f"{value:,}")
    return MARKERS[key].lower()


# -- the records ----------------------------------------------------------------------------------

DAY = datetime.date(2015, 11, 26)
DRAFT_DAY = datetime.date(2015, 12, 16)
PRIVATE_DAY = datetime.date(2016, 3, 1)
SUB_DAY = datetime.date(2016, 4, 1)
JCOB_DAY = datetime.date(2016, 5, 1)
NEXT_DAY = datetime.date.today() + datetime.timedelta(days=30)


def line(amount_key, year_key, kind="cost", **owner):
    description = owner.pop("description")
    return FinancialLineFactory(
        description=description,
        amount=Decimal(AMOUNTS[amount_key]),
        financial_year=YEARS[year_key],
        kind=kind,
        **owner,
    )


def build_world() -> dict:
    """Every record and user of the matrix. Returns the values the URLs are built from."""
    w = WORDS
    staff = UserFactory(username="matrix-staff", is_staff=True)
    staff.groups.add(opcc_staff_group())
    signatory = UserFactory(username="matrix-signatory", is_staff=True)
    signatory.groups.add(signatories_group())
    finance = UserFactory(username="matrix-finance", is_staff=True)
    finance.groups.add(finance_officers_group())
    clerk = UserFactory(username="matrix-clerk", is_staff=True)
    member = UserFactory(username="matrix-member")
    other = UserFactory(username="matrix-other")

    bcb = BoardFactory(name="Business Coordination Board", slug="bcb", short_name="BCB")
    jcob = BoardFactory(name="Joint Chief Officer Board", slug="jcob", short_name="JCOB")
    private = BoardFactory(
        name="Zephyrine Chiefs Group", slug="zephyrine", short_name="ZEPHYRINE", is_public=False
    )
    sub = BoardFactory(name="Mkestatessub Group", slug="estates", short_name="ESG", parent=private)
    member_person = PersonFactory(full_name="Matrix Member", user=member)
    other_person = PersonFactory(full_name="Matrix Other", user=other)
    for board in (bcb, private):
        MembershipFactory(board=board, person=member_person)
    MembershipFactory(board=jcob, person=other_person)

    # bcb, approved minutes: a public item and an exempt item with its minute and action; a
    # public paper and an exempt paper with money.
    m1 = MeetingFactory(board=bcb, date=DAY)
    pub_paper = PaperFactory(
        board=bcb,
        meeting=m1,
        title=f"{w['pub_paper']} Restorative justice",
        body=f"1.1 {w['pub_body']} the purpose.",
    )
    ex_paper = PaperFactory(
        board=bcb,
        meeting=m1,
        title=f"{w['ex_paper']} Estates disposal",
        body=f"1.1 {w['ex_body']} the price.",
        access="exempt",
        exemption_reason="Paragraph 3",
    )
    pub_item = AgendaItemFactory(
        meeting=m1, number="6", title=f"{w['pub_item']} Justice", paper=pub_paper
    )
    MinuteParagraphFactory(item=pub_item, text=f"{w['pub_minute']} The Board approved it.")
    ActionFactory(
        meeting=m1,
        item=pub_item,
        text=f"{w['pub_action']} Write up the principles",
        owner=PersonFactory(full_name="Public Owner"),
    )
    ex_item = AgendaItemFactory(
        meeting=m1,
        number="7",
        title=f"{w['ex_item']} Secret matter",
        is_exempt=True,
        exemption_reason="Paragraph 3",
        paper=ex_paper,
    )
    MinuteParagraphFactory(item=ex_item, text=f"{w['ex_minute']} Confidential price discussed.")
    ActionFactory(
        meeting=m1,
        item=ex_item,
        text=f"{w['ex_action']} Negotiate the price",
        owner=PersonFactory(full_name="Mkexowner Person"),
    )
    approve(m1)

    area = CollaborationAreaFactory(name="Joint Protective Services", slug="jps")
    function = CollaboratedFunctionFactory(name="Mkfunction ICT", slug="ict", area=area)
    BusinessCaseFactory(function=function, paper=ex_paper)
    line("pub_amount", "pub_year", description=w["pub_line"], paper=pub_paper)
    line(
        "pub_budget_amount",
        "pub_year",
        "budget",
        description="Public budget",
        paper=pub_paper,
        area=area,
    )
    line(
        "pub_saving_amount",
        "pub_year",
        "forecast_saving",
        description="Public saving",
        paper=pub_paper,
        function=function,
    )
    line("ex_amount", "ex_year", "capital", description=w["ex_line"], paper=ex_paper)
    line(
        "ex_saving_amount",
        "ex_saving_year",
        "forecast_saving",
        description=w["ex_saving"],
        paper=ex_paper,
        function=function,
    )
    line(
        "ex_budget_amount",
        "ex_budget_year",
        "budget",
        description=w["ex_budget"],
        paper=ex_paper,
        area=area,
    )

    # bcb, draft minutes: the agenda is public, the minutes are not.
    m2 = MeetingFactory(board=bcb, date=DRAFT_DAY)
    draft_item = AgendaItemFactory(meeting=m2, number="1", title=f"{w['draft_agenda']} Bids")
    MinuteParagraphFactory(item=draft_item, text=f"{w['draft_minute']} Not yet approved.")
    ActionFactory(
        meeting=m2,
        item=draft_item,
        text=f"{w['draft_action']} Review the bids",
        owner=PersonFactory(full_name="Mkdraftowner Person"),
    )
    AttendanceFactory(meeting=m2, person=PersonFactory(full_name="Mkdraftattendee Person"))
    # bcb, a meeting to come: the open actions arise there.
    MeetingFactory(board=bcb, date=NEXT_DAY, status="scheduled", minutes_status="none")

    # Notices taken at m1: published (public), signed only, draft; both hidden ones with money.
    published = DecisionNoticeFactory(meeting=m1, title=f"{w['pub_notice']} Justice extension")
    published.papers.add(pub_paper)
    signed = DecisionNoticeFactory(
        meeting=m1,
        title=f"{w['sn_title']} Melbourn lease",
        decision=f"{w['sn_text']} approves the lease.",
    )
    signed.papers.add(pub_paper)
    line("sn_amount", "sn_year", "income", description=w["sn_line"], decision_notice=signed)
    draft = DecisionNoticeFactory(
        meeting=m1,
        title=f"{w['dn_title']} Unsigned",
        decision=f"{w['dn_text']} would approve.",
        decision_maker=PersonFactory(full_name="Mkdraftmaker Person"),
    )
    draft.papers.add(pub_paper)
    line("dn_amount", "dn_year", "grant", description=w["dn_line"], decision_notice=draft)
    sign_notice(notice=published, user=signatory, signed_on=DAY)
    publish_notice(notice=published, user=signatory, published_on=DAY)
    sign_notice(notice=signed, user=signatory, signed_on=datetime.date(2017, 2, 3))
    CollaborationAgreementFactory(
        title="Mkagreement ICT s22A", decision_notice=draft, paper=ex_paper
    ).functions.add(function)

    # The private board: an approved meeting with an item, minute and action, a published
    # public paper with money, and a published notice taken there.
    mp = MeetingFactory(board=private, date=PRIVATE_DAY)
    priv_paper = PaperFactory(
        board=private,
        meeting=mp,
        title=f"{w['priv_paper']} Chiefs pay",
        body=f"1.1 {w['priv_body']} the award.",
    )
    priv_item = AgendaItemFactory(
        meeting=mp, number="1", title=f"{w['priv_item']} Pay", paper=priv_paper
    )
    MinuteParagraphFactory(item=priv_item, text=f"{w['priv_minute']} Agreed.")
    ActionFactory(meeting=mp, item=priv_item, text=f"{w['priv_action']} Tell the chiefs")
    approve(mp)
    line("priv_amount", "priv_year", "fee", description=w["priv_line"], paper=priv_paper)
    pubpriv = DecisionNoticeFactory(meeting=mp, title=f"{w['pubpriv_notice']} Pay award")
    sign_notice(notice=pubpriv, user=signatory, signed_on=PRIVATE_DAY)
    publish_notice(notice=pubpriv, user=signatory, published_on=PRIVATE_DAY)

    # The public sub-group of the private board, with an approved meeting.
    es1 = MeetingFactory(board=sub, date=SUB_DAY)
    MinuteParagraphFactory(
        item=AgendaItemFactory(meeting=es1, number="1", title="Estates"), text="The sub-group met."
    )
    approve(es1)

    # The other board: an approved meeting and an exempt paper with money.
    jm = MeetingFactory(board=jcob, date=JCOB_DAY)
    approve(jm)
    j_paper = PaperFactory(
        board=jcob,
        meeting=jm,
        title=f"{w['j_paper']} Estates strategy",
        access="exempt",
        exemption_reason="Paragraph 3",
    )
    line("j_amount", "j_year", "underspend", description=w["j_line"], paper=j_paper)

    return {
        "users": {
            "anonymous": None,
            "clerk": clerk,
            "other": other,
            "member": member,
            "finance": finance,
            "signatory": signatory,
            "staff": staff,
        },
        "ids": {
            "pub_paper": pub_paper.pk,
            "ex_paper": ex_paper.pk,
            "priv_paper": priv_paper.pk,
            "j_paper": j_paper.pk,
            "published": published.pk,
            "signed": signed.pk,
            "draft": draft.pk,
            "pubpriv": pubpriv.pk,
            "agreement": function.agreements.get().pk,
            "ex_owner": ex_paper.agenda_items.get().actions.get().owner_id,
            "dn_maker": draft.decision_maker_id,
            "ex_line": ex_paper.financial_lines.get(kind="capital").pk,
            "next": NEXT_DAY.isoformat(),
        },
    }


# -- the surfaces ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Surface:
    """One URL (``{name}`` fields filled from the records' ids), who gets 200 (the rest get
    ``refused``), and the markers each role reads there: {marker key: the roles that read it}."""

    name: str
    url: str
    shows: dict[str, frozenset[str]]
    ok: frozenset[str] = ALL
    refused: int = 404
    # What the anonymous reader gets instead, when not ``refused``: an exempt paper of a public
    # board asks them to sign in (403, "Sign in to view"); signed-in readers still get 404.
    refused_anonymous: int | None = None
    kind: str = "html"  # html, csv, xlsx, pdf
    line_counts: dict[str, int] = field(default_factory=dict)  # "(n lines counted)"


def seen(**shows) -> dict[str, frozenset[str]]:
    return shows


# Readers of each role's lines on /finance/ (counted lines): 3 public, 6 on bcb and the private
# board, 1 on jcob.
LINES_COUNTED = {
    "anonymous": 3,
    "clerk": 3,
    "other": 4,
    "member": 9,
    "finance": 10,
    "signatory": 10,
    "staff": 10,
}
BCB_LINES_COUNTED = {role: (8 if role in M else 3) for role in ROLES}

EX_MONEY = seen(
    ex_amount=M,
    ex_saving_amount=M,
    ex_budget_amount=M,
    ex_year=M,
    ex_saving_year=M,
    ex_budget_year=M,
)
HIDDEN_MONEY = seen(
    **EX_MONEY,
    dn_amount=M,
    dn_year=M,
    sn_amount=M,
    sn_year=M,
    priv_amount=M,
    priv_year=M,
    j_amount=JM,
    j_year=JM,
)
# What a row of lines names: the line, and its record's title.
HIDDEN_LINES = seen(
    ex_line=M,
    ex_saving=M,
    ex_budget=M,
    ex_paper=M,
    dn_line=M,
    dn_title=M,
    sn_line=M,
    sn_title=M,
    priv_line=M,
    priv_paper=M,
    j_line=JM,
    j_paper=JM,
)
PUBLIC_LINES = seen(pub_line=ALL, pub_paper=ALL, pub_amount=ALL, pub_year=ALL)

M1 = "/boards/bcb/2015-11-26/"
M2 = "/boards/bcb/2015-12-16/"
MP = "/boards/zephyrine/2016-03-01/"
ES1 = "/boards/estates/2016-04-01/"
M1_MEETING = seen(
    pub_item=ALL,
    pub_minute=ALL,
    pub_action=ALL,
    pub_paper=ALL,
    ex_item=R,
    ex_minute=R,
    ex_action=R,
    ex_owner=R,
    ex_paper=R,
)
EX_PAPER = seen(
    ex_paper=R, ex_body=R, ex_line=R, ex_saving=R, ex_budget=R, **{k: R for k in EX_MONEY}
)
PRIV_PAPER = seen(priv_name=R, priv_paper=R, priv_body=R, priv_amount=R, priv_year=R, priv_line=R)
J_PAPER = seen(j_paper=J, j_amount=J, j_year=J, j_line=J)
DN = seen(dn_title=R, dn_text=R, dn_maker=R, dn_line=R, dn_amount=R, dn_year=R)
SN = seen(sn_title=R, sn_text=R, sn_ref=R, sn_line=R, sn_amount=R, sn_year=R)
FUNCTION = seen(
    function=ALL,
    pub_saving_amount=ALL,
    pub_paper=ALL,
    ex_saving_amount=M,
    ex_saving_year=M,
    ex_saving=M,
    ex_paper=M,
    dn_title=R,
)

SURFACES = [
    Surface(
        "home",
        "/",
        seen(
            pub_paper=ALL,
            pub_notice=ALL,
            pubpriv_notice=ALL,
            sub_name=ALL,
            ex_paper=R,
            priv_paper=R,
            priv_name=R,
            j_paper=J,
            sn_title=R,
            sn_ref=R,
        ),
    ),
    Surface("boards", "/boards/", seen(sub_name=ALL, priv_name=R)),
    Surface("board bcb", "/boards/bcb/?year=2015", seen()),
    Surface("board private", "/boards/zephyrine/", seen(priv_name=R, sub_name=R), ok=R),
    Surface("board sub-group", "/boards/estates/", seen(sub_name=ALL, priv_name=R)),
    Surface("board bcb this year", "/boards/bcb/", seen()),
    Surface("board jcob", "/boards/jcob/", seen()),
    Surface("meeting jcob", "/boards/jcob/2016-05-01/", seen(j_paper=J)),
    Surface("pack jcob", "/boards/jcob/2016-05-01/pack.pdf", seen(j_paper=J), kind="pdf"),
    Surface(
        "meeting approved", M1, seen(**M1_MEETING, pub_notice=ALL, sn_title=R, sn_ref=R, dn_title=R)
    ),
    Surface(
        "minutes approved",
        M1 + "minutes.pdf",
        seen(pub_item=ALL, pub_minute=ALL, ex_item=R, ex_minute=R),
        kind="pdf",
    ),
    Surface(
        "pack approved",
        M1 + "pack.pdf",
        seen(pub_item=ALL, pub_paper=ALL, pub_body=ALL, ex_item=R, ex_paper=R, ex_body=R),
        kind="pdf",
    ),
    Surface(
        "meeting draft",
        M2,
        seen(
            draft_agenda=ALL,
            draft_minute=R,
            draft_action=R,
            draft_owner=R,
            draft_attendee=R,
            pub_action=ALL,
            ex_action=R,
            ex_owner=R,
        ),
    ),
    Surface(
        "minutes draft",
        M2 + "minutes.pdf",
        seen(draft_agenda=R, draft_minute=R, draft_attendee=R),
        ok=R,
        kind="pdf",
    ),
    Surface("pack draft", M2 + "pack.pdf", seen(draft_agenda=ALL), kind="pdf"),
    Surface(
        "meeting next",
        "/boards/bcb/{next}/",
        seen(pub_action=ALL, ex_action=R, ex_owner=R, draft_action=R, draft_owner=R),
    ),
    Surface(
        "meeting private",
        MP,
        seen(
            priv_name=R, priv_item=R, priv_minute=R, priv_action=R, priv_paper=R, pubpriv_notice=R
        ),
        ok=R,
    ),
    Surface(
        "minutes private",
        MP + "minutes.pdf",
        seen(priv_name=R, priv_item=R, priv_minute=R),
        ok=R,
        kind="pdf",
    ),
    Surface(
        "pack private",
        MP + "pack.pdf",
        seen(priv_name=R, priv_item=R, priv_paper=R, priv_body=R),
        ok=R,
        kind="pdf",
    ),
    Surface("meeting sub-group", ES1, seen(sub_name=ALL)),
    Surface("minutes sub-group", ES1 + "minutes.pdf", seen(sub_name=ALL), kind="pdf"),
    Surface(
        "papers",
        "/papers/",
        seen(pub_paper=ALL, sub_name=ALL, ex_paper=R, priv_paper=R, priv_name=R, j_paper=J),
    ),
    Surface(
        "papers of the private board",
        "/papers/?board=zephyrine",
        seen(priv_paper=R, priv_name=R),
        ok=R,
        refused=400,
    ),
    Surface("papers searched", "/papers/?q=price", seen(ex_paper=R, sub_name=ALL, priv_name=R)),
    Surface(
        "paper public",
        "/papers/{pub_paper}/",
        seen(**PUBLIC_LINES, pub_body=ALL, pub_notice=ALL, dn_title=R, sn_title=R, sn_ref=R),
    ),
    # A paper's PDF is the paper as the board saw it with its money; no notices.
    Surface(
        "paper public pdf",
        "/papers/{pub_paper}.pdf",
        seen(**PUBLIC_LINES, pub_body=ALL),
        kind="pdf",
    ),
    Surface("paper exempt", "/papers/{ex_paper}/", EX_PAPER, ok=R, refused_anonymous=403),
    Surface(
        "paper exempt pdf",
        "/papers/{ex_paper}.pdf",
        EX_PAPER,
        ok=R,
        refused_anonymous=403,
        kind="pdf",
    ),
    Surface("paper private", "/papers/{priv_paper}/", PRIV_PAPER, ok=R),
    Surface(
        "paper private pdf",
        "/papers/{priv_paper}.pdf",
        PRIV_PAPER,
        ok=R,
        kind="pdf",
    ),
    Surface("paper jcob", "/papers/{j_paper}/", J_PAPER, ok=J, refused_anonymous=403),
    Surface(
        "paper jcob pdf",
        "/papers/{j_paper}.pdf",
        J_PAPER,
        ok=J,
        refused_anonymous=403,
        kind="pdf",
    ),
    Surface(
        "actions",
        "/actions/",
        seen(
            pub_action=ALL,
            ex_action=R,
            ex_owner=R,
            draft_action=R,
            draft_owner=R,
            priv_action=R,
            priv_name=R,
        ),
    ),
    Surface(
        "actions of the exempt owner",
        "/actions/?owner={ex_owner}",
        seen(ex_action=R, ex_owner=R, draft_owner=R, priv_name=R),
        ok=R,
        refused=400,
    ),
    Surface(
        "register",
        "/decisions/",
        seen(
            pub_notice=ALL,
            pubpriv_notice=ALL,
            dn_title=R,
            dn_maker=R,
            dn_amount=R,
            sn_title=R,
            sn_ref=R,
            sn_amount=R,
            priv_name=R,
        ),
    ),
    Surface(
        "register of drafts",
        "/decisions/?status=draft",
        seen(dn_title=R, dn_maker=R, dn_amount=R, priv_name=R),
    ),
    Surface(
        "register of the private board",
        "/decisions/?board=zephyrine",
        seen(pubpriv_notice=R, priv_name=R, dn_maker=R),
        ok=R,
        refused=400,
    ),
    Surface(
        "register of the draft's maker",
        "/decisions/?decision_maker={dn_maker}",
        seen(dn_title=R, dn_maker=R, dn_amount=R, priv_name=R),
        ok=R,
        refused=400,
    ),
    Surface(
        "register csv",
        "/decisions/export.csv",
        seen(
            pub_notice=ALL,
            pubpriv_notice=ALL,
            dn_title=R,
            dn_maker=R,
            sn_title=R,
            sn_ref=R,
            priv_name=R,
        ),
        kind="csv",
    ),
    Surface("notice published", "/decisions/{published}/", seen(pub_notice=ALL, pub_paper=ALL)),
    Surface(
        "notice published pdf",
        "/decisions/{published}.pdf",
        seen(pub_notice=ALL, pub_paper=ALL),
        kind="pdf",
    ),
    Surface(
        "notice of the private meeting",
        "/decisions/{pubpriv}/",
        seen(pubpriv_notice=ALL, priv_name=R),
    ),
    Surface(
        "notice of the private meeting pdf",
        "/decisions/{pubpriv}.pdf",
        seen(pubpriv_notice=ALL, priv_name=R),
        kind="pdf",
    ),
    Surface("notice signed", "/decisions/{signed}/", seen(**SN, pub_paper=R), ok=R),
    Surface(
        "notice signed pdf", "/decisions/{signed}.pdf", seen(**SN, pub_paper=R), ok=R, kind="pdf"
    ),
    Surface("notice draft", "/decisions/{draft}/", seen(**DN, pub_paper=R), ok=R),
    Surface(
        "notice draft pdf", "/decisions/{draft}.pdf", seen(**DN, pub_paper=R), ok=R, kind="pdf"
    ),
    Surface(
        "finance",
        "/finance/",
        seen(pub_amount=ALL, pub_year=ALL, sub_name=ALL, priv_name=R, **HIDDEN_MONEY),
        line_counts=LINES_COUNTED,
    ),
    Surface(
        "finance of bcb",
        "/finance/?board=bcb",
        seen(
            pub_amount=ALL,
            pub_year=ALL,
            sub_name=ALL,
            priv_name=R,
            **{k: v for k, v in HIDDEN_MONEY.items() if k not in {"j_amount", "priv_amount"}},
        ),
        line_counts=BCB_LINES_COUNTED,
    ),
    Surface(
        "finance lines",
        "/finance/lines/",
        seen(**PUBLIC_LINES, **HIDDEN_MONEY, **HIDDEN_LINES, sub_name=ALL, priv_name=R),
    ),
    Surface(
        "finance lines from 2030/31",
        "/finance/lines/?year_from=2030/31",
        seen(
            **{
                k: v
                for k, v in {**HIDDEN_MONEY, **HIDDEN_LINES}.items()
                if k not in {"j_line", "j_paper", "j_amount"}
            },
            pub_year=ALL,
            sub_name=ALL,
            priv_name=R,
        ),
    ),
    Surface(
        "finance line of the exempt paper",
        "/finance/lines/?line={ex_line}",
        seen(
            ex_line=M,
            ex_paper=M,
            ex_amount=M,
            ex_year=M,
            ex_saving_year=M,
            ex_budget_year=M,
            dn_year=M,
            sn_year=M,
            priv_year=M,
            j_year=JM,
            sub_name=ALL,
            priv_name=R,
        ),
    ),
    Surface(
        "finance csv",
        "/finance/lines.csv",
        seen(**PUBLIC_LINES, **HIDDEN_MONEY, **HIDDEN_LINES),
        kind="csv",
    ),
    Surface(
        "finance xlsx",
        "/finance/lines.xlsx",
        seen(**PUBLIC_LINES, **HIDDEN_MONEY, **HIDDEN_LINES),
        kind="xlsx",
    ),
    Surface(
        "collaboration",
        "/collaboration/",
        seen(function=ALL, pub_budget_amount=ALL, ex_budget_amount=M, ex_budget_year=M),
    ),
    Surface("function", "/collaboration/functions/ict/", FUNCTION),
    Surface("function pdf", "/collaboration/functions/ict.pdf", FUNCTION, kind="pdf"),
    Surface("agreements", "/collaboration/agreements/", seen(agreement=ALL, dn_title=R)),
    Surface(
        "agreement",
        "/collaboration/agreements/{agreement}/",
        seen(agreement=ALL, function=ALL, dn_title=R, ex_paper=R),
    ),
]

# Cases known to leak: {(surface name, role): reason}. Each is an xfail(strict=True).
LEAKS: dict[tuple[str, str], str] = {}


def cases():
    for surface in SURFACES:
        for role in ROLES:
            reason = LEAKS.get((surface.name, role))
            marks = [pytest.mark.xfail(strict=True, reason=f"LEAK: {reason}")] if reason else []
            yield pytest.param(surface, role, marks=marks, id=f"{surface.name}-{role}")


# -- reading responses ----------------------------------------------------------------------------


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_words(content: bytes) -> str:
    """A PDF's text, its metadata and its bookmarks."""
    assert content[:5] == b"%PDF-", content[:200]
    reader = PdfReader(io.BytesIO(content))
    parts = [page.extract_text() for page in reader.pages]
    parts += [str(value) for value in (reader.metadata or {}).values()]

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                parts.append(item.title)

    walk(reader.outline)
    return "\n".join(parts)


def xlsx_words(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")
        )


def words_of(response, kind: str) -> str:
    content = body(response)
    if kind == "pdf" and response.status_code == 200:
        found = pdf_words(content)
    elif kind == "xlsx" and response.status_code == 200:
        found = xlsx_words(content)
    elif kind == "csv" and response.status_code == 200:
        text = content.decode("utf-8-sig")
        list(csv.reader(io.StringIO(text)))  # it parses
        found = text
    else:
        found = content.decode()
    return re.sub(r"\s+", " ", html.unescape(found)).lower()


# -- the matrix -----------------------------------------------------------------------------------

REQUESTS = {"count": 0, "cases": 0}


@pytest.fixture(scope="module")
def world(request, django_db_setup, django_db_blocker):
    """The records and a signed-in client per role, built once for the module in a transaction
    rolled back afterwards. Prints the number of requests the matrix made at the end."""
    from django.db import connection, transaction

    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            clients = {}
            for role, user in built["users"].items():
                clients[role] = Client()
                if user is not None:
                    clients[role].force_login(user)
            yield {"clients": clients, "ids": built["ids"]}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    summary = (
        f"access matrix: {REQUESTS['count']} requests in {REQUESTS['cases']} cases "
        f"({len(SURFACES)} surfaces x {len(ROLES)} roles, twice: caches emptied, then kept; "
        f"{len(HIDDEN)} hidden markers checked both ways on each); known leaks (xfail): "
        f"{len(LEAKS) + len(CACHE_LEAKS)}"
    )
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if reporter is None or capture is None:
        print(summary)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_line(summary)


def problems_of(world, surface: Surface, role: str) -> list[str]:
    """Fetch ``surface`` as ``role``; what is wrong: a status, a marker shown to a role not
    entitled to it (LEAK), a marker not shown to a role entitled to it (MISSING), a count."""
    url = surface.url.format(**world["ids"])
    response = world["clients"][role].get(url)
    REQUESTS["count"] += 1
    expected_status = 200 if role in surface.ok else surface.refused
    if expected_status != 200 and role == "anonymous" and surface.refused_anonymous:
        expected_status = surface.refused_anonymous
    if response.status_code != expected_status:
        return [f"{url} as {role}: status {response.status_code}, not {expected_status}"]
    found = words_of(response, surface.kind)
    # What the reader typed into the address is not a leak when it is echoed back (a refusal
    # page, a filter form showing the value asked for).
    typed = url.lower()
    problems = []
    for key in sorted(set(HIDDEN) | set(surface.shows)):
        marker = spelled(key, surface.kind)
        entitled = role in surface.shows.get(key, NOBODY)
        present = marker in found
        if present and not entitled and marker not in typed:
            problems.append(f"LEAK {key} ({marker!r})")
        elif entitled and not present:
            problems.append(f"MISSING {key} ({marker!r})")
    if surface.line_counts:
        n = surface.line_counts[role]
        counted = f"({n} line{'s' if n != 1 else ''} counted)"
        if counted not in found:
            problems.append(f"COUNT: expected {counted!r}")
    return [f"{url} as {role}: " + "; ".join(problems)] if problems else []


@pytest.mark.parametrize(("surface", "role"), list(cases()))
def test_each_role_reads_exactly_what_it_may(world, surface: Surface, role: str):
    """One request: the caches start empty (tests/web/conftest.py), so this is what the
    pages, exports and PDFs build for the reader."""
    REQUESTS["cases"] += 1
    problems = problems_of(world, surface, role)
    assert not problems, "\n".join(problems)


# Most entitled first: a copy cached for a reader who may see more is what could leak.
CACHE_ORDER = ("staff", "signatory", "member", "finance", "other", "clerk", "anonymous")
CACHE_LEAKS: dict[str, str] = {}


def cache_cases():
    for surface in SURFACES:
        reason = CACHE_LEAKS.get(surface.name)
        marks = [pytest.mark.xfail(strict=True, reason=f"LEAK: {reason}")] if reason else []
        yield pytest.param(surface, marks=marks, id=surface.name)


@pytest.mark.parametrize("surface", list(cache_cases()))
def test_no_reader_is_served_a_copy_cached_for_another(world, surface: Surface):
    """Every role in turn, most entitled first, without emptying the caches between them
    (cached PDFs, counts, filter choices): each still reads exactly what it may."""
    assert sorted(CACHE_ORDER) == sorted(ROLES)
    REQUESTS["cases"] += 1
    problems = [p for role in CACHE_ORDER for p in problems_of(world, surface, role)]
    assert not problems, "\n".join(problems)
