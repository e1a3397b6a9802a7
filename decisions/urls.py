from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.register, name="register"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/", views.detail, name="detail"),
]
