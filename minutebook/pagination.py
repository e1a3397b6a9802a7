from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property

from .changes import records_token
from .fields import MAX_ID, WholeNumberField

COUNT_CACHE_SECONDS = 3600
#: A cached-count list counts at most this many rows: beyond it the list says "more than
#: 10,000" and pages up to there (narrow the filters, or download the CSV, for the rest).
#: Counting 800,000 lines takes PostgreSQL a third of a second; counting to the cap does not.
COUNT_CAP = 10_000
# ?page= is a whole number from 1; past the last page it gives the last page.
PAGE = WholeNumberField(min_value=1, max_value=MAX_ID, required=False, label="Page")


def requested_page(request: HttpRequest) -> int:
    """The ``?page=`` number, 1 when not given. Raises ValidationError ("Page: Enter a
    number...") when it is not a whole number from 1 in the digits 0-9. No query."""
    return PAGE.clean(request.GET.get("page", "")) or 1


class CachedCountPaginator(Paginator):
    """A paginator whose COUNT stops at ``COUNT_CAP`` rows and is kept in the cache under
    ``count_key`` until any record changes (the records token), for lists where counting every
    matching row is the slow part. The key must say everything the count depends on: the
    reader's class and the filters. ``capped`` says the list holds more than the cap."""

    def __init__(self, *args, count_key: str, cap: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def _counted(self) -> int:
        """The rows, counted to cap + 1 at most (COUNT(*) over the first cap + 1, unordered)."""
        key = f"minutebook:count:{self.count_key}:{self.cap}:{records_token()}"
        value = cache.get(key)
        if value is None:
            value = self.object_list.order_by()[: self.cap + 1].count()
            cache.set(key, value, COUNT_CACHE_SECONDS)
        return value

    @property
    def count(self) -> int:
        """The rows the pages reach: all of them, or the first ``cap``."""
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap


def paginate(
    request: HttpRequest, queryset, per_page: int | None = None, *, count_key: str = ""
) -> Page:
    """The requested page of ``queryset``; a ``?page=`` past the last page gives the last page.
    A bad ``?page=`` ("x", "²", "0") gives the first page here: the view answers 400 for it
    (``apply_filters`` reports it with the filters' messages, a list without filters checks
    ``requested_page`` itself).

    Costs a COUNT query (none while ``count_key`` finds it in the cache; with ``count_key`` it
    stops at ``COUNT_CAP``) and the page's own query.
    """
    if count_key:
        paginator = CachedCountPaginator(
            queryset, per_page or settings.PAGE_SIZE, count_key=count_key
        )
    else:
        paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    try:
        number = requested_page(request)
    except ValidationError:
        number = 1
    return paginator.get_page(number)
