"""A collaborated function's summary as PDF: the same body and chart as its page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from minutebook.pdf import PdfDocument, pdf_filename, pdf_view, serve_pdf

from .views import function_context


@pdf_view
def function_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """Rendered from what the reader may see; never cached as locked (functions change)."""
    context = function_context(request, slug)
    function = context["function"]

    def build() -> dict:
        return {
            **context,
            "pdf": {
                "title": f"{function.name}: collaboration summary",
                "author": "Office of the Police and Crime Commissioner",
                "subject": f"{function.name}: business cases, agreements, decisions and savings "
                "forecast against realised",
                "keywords": ["collaboration", function.area.name, function.name],
                "header": f"Collaboration · {function.area.name} · {function.name}",
            },
        }

    document = PdfDocument(
        name=f"function:{function.pk}",
        template="pdf/function.html",
        build=build,
        filename=pdf_filename("collaboration", slug=function.slug),
        locked=False,
    )
    return serve_pdf(request, document)
