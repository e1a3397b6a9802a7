from django.urls import path

from . import views, views_pdf

app_name = "decisions"
urlpatterns = [
    path("", views.register, name="register"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>.pdf", views_pdf.notice_pdf, name="pdf"),
]
