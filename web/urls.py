"""Every address of the site: the pages, PDFs and exports of ``web.views``, the admin, health."""

from django.contrib import admin
from django.urls import include, path, register_converter

from minutebook.converters import IsoDateConverter
from minutebook.views import healthz

from .views import boards, collaboration, decisions, errors, finance, mine, pdfs, search, site

register_converter(IsoDateConverter, "isodate")

admin.site.site_header = "Minutebook administration"
admin.site.site_title = "Minutebook"
admin.site.index_title = "Governance records"

board_urls = [
    path("", boards.board_list, name="list"),
    path("<slug:board>/", boards.board_detail, name="detail"),
    path("<slug:board>/<isodate:date>/", boards.meeting_detail, name="meeting"),
    path("<slug:board>/<isodate:date>/minutes.pdf", pdfs.minutes_pdf, name="minutes_pdf"),
    path("<slug:board>/<isodate:date>/pack.pdf", pdfs.pack_pdf, name="pack_pdf"),
]
paper_urls = [
    path("", boards.paper_list, name="list"),
    path("<int:pk>/", boards.paper_detail, name="detail"),
    path("<int:pk>.pdf", pdfs.paper_pdf, name="pdf"),
]
action_urls = [path("", boards.action_list, name="list")]
decision_urls = [
    path("", decisions.register, name="register"),
    path("export.csv", decisions.export_csv, name="export_csv"),
    path("<int:pk>/", decisions.detail, name="detail"),
    path("<int:pk>.pdf", pdfs.notice_pdf, name="pdf"),
]
finance_urls = [
    path("", finance.index, name="index"),
    path("lines/", finance.line_list, name="lines"),
    path("lines.csv", finance.lines_csv, name="lines_csv"),
    path("lines.xlsx", finance.lines_xlsx, name="lines_xlsx"),
]
collaboration_urls = [
    path("", collaboration.index, name="index"),
    path("functions/<slug:slug>/", collaboration.function_detail, name="function"),
    path("functions/<slug:slug>.pdf", pdfs.function_pdf, name="function_pdf"),
    path("agreements/", collaboration.agreement_list, name="agreements"),
    path("agreements/<int:pk>/", collaboration.agreement_detail, name="agreement"),
]
search_urls = [path("", search.results, name="results")]
my_urls = [
    path("", mine.home, name="home"),
    path("changes/", mine.changes, name="changes"),
]

urlpatterns = [
    path("", boards.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accessibility/", site.accessibility, name="accessibility"),
    path("accounts/", include("web.urls_accounts")),
    path("admin/", admin.site.urls),
    path("boards/", include((board_urls, "boards"))),
    path("papers/", include((paper_urls, "papers"))),
    path("actions/", include((action_urls, "actions"))),
    path("decisions/", include((decision_urls, "decisions"))),
    path("finance/", include((finance_urls, "finance"))),
    path("collaboration/", include((collaboration_urls, "collaboration"))),
    path("search/", include((search_urls, "search"))),
    path("my/", include((my_urls, "my"))),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
