from .boards import Board, Membership
from .meetings import Action, AgendaItem, Attendance, Declaration, Meeting, MinuteParagraph
from .papers import Paper
from .people import Organisation, Person

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
]
