from django.contrib import admin
from django.urls import include, path

from boards import views as board_views

from . import views

admin.site.site_header = "Minutebook administration"
admin.site.site_title = "Minutebook"
admin.site.index_title = "Governance records"

urlpatterns = [
    path("", board_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("boards/", include("boards.urls")),
    path("papers/", include("boards.urls_papers")),
    path("actions/", include("boards.urls_actions")),
    path("decisions/", include("decisions.urls")),
    path("finance/", include("finance.urls")),
    path("collaboration/", include("collaboration.urls")),
]
