from .boards import Board, Membership
from .meetings import Action, AgendaItem, Attendance, Declaration, Meeting, MinuteParagraph
from .people import Organisation, Person
from .papers import Paper

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
