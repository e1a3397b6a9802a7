"""The site's account addresses: sign in, sign out, change one's own password.

No password reset by email: a forgotten password is set again by OPCC staff in the admin (or
``manage.py changepassword``), so no public form can be used to probe which addresses have
logins or to flood them with mail. Sign-in failures are throttled by django-axes.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(template_name="registration/change_password.html"),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_changed.html"
        ),
        name="password_change_done",
    ),
]
