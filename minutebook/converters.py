import datetime


class IsoDateConverter:
    """A date written YYYY-MM-DD in a URL; an impossible date (2015-02-30) is a 404, not a 500."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(value) from exc

    def to_url(self, value) -> str:
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)
