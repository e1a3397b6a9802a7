"""The kinds of money a line records, and the kinds of record it belongs to."""

from django.db import models


class Kind(models.TextChoices):
    COST = "cost", "Cost"
    CAPITAL = "capital", "Capital"
    REVENUE = "revenue", "Revenue"
    GRANT = "grant", "Grant"
    INCOME = "income", "Income"
    BUDGET = "budget", "Budget"
    UNDERSPEND = "underspend", "Underspend"
    FEE = "fee", "Fee"
    FORECAST_SAVING = "forecast_saving", "Forecast saving"
    REALISED_SAVING = "realised_saving", "Realised saving"


class RecordType(models.TextChoices):
    """What a line belongs to; the finance page filters by it."""

    PAPER = "paper", "Paper"
    RECOMMENDATION = "recommendation", "Recommendation"
    DECISION_NOTICE = "decision_notice", "Decision notice"
    FUNCTION = "function", "Collaborated function"
