"""Hardening (issue 9): sign-in lockout, password rules, no public password reset, the
Content-Security-Policy, Permissions-Policy and Cache-Control headers, the error pages, and
settings that fail loudly (DEBUG off unless asked for, a secret key required then)."""

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.views.defaults import server_error

from minutebook.middleware import keep_private
from minutebook.security import ForbiddenWordsValidator, client_ip
from tests.factories import PaperFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Tall-ships-sail-at-dawn-42"


def directives(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: [sources]}."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_hardened(response) -> None:
    """The headers every page, PDF and admin screen carries."""
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


# -- headers -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/papers/", "/decisions/", "/accounts/login/", "/healthz"])
def test_public_pages_carry_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_hardened(response)


@pytest.mark.django_db
def test_the_public_gets_no_private_cache_control_on_a_page_anyone_may_read(client):
    assert "private" not in cache_control(client.get("/"))


@pytest.mark.parametrize("reader", ["staff_client", "finance_client"])
def test_every_page_a_signed_in_reader_gets_is_private(request, reader):
    signed_in = request.getfixturevalue(reader)
    for url in ("/", "/papers/", "/finance/", "/accounts/password_change/"):
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert "private" in cache_control(response), url
        assert "public" not in cache_control(response), url


@pytest.mark.django_db
def test_a_board_members_pages_are_private(member_of):
    paper = PaperFactory()
    response = member_of(paper.board).get(paper.get_absolute_url())
    assert response.status_code == 200
    assert "private" in cache_control(response)


def test_private_replaces_public_and_keeps_the_other_directives():
    response = HttpResponse()
    response["Cache-Control"] = "public, max-age=600"
    keep_private(response)
    assert cache_control(response) == {"private", "max-age=600"}


@pytest.mark.parametrize(
    "stricter", ["no-store", "private, no-cache", "no-cache, no-store, must-revalidate"]
)
def test_what_the_view_set_is_kept_when_it_is_already_private_or_stricter(stricter):
    response = HttpResponse()
    response["Cache-Control"] = stricter
    keep_private(response)
    assert response["Cache-Control"] == stricter


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/boards/paper/",
        "/admin/boards/paper/add/",
        "/admin/decisions/decisionnotice/",
        "/admin/finance/financialline/",
        "/admin/password_change/",
    ],
)
def test_the_admin_works_and_carries_the_security_headers(staff_client, url):
    response = staff_client.get(url)
    assert response.status_code == 200
    assert_hardened(response)
    assert "private" in cache_control(response)


@pytest.mark.django_db
def test_the_admins_sign_in_carries_the_security_headers(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_hardened(response)


def inline_scripts(html: str) -> list[str]:
    """The page's script elements that run code written in the page (no ``src``; JSON data
    blocks do not run), and its event-handler attributes."""
    found = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]
    return found + re.findall(r"\son[a-z]+=", html)


def test_the_admins_screens_run_no_inline_script(staff_client):
    paper = PaperFactory()
    for url in ("/admin/", f"/admin/boards/paper/{paper.pk}/change/", "/admin/boards/meeting/add/"):
        assert inline_scripts(staff_client.get(url).content.decode()) == [], url


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["client", "staff_client"])
def test_a_pdf_carries_the_headers_and_stays_private_no_cache(request, reader):
    paper = PaperFactory()
    response = request.getfixturevalue(reader).get(f"/papers/{paper.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_hardened(response)
    assert {"private", "no-cache"} <= cache_control(response)


def style_hash(value: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(value.encode()).digest()).decode() + "'"


@pytest.mark.django_db
def test_an_aligned_table_in_record_text_is_allowed_its_alignment_and_nothing_else(client):
    paper = PaperFactory(body="| Year | £k |\n| --- | ---: |\n| 2015/16 | 197 |\n")
    response = client.get(paper.get_absolute_url())
    assert 'style="text-align:right"' in response.content.decode()
    allowed = directives(response)["style-src-attr"]
    assert allowed[0] == "'unsafe-hashes'"
    assert style_hash("text-align:right") in allowed
    assert sorted(allowed[1:]) == sorted(
        style_hash(f"text-align:{side}") for side in ("left", "center", "right")
    )


# -- sign-in lockout ----------------------------------------------------------------------


@pytest.fixture
def reader(db):
    user = UserFactory(username="reader")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, password, url="/accounts/login/", username="reader", address="192.0.2.10"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_correct_password_after_fewer_failures_than_the_limit_signs_in(client, reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "wrong password")
        assert response.status_code == 200
        assert "did not match" in response.content.decode()
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == reader


def test_the_limit_of_failures_locks_that_username_from_that_address(client, reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong password")
    locked = sign_in(client, "wrong password")
    assert locked.status_code == 429
    # Even the right password is refused now, with the lockout page.
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in is locked" in page
    assert f"locked for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in page
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert_hardened(response)
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_the_lockout_covers_the_admins_sign_in_too(client, reader, settings):
    reader.is_staff = True
    reader.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong password", url="/admin/login/")
    assert sign_in(client, PASSWORD, url="/admin/login/").status_code == 429
    assert sign_in(client, PASSWORD).status_code == 429


def test_a_locked_username_may_still_sign_in_from_another_address(client, reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong password", address="192.0.2.66")
    assert sign_in(client, PASSWORD, address="192.0.2.66").status_code == 429
    assert sign_in(client, PASSWORD, address="198.51.100.7").status_code == 302


def test_a_successful_sign_in_clears_the_failures(client, reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong password")
    assert sign_in(client, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong password")
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_lockout_can_be_switched_off(client, reader, settings):
    settings.AXES_ENABLED = False
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        sign_in(client, "wrong password")
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_client_is_the_connection_without_proxies(settings):
    settings.MINUTEBOOK_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.0.0.2"


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw_not_one_it_forwarded(settings):
    settings.MINUTEBOOK_PROXY_COUNT = 1
    forged = "6.6.6.6, 203.0.113.9"  # the client wrote 6.6.6.6; the proxy appended 203.0.113.9
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forged)
    assert client_ip(request) == "203.0.113.9"
    settings.MINUTEBOOK_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.MINUTEBOOK_PROXY_COUNT = 3  # fewer addresses than proxies: not trusted
    assert client_ip(request) == "10.0.0.2"


def test_axes_and_csp_find_nothing_wrong_with_the_settings():
    found = [m for m in run_checks() if m.id and m.id.split(".")[0] in {"axes", "csp"}]
    assert found == []


# -- passwords ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Minutebook2026!", "password_contains_site_name"),
        ("my MINUTE-BOOK pass", "password_contains_site_name"),
        ("m1nuteb00k-horses", "password_contains_site_name"),
        ("opcc-tall-ships-2026", "password_contains_site_name"),
        ("Cambridgeshire-ships-2026", "password_contains_site_name"),
        ("password1234", "password_too_common"),
        ("123456789012", "password_entirely_numeric"),
        ("Sh0rt-pass!", "password_too_short"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert code in {error.code for error in refused.value.error_list}


@pytest.mark.django_db
def test_a_password_like_the_users_own_name_is_refused():
    user = UserFactory(username="eleanor.whitfield", first_name="Eleanor", last_name="Whitfield")
    with pytest.raises(ValidationError) as refused:
        validate_password("eleanorwhitfield", user)
    assert "password_too_similar" in {error.code for error in refused.value.error_list}


def test_a_long_uncommon_passphrase_is_accepted():
    validate_password(PASSWORD)
    validate_password("correct horse battery staple")


def test_the_name_rule_names_the_word_and_tells_the_reader_beforehand():
    validator = ForbiddenWordsValidator(words=["minutebook", "opcc"])
    with pytest.raises(ValidationError) as refused:
        validator.validate("Minutebook2026!")
    assert "“minutebook”" in refused.value.messages[0]
    assert "“opcc”" in validator.get_help_text()


def test_changing_a_password_runs_the_rules(staff_client):
    response = staff_client.post(
        "/accounts/password_change/",
        {
            "old_password": "irrelevant",
            "new_password1": "Minutebook2026!",
            "new_password2": "Minutebook2026!",
        },
    )
    assert response.status_code == 200
    assert "a name of this site or of the office" in response.content.decode()


def test_the_password_change_page_is_the_sites_own(staff_client):
    page = staff_client.get("/accounts/password_change/").content.decode()
    assert "<h1>Change your password</h1>" in page
    assert "Skip to main content" in page  # base.html, not the admin's layout


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/set-password/",
        "/accounts/reset/done/",
    ],
)
def test_no_password_reset_is_offered(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_sign_in_pages_offer_no_password_reset(client):
    assert "password_reset" not in client.get("/accounts/login/").content.decode()
    assert "Forgotten your password" not in client.get("/admin/login/").content.decode()


def test_the_signed_in_reader_needs_a_session_not_a_password_in_the_tests(staff_client):
    # The suite signs in with force_login, so neither the lockout nor the rules get in its way.
    assert staff_client.get("/admin/").status_code == 200


# -- error pages -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_missing_page_answers_the_sites_own_404(client):
    response = client.get("/papers/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert "Skip to main content" in page


def test_a_server_error_answers_a_page_without_a_traceback():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Something went wrong</h1>" in page
    assert "Traceback" not in page


# -- settings from the environment -------------------------------------------------------------

PRODUCTION = {
    "DJANGO_SECRET_KEY": "test-only-" + "k" * 60,
    "DJANGO_ALLOWED_HOSTS": "minutebook.example.org",
}


def settings_in_a_fresh_process(code: str, **environ: str) -> subprocess.CompletedProcess:
    """Run ``code`` after importing ``minutebook.settings`` as ``s`` in a new Python, with none
    of the project's variables but ``environ`` (the suite itself runs with DJANGO_DEBUG=1)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MINUTEBOOK_"))}
    env |= environ
    return subprocess.run(
        [sys.executable, "-c", f"import minutebook.settings as s\n{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_is_off_unless_asked_for():
    run = settings_in_a_fresh_process(
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)", **PRODUCTION
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False", "True", "True"]


def test_sessions_are_kept_in_a_cache_only_when_every_worker_shares_it():
    """Sessions in this process's memory would outlive a sign-out made on another worker."""
    for cache_url, expected in (
        ("locmem://", "django.contrib.sessions.backends.db"),
        ("redis://127.0.0.1:6379/1", "django.contrib.sessions.backends.cached_db"),
        ("file:///var/cache/minutebook", "django.contrib.sessions.backends.cached_db"),
    ):
        run = settings_in_a_fresh_process(
            "from django.conf import global_settings as g\n"
            "print(getattr(s, 'SESSION_ENGINE', g.SESSION_ENGINE))",
            MINUTEBOOK_CACHE_URL=cache_url,
            **PRODUCTION,
        )
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == expected, cache_url


def test_debug_off_without_a_secret_key_the_site_refuses_to_start_naming_the_variable():
    run = settings_in_a_fresh_process("import minutebook.wsgi")
    assert run.returncode != 0
    last_line = run.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY")
    assert "DJANGO_DEBUG=1" in last_line


def test_debug_off_without_a_secret_key_commands_run_but_the_deploy_check_fails():
    """``manage.py check`` and migrations run on a throwaway key; ``check --deploy`` does not
    pass, naming the variable; with the key set the site starts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MINUTEBOOK_"))}
    manage = [sys.executable, "manage.py"]
    plain = subprocess.run([*manage, "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert plain.returncode == 0, plain.stderr
    deploy = subprocess.run(
        [*manage, "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert deploy.returncode != 0
    assert "minutebook.E002" in deploy.stderr and "DJANGO_SECRET_KEY must be set" in deploy.stderr
    started = settings_in_a_fresh_process("import minutebook.wsgi", **PRODUCTION)
    assert started.returncode == 0, started.stderr


def test_development_needs_nothing_but_debug_on():
    run = settings_in_a_fresh_process("print(s.DEBUG, bool(s.SECRET_KEY))", DJANGO_DEBUG="1")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "True"]


def test_the_lockout_is_configured_from_the_environment():
    run = settings_in_a_fresh_process(
        "print(s.AXES_ENABLED, s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())",
        MINUTEBOOK_LOGIN_FAILURES="8",
        MINUTEBOOK_LOCKOUT_MINUTES="15",
        MINUTEBOOK_LOGIN_LOCKOUT="off",
        **PRODUCTION,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False", "8", "900.0"]


def test_the_lockout_defaults_to_five_failures_and_thirty_minutes():
    run = settings_in_a_fresh_process(
        "print(s.AXES_ENABLED, s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())",
        **PRODUCTION,
    )
    assert run.stdout.split() == ["True", "5", "1800.0"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MINUTEBOOK_LOGIN_FAILURES", "five"),
        ("MINUTEBOOK_LOGIN_FAILURES", "0"),
        ("MINUTEBOOK_LOCKOUT_MINUTES", "-1"),
    ],
)
def test_a_bad_lockout_value_stops_naming_the_variable(variable, value):
    run = settings_in_a_fresh_process("", **{variable: value}, **PRODUCTION)
    assert run.returncode != 0
    assert f"ImproperlyConfigured: {variable} must be a whole number" in run.stderr
