from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("", views.index, name="index"),
    path("lines/", views.line_list, name="lines"),
    path("lines.csv", views.lines_csv, name="lines_csv"),
    path("lines.xlsx", views.lines_xlsx, name="lines_xlsx"),
]
