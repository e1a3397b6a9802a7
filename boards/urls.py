from django.urls import path, register_converter

from minutebook.converters import IsoDateConverter

from . import views

register_converter(IsoDateConverter, "isodate")

app_name = "boards"
urlpatterns = [
    path("", views.board_list, name="list"),
    path("<slug:board>/", views.board_detail, name="detail"),
    path("<slug:board>/<isodate:date>/", views.meeting_detail, name="meeting"),
]
