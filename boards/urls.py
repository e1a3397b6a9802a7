from django.urls import path, register_converter

from minutebook.converters import IsoDateConverter

from . import views, views_pdf

register_converter(IsoDateConverter, "isodate")

app_name = "boards"
urlpatterns = [
    path("", views.board_list, name="list"),
    path("<slug:board>/", views.board_detail, name="detail"),
    path("<slug:board>/<isodate:date>/", views.meeting_detail, name="meeting"),
    path("<slug:board>/<isodate:date>/minutes.pdf", views_pdf.minutes_pdf, name="minutes_pdf"),
    path("<slug:board>/<isodate:date>/pack.pdf", views_pdf.pack_pdf, name="pack_pdf"),
]
