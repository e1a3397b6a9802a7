from django.urls import path

from . import views, views_pdf

app_name = "collaboration"
urlpatterns = [
    path("", views.index, name="index"),
    path("functions/<slug:slug>/", views.function_detail, name="function"),
    path("functions/<slug:slug>.pdf", views_pdf.function_pdf, name="function_pdf"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
]
