from .people import Organisation, Person  # isort: skip  (memberships and access need people first)
from .memberships import Membership  # isort: skip
from .boards import Board  # isort: skip
from .meetings import Action, AgendaItem, Attendance, Declaration, Meeting, MinuteParagraph
from .papers import Paper
from .standing import StandingItem
from .visits import ReaderVisit

__all__ = [
    "Action",
    "AgendaItem",
    "Attendance",
    "Board",
    "Declaration",
    "Meeting",
    "Membership",
    "MinuteParagraph",
    "Organisation",
    "Paper",
    "Person",
    "ReaderVisit",
    "StandingItem",
]
