"""Fill a benchmark database with a realistic volume of governance records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minutebook_bench python bench/generate.py
    DATABASE_URL=sqlite:///bench/bench.sqlite3 BENCH_SCALE=0.05 python bench/generate.py

At scale 1: 60 boards (sub-groups and private boards among them), 500 people, 5,000 meetings,
20,000 papers, 60,000 agenda items, 200,000 minute paragraphs, 30,000 actions, plus
memberships, attendance and declarations. Text comes from bench/corpus.txt (copied from the
seed documents). The same seed and scale always give the same rows, dated around the fixed
AS_OF day so that "upcoming" and "recent" stay meaningful.

The script refuses the development database (db.sqlite3). It does nothing when the database
already holds exactly the generated number of paragraphs (the marker of a finished run);
otherwise, or with --fresh, it empties the database (manage.py flush) and generates again.
Rows get explicit primary keys, so meetings can point at later meetings and no ids need reading
back; sequences are reset at the end.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutebook.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402

from boards.models import (  # noqa: E402
    Action,
    AgendaItem,
    Attendance,
    Board,
    Declaration,
    Meeting,
    Membership,
    MinuteParagraph,
    Organisation,
    Paper,
    Person,
)

AS_OF = datetime.date(2026, 11, 1)  # meetings after this day are scheduled, with no minutes yet
FIRST_DAY = datetime.date(2011, 1, 1)
LAST_DAY = datetime.date(2027, 10, 31)
BATCH = 2000

FULL = {
    "boards": 60,
    "people": 500,
    "meetings": 5000,
    "papers": 20000,
    "items": 60000,
    "paragraphs": 200000,
    "actions": 30000,
}

# Board names for the benchmark (fiction in the style of the seed records).
TOP_BOARDS = [
    ("Business Co-ordination Board", "BCB"),
    ("Police and Crime Panel", "PCP"),
    ("Force Executive Board", "FEB"),
    ("Joint Audit Committee", "JAC"),
    ("Countywide Community Safety Strategic Board", "CCSSB"),
    ("Strategic Alliance Summit", "SAS"),
    ("Organisational Support Governance Board", "OSGB"),
    ("Ethics and Integrity Board", "EIB"),
    ("Criminal Justice Board", "LCJB"),
    ("Estates Board", "EB"),
]
SUB_THEMES = [
    "Finance",
    "Performance",
    "Estates",
    "Collaboration",
    "Professional Standards",
    "Risk",
    "Victims",
    "Restorative Justice",
    "Road Safety",
    "Domestic Abuse",
    "ICT",
    "Fleet",
    "Procurement",
    "Workforce",
    "Equality and Diversity",
    "Treasury Management",
]
ORGANISATIONS = [
    ("Office of the Police and Crime Commissioner", "OPCC", Organisation.Kind.POLICING_BODY),
    ("Cambridgeshire Constabulary", "Constabulary", Organisation.Kind.POLICE_FORCE),
    ("Bedfordshire Police", "Beds", Organisation.Kind.POLICE_FORCE),
    ("Hertfordshire Constabulary", "Herts", Organisation.Kind.POLICE_FORCE),
    ("Cambridgeshire County Council", "CCC", Organisation.Kind.PARTNER),
    ("Peterborough City Council", "PCC (city)", Organisation.Kind.PARTNER),
    ("Cambridgeshire Fire and Rescue Service", "CFRS", Organisation.Kind.PARTNER),
    ("East of England Ambulance Service", "EEAST", Organisation.Kind.PARTNER),
    ("Eastern Region Special Operations Unit", "ERSOU", Organisation.Kind.POLICING_BODY),
    ("Cambridgeshire and Peterborough Combined Authority", "CPCA", Organisation.Kind.PARTNER),
]
EXEMPT_REASONS = [
    "Exempt under paragraph 3: financial or business affairs.",
    "Exempt under paragraph 1: information relating to an individual.",
    "Exempt under paragraph 7: prevention of crime.",
]
RESOLUTIONS = [
    "(i) *The Board noted the report.*",
    "(i) *The group noted the report.*",
    "(i) *The Board approved the recommendations and noted the report.*",
    "(i) *The minutes were agreed and signed.*",
    "(ii) *The Commissioner signed the Decision Notice.*",
]


def load_corpus() -> dict[str, list[str]]:
    """Read bench/corpus.txt into its sections: paragraphs, titles, papers, people."""
    sections: dict[str, list[str]] = defaultdict(list)
    current = None
    for line in (BENCH_DIR / "corpus.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
        elif current:
            sections[current].append(line)
    return sections


def scaled(scale: float) -> dict[str, int]:
    """Row targets for ``scale`` (boards and people shrink more gently than the rest)."""
    out = {k: max(1, round(v * scale)) for k, v in FULL.items()}
    out["boards"] = max(12, out["boards"])
    out["people"] = max(60, out["people"])
    return out


def refuse_dev_database() -> None:
    """Stop unless DATABASE_URL points somewhere other than the development db.sqlite3."""
    name = str(settings.DATABASES["default"]["NAME"])
    dev = str(Path(settings.BASE_DIR) / "db.sqlite3")
    if not os.environ.get("DATABASE_URL") or Path(name).resolve() == Path(dev).resolve():
        sys.exit(
            "generate.py: set DATABASE_URL to a benchmark database; it never writes db.sqlite3."
        )


class Ids:
    """Hands out explicit primary keys per model, starting at 1."""

    def __init__(self):
        self.next = defaultdict(lambda: 1)

    def __call__(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


class Writer:
    """Buffers objects per model, renders their markup and bulk-creates them in batches."""

    ORDER = [Paper, AgendaItem, MinuteParagraph, Attendance, Declaration, Action]

    def __init__(self):
        self.buffers = defaultdict(list)
        self.written = defaultdict(int)

    def add(self, obj) -> None:
        self.buffers[type(obj)].append(obj)

    def flush(self) -> None:
        """Write every buffered object, parents before children, in one transaction."""
        with transaction.atomic():
            for model in self.ORDER:
                objs = self.buffers.pop(model, [])
                for obj in objs:
                    if hasattr(obj, "render_text_fields"):
                        obj.render_text_fields()
                for start in range(0, len(objs), BATCH):
                    # Synthetic history is written as a fixture is loaded: past the locks of
                    # approved minutes (Django's own bulk_create, not the locked queryset's).
                    models.QuerySet.bulk_create(model.objects.all(), objs[start : start + BATCH])
                self.written[model] += len(objs)


def spread(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` that sum exactly to it."""
    s = sum(weights)
    parts = [int(total * w / s) for w in weights]
    for i in rng.sample(range(len(parts)), total - sum(parts)):
        parts[i] += 1
    return parts


def make_people(n: int, corpus, rng: random.Random, orgs: list[Organisation]) -> list[Person]:
    """``n`` people: those named in the seeds first, then names recombined from them."""
    named = []
    for line in corpus["people"]:
        name = line.split(" | ")[0]
        if name not in named:
            named.append(name)
    firsts = sorted({n.split()[-2] for n in named})
    lasts = sorted({n.split()[-1] for n in named})
    names = list(named)
    combos = [f"{f} {s}" for f in firsts for s in lasts if f"{f} {s}" not in named]
    rng.shuffle(combos)
    names += combos
    letters = "ABCDEFGHJKLMNPRSTW"
    i = 0
    while len(names) < n:
        f, s = rng.choice(firsts), rng.choice(lasts)
        names.append(f"{f} {letters[i % len(letters)]}. {s}")
        i += 1
    people = []
    for pk, name in enumerate(names[:n], start=1):
        parts = [p for p in name.replace(".", "").split() if p != "Sir"]
        people.append(
            Person(
                id=pk,
                full_name=name,
                initials="".join(p[0] for p in parts)[:10] if rng.random() < 0.8 else "",
                organisation=rng.choice(orgs) if rng.random() < 0.9 else None,
            )
        )
    return people


def make_boards(n: int, corpus, rng: random.Random) -> list[Board]:
    """``n`` boards: top boards, then sub-groups reporting to them; one in eight private."""
    paragraphs = corpus["paragraphs"]
    boards = []
    for name, short in TOP_BOARDS[: max(4, n // 6)]:
        boards.append(Board(name=name, short_name=short))
    tops = list(boards)
    i = 0
    while len(boards) < n:
        parent = tops[i % len(tops)]
        theme = SUB_THEMES[(i // len(tops)) % len(SUB_THEMES)]
        suffix = (
            "" if i < len(tops) * len(SUB_THEMES) else f" {i // (len(tops) * len(SUB_THEMES)) + 1}"
        )
        boards.append(
            Board(
                name=f"{parent.short_name} {theme} Sub-Group{suffix}", short_name="", parent=parent
            )
        )
        i += 1
    for pk, board in enumerate(boards, start=1):
        board.id = pk
        board.slug = "-".join(board.name.lower().replace("-", " ").split())[:60]
        board.description = "\n\n".join(rng.sample(paragraphs, 2))
        board.default_location = rng.choice(
            ["OPCC Office at Cambourne", "Swansley A Room, Cambourne", "Police HQ, Hinchingbrooke"]
        )
        board.is_public = pk % 8 != 0
        board.render_text_fields()
    return boards


def meeting_dates(count: int, rng: random.Random) -> list[datetime.date]:
    """``count`` distinct weekdays between FIRST_DAY and LAST_DAY, sorted."""
    days = (LAST_DAY - FIRST_DAY).days
    picked = set()
    while len(picked) < count:
        d = FIRST_DAY + datetime.timedelta(days=rng.randrange(days))
        if d.weekday() < 5:
            picked.add(d)
    return sorted(picked)


def make_meetings(
    boards, per_board: list[int], chairs: dict[int, int], rng: random.Random, ids: Ids
):
    """Meetings of each board, oldest first. Past ones held with approved (mostly), draft or no
    minutes, some cancelled, some of unrecorded status; later ones scheduled. Minutes are approved
    at the board's next meeting. Returns all meetings and each board's meetings in date order."""
    meetings, by_board = [], {}
    for board, count in zip(boards, per_board, strict=False):
        series = []
        for date in meeting_dates(count, rng):
            m = Meeting(id=ids(Meeting), board=board, date=date, location=board.default_location)
            m.start_time = datetime.time(rng.choice([9, 10, 13, 14]), rng.choice([0, 15, 30]))
            if date > AS_OF:
                m.status, m.minutes_status = Meeting.Status.SCHEDULED, Meeting.MinutesStatus.NONE
            else:
                r = rng.random()
                if r < 0.04:
                    m.status, m.minutes_status = (
                        Meeting.Status.CANCELLED,
                        Meeting.MinutesStatus.NONE,
                    )
                elif r < 0.07:
                    m.status, m.minutes_status = (
                        Meeting.Status.NOT_RECORDED,
                        Meeting.MinutesStatus.NONE,
                    )
                else:
                    m.status = Meeting.Status.HELD
                    m.minutes_status = (
                        Meeting.MinutesStatus.APPROVED if r < 0.90 else Meeting.MinutesStatus.DRAFT
                    )
            series.append(m)
        for m, nxt in zip(series, series[1:] + [None], strict=False):
            if m.minutes_status == Meeting.MinutesStatus.APPROVED and nxt is not None:
                m.minutes_approved_at_id = nxt.id
                m.minutes_signed_on = nxt.date
                m.minutes_signed_by_id = chairs.get(board.id)
        meetings += series
        by_board[board.id] = series
    return meetings, by_board


def paper_body(rng: random.Random, corpus) -> str:
    """A paper in the printed shape: numbered sections of numbered paragraphs."""
    parts = []
    for s, heading in enumerate(rng.sample(corpus["titles"], rng.randint(2, 4)), start=1):
        parts.append(f"## {s}. {heading}")
        for p, text in enumerate(rng.sample(corpus["paragraphs"], rng.randint(1, 3)), start=1):
            parts.append(f"{s}.{p} {text}")
    return "\n\n".join(parts)


def generate(scale: float, seed: int) -> None:
    """Create every row for ``scale``; prints progress as it goes."""
    rng = random.Random(seed)
    corpus = load_corpus()
    target = scaled(scale)
    ids = Ids()
    started = time.monotonic()

    def progress(label: str, done: int, total: int) -> None:
        print(f"  {label} {done}/{total}  ({time.monotonic() - started:.0f}s)", flush=True)

    with transaction.atomic():
        orgs = [
            Organisation(id=i, name=n, short_name=s, kind=k)
            for i, (n, s, k) in enumerate(ORGANISATIONS, 1)
        ]
        Organisation.objects.bulk_create(orgs)
        people = make_people(target["people"], corpus, rng, orgs)
        Person.objects.bulk_create(people, batch_size=BATCH)
        progress("people", len(people), target["people"])
        boards = make_boards(target["boards"], corpus, rng)
        Board.objects.bulk_create([b for b in boards if b.parent is None])
        Board.objects.bulk_create([b for b in boards if b.parent is not None])
        progress("boards", len(boards), target["boards"])

        titles = [line.split(" | ")[1] for line in corpus["people"]]
        members = {}
        memberships = []
        for board in boards:
            seats = rng.sample(people, rng.randint(6, 14))
            members[board.id] = seats
            for n, person in enumerate(seats):
                role = (
                    [Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.SECRETARY][
                        n
                    ]
                    if n < 3
                    else Membership.Role.MEMBER
                )
                start = (
                    FIRST_DAY + datetime.timedelta(days=rng.randrange(3000))
                    if rng.random() < 0.7
                    else None
                )
                end = None
                if start and rng.random() < 0.25:
                    end = start + datetime.timedelta(days=rng.randint(200, 2500))
                memberships.append(
                    Membership(
                        id=ids(Membership),
                        board=board,
                        person=person,
                        role=role,
                        title=rng.choice(titles),
                        start=start,
                        end=end,
                    )
                )
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        progress("memberships", len(memberships), len(memberships))

        weights = [4.0 if b.parent is None else 1.0 for b in boards]
        per_board = spread(target["meetings"], weights, rng)
        chairs = {b.id: members[b.id][0].id for b in boards}
        meetings, by_board = make_meetings(boards, per_board, chairs, rng, ids)
        for start in range(0, len(meetings), BATCH):
            Meeting.objects.bulk_create(meetings[start : start + BATCH])
            progress("meetings", min(start + BATCH, len(meetings)), target["meetings"])

    # Work is spread over meetings: items over non-cancelled meetings, paragraphs over items of
    # meetings with minutes, actions over meetings with minutes, papers over all meetings.
    live = [m for m in meetings if m.status != Meeting.Status.CANCELLED]
    minuted = {m.id for m in meetings if m.minutes_status != Meeting.MinutesStatus.NONE}
    items_per = spread(target["items"], [1.0 + rng.random() for _ in live], rng)
    minuted_items = sum(n for m, n in zip(live, items_per, strict=False) if m.id in minuted)
    para_pool = spread(
        target["paragraphs"], [1.0 + 2 * rng.random() for _ in range(minuted_items)], rng
    )
    actions_per = spread(target["actions"], [1.0 + rng.random() for _ in range(len(minuted))], rng)
    papers_per = spread(target["papers"], [1.0 + rng.random() for _ in meetings], rng)
    position_in_series = {
        m.id: (i, by_board[m.board_id]) for s in by_board.values() for i, m in enumerate(s)
    }

    writer = Writer()
    items_of = {m.id: n for m, n in zip(live, items_per, strict=False)}
    para_iter = iter(para_pool)
    action_iter = iter(actions_per)
    paragraphs_text = corpus["paragraphs"]
    item_titles = corpus["titles"]
    paper_titles = corpus["papers"] + item_titles
    chunk = max(1, len(meetings) // 10)

    for mi, (meeting, n_papers) in enumerate(zip(meetings, papers_per, strict=False), start=1):
        board_people = members[meeting.board_id]
        papers = []
        for p in range(n_papers):
            on_agenda = rng.random() < 0.95
            exempt = rng.random() < 0.06
            recent = meeting.date > AS_OF - datetime.timedelta(days=14)
            draft = rng.random() < (0.6 if recent else 0.04)
            paper = Paper(
                id=ids(Paper),
                board_id=meeting.board_id,
                meeting=meeting if on_agenda else None,
                title=f"{rng.choice(paper_titles)}{'' if p == 0 else f' ({p + 1})'}",
                author_line=rng.choice(
                    [
                        "Chief Executive",
                        "Chief Finance Officer",
                        "Chief Constable",
                        "Director of Estates",
                    ]
                ),
                date=meeting.date - datetime.timedelta(days=rng.randint(3, 14)),
                agenda_reference=str(p + 3),
                purpose=rng.choice(paragraphs_text),
                body=paper_body(rng, corpus),
                source_documents=rng.choice(
                    ["None", "Finance Sub-Group minutes", "Full Business Case"]
                ),
                contact_officers=f"{rng.choice(people).full_name}, {rng.choice(titles)}",
                access=Paper.Access.EXEMPT if exempt else Paper.Access.PUBLIC,
                exemption_reason=rng.choice(EXEMPT_REASONS) if exempt else "",
                status=Paper.Status.DRAFT if draft else Paper.Status.PUBLISHED,
            )
            writer.add(paper)
            if on_agenda:
                papers.append(paper)

        n_items = items_of.get(meeting.id, 0)
        has_minutes = meeting.id in minuted
        items, action_paragraphs = [], []
        for pos in range(1, n_items + 1):
            exempt = rng.random() < 0.05
            paper = papers[pos - 3] if 3 <= pos < 3 + len(papers) else None
            item = AgendaItem(
                id=ids(AgendaItem),
                meeting=meeting,
                position=pos,
                number=str(pos),
                title=paper.title if paper else rng.choice(item_titles),
                presenter=rng.choice(board_people) if rng.random() < 0.7 else None,
                paper=paper,
                is_exempt=exempt,
                exemption_reason=rng.choice(EXEMPT_REASONS) if exempt else "",
            )
            writer.add(item)
            items.append(item)
            if not has_minutes:
                continue
            count = next(para_iter)
            for k in range(1, count + 1):
                kind = MinuteParagraph.Kind.NARRATIVE
                text = rng.choice(paragraphs_text)
                if k == count and rng.random() < 0.5:
                    kind, text = MinuteParagraph.Kind.RESOLUTION, rng.choice(RESOLUTIONS)
                elif rng.random() < 0.15:
                    kind = MinuteParagraph.Kind.ACTION
                para = MinuteParagraph(
                    id=ids(MinuteParagraph),
                    item=item,
                    position=k,
                    number=f"{pos}.{k}",
                    kind=kind,
                    text=text,
                )
                writer.add(para)
                if kind == MinuteParagraph.Kind.ACTION:
                    action_paragraphs.append(para)

        if has_minutes:
            present = rng.sample(board_people, max(1, len(board_people) - rng.randint(0, 3)))
            others = rng.sample(people, 3)
            for pos, person in enumerate(dict.fromkeys(present + others), start=1):
                capacity = (
                    Attendance.Capacity.MEMBER
                    if person in board_people
                    else Attendance.Capacity.IN_ATTENDANCE
                )
                if capacity == Attendance.Capacity.MEMBER and rng.random() < 0.1:
                    capacity = Attendance.Capacity.APOLOGIES
                writer.add(
                    Attendance(
                        id=ids(Attendance),
                        meeting=meeting,
                        person=person,
                        capacity=capacity,
                        title=rng.choice(titles),
                        position=pos,
                    )
                )
            if rng.random() < 0.8:
                writer.add(Declaration(id=ids(Declaration), meeting=meeting, none_declared=True))
            else:
                writer.add(
                    Declaration(
                        id=ids(Declaration),
                        meeting=meeting,
                        person=rng.choice(board_people),
                        item=rng.choice(items) if items else None,
                        nature="Declared an interest as a trustee of a partner charity.",
                    )
                )
            index, series = position_in_series[meeting.id]
            later = series[index + 1 :]
            for _ in range(next(action_iter)):
                para = (
                    rng.choice(action_paragraphs)
                    if action_paragraphs and rng.random() < 0.6
                    else None
                )
                item = (
                    para.item
                    if para
                    else (rng.choice(items) if items and rng.random() < 0.9 else None)
                )
                age = (AS_OF - meeting.date).days
                status, closed = Action.Status.OPEN, None
                if later and later[0].date <= AS_OF and rng.random() < (0.97 if age > 365 else 0.6):
                    status = Action.Status.DONE if rng.random() < 0.8 else Action.Status.DROPPED
                    # Mostly closed at the next meeting; some carried forward a few meetings.
                    hop = 0 if rng.random() < 0.7 else rng.randint(1, 4)
                    closed = later[min(hop, len(later) - 1)]
                    if closed.date > AS_OF:
                        closed = later[0]
                # Due at the next meeting, by a date, or both; some neither (not recorded).
                due_meeting = later[0] if later and rng.random() < 0.5 else None
                due_date = meeting.date + datetime.timedelta(days=rng.choice([14, 28, 56, 90]))
                if rng.random() < (0.6 if due_meeting else 0.1):
                    due_date = None
                writer.add(
                    Action(
                        id=ids(Action),
                        meeting=meeting,
                        item=item,
                        paragraph=para,
                        text=para.text if para else rng.choice(paragraphs_text),
                        owner=rng.choice(board_people) if rng.random() < 0.9 else None,
                        due_date=due_date,
                        due_meeting=due_meeting,
                        status=status,
                        closed_at=closed,
                        note="Carried forward." if closed and closed is not later[0] else "",
                    )
                )

        if mi % chunk == 0 or mi == len(meetings):
            writer.flush()
            w = writer.written
            print(
                f"  meetings {mi}/{len(meetings)}: papers {w[Paper]}/{target['papers']}, "
                f"items {w[AgendaItem]}/{target['items']}, "
                f"paragraphs {w[MinuteParagraph]}/{target['paragraphs']}, "
                f"actions {w[Action]}/{target['actions']}  ({time.monotonic() - started:.0f}s)",
                flush=True,
            )

    reset_sequences()
    if connection.vendor == "postgresql":
        # Planner statistics and the visibility map, as autovacuum would leave them.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"Generated in {time.monotonic() - started:.0f}s.")


def reset_sequences() -> None:
    """Move id sequences past the explicit ids (PostgreSQL; SQLite needs nothing)."""
    models = [
        Organisation,
        Person,
        Board,
        Membership,
        Meeting,
        Paper,
        AgendaItem,
        MinuteParagraph,
        Attendance,
        Declaration,
        Action,
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def main() -> None:
    """Generate unless the finished data is already there (or --fresh)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=float(os.environ.get("BENCH_SCALE", "1")),
        help="fraction of the full volume (default $BENCH_SCALE or 1)",
    )
    parser.add_argument("--seed", type=int, default=20151126)
    parser.add_argument(
        "--fresh", action="store_true", help="empty the database and generate again"
    )
    args = parser.parse_args()
    refuse_dev_database()

    target = scaled(args.scale)
    existing = MinuteParagraph.objects.count()
    if existing == target["paragraphs"] and not args.fresh:
        print(f"Benchmark data already present ({existing} minute paragraphs); nothing to do.")
        return
    if existing or Board.objects.exists() or args.fresh:
        print("Emptying the benchmark database…", flush=True)
        call_command("flush", interactive=False, verbosity=0)
    print(
        f"Generating benchmark data at scale {args.scale} into {connection.vendor} "
        f"{settings.DATABASES['default']['NAME']}",
        flush=True,
    )
    generate(args.scale, args.seed)


if __name__ == "__main__":
    main()
