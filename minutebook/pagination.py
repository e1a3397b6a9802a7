from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property

from .changes import records_token
from .fields import MAX_ID, WholeNumberField

COUNT_CACHE_SECONDS = 3600
# ?page= is a whole number from 1; past the last page it gives the last page.
PAGE = WholeNumberField(min_value=1, max_value=MAX_ID, required=False, label="Page")


def requested_page(request: HttpRequest) -> int:
    """The ``?page=`` number, 1 when not given. Raises ValidationError ("Page: Enter a
    number...") when it is not a whole number from 1 in the digits 0-9. No query."""
    return PAGE.clean(request.GET.get("page", "")) or 1


class CachedCountPaginator(Paginator):
    """A paginator whose COUNT is kept in the cache under ``count_key`` until any record
    changes (the records token), for lists where counting every matching row is the slow part.
    The key must say everything the count depends on: the reader's class and the filters."""

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        key = f"minutebook:count:{self.count_key}:{records_token()}"
        value = cache.get(key)
        if value is None:
            value = super().count
            cache.set(key, value, COUNT_CACHE_SECONDS)
        return value


def paginate(
    request: HttpRequest, queryset, per_page: int | None = None, *, count_key: str = ""
) -> Page:
    """The requested page of ``queryset``; a ``?page=`` past the last page gives the last page.
    A bad ``?page=`` ("x", "²", "0") gives the first page here: the view answers 400 for it
    (``apply_filters`` reports it with the filters' messages, a list without filters checks
    ``requested_page`` itself).

    Costs a COUNT query (none while ``count_key`` finds it in the cache) and the page's own query.
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
