"""Collaboration pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..page_cache import cached_page
from ..pages import collaboration as pages


@cached_page
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "collaboration/index.html", pages.index_context(request.user))


@cached_page
def function_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = pages.function_context(request.user, slug)
    return render(request, "collaboration/function_detail.html", context)


@cached_page
def agreement_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "collaboration/agreement_list.html", pages.agreements_context(request.user)
    )


@cached_page
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = pages.agreement_context(request.user, pk)
    return render(request, "collaboration/agreement_detail.html", context)
