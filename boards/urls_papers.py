from django.urls import path

from . import views, views_pdf

app_name = "papers"
urlpatterns = [
    path("", views.paper_list, name="list"),
    path("<int:pk>/", views.paper_detail, name="detail"),
    path("<int:pk>.pdf", views_pdf.paper_pdf, name="pdf"),
]
