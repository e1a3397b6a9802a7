from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset, per_page: int | None = None) -> Page:
    """The requested page of ``queryset``; a bad or out-of-range ``?page=`` gives the nearest page.

    Costs a COUNT query and the page's own query.
    """
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
