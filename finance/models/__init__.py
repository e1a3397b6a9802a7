from .kinds import Kind, RecordType
from .lines import FinancialLine
from .totals import LineTotal

__all__ = ["FinancialLine", "Kind", "LineTotal", "RecordType"]
