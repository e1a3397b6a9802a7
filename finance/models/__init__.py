from .kinds import Kind, RecordType
from .lines import FinancialLine
from .totals import ColumnTotal, LineTotal

__all__ = ["ColumnTotal", "FinancialLine", "Kind", "LineTotal", "RecordType"]
