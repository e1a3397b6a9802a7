"""Browser tests: Chromium driven by Playwright against pytest-django's live server.

One browser for the whole session (pytest-playwright's session-scoped ``browser``); each test
gets a fresh context and page. Every test uses ``live_server`` and so a transactional test
database: the data a test reads is loaded inside the test (``seeded``), and the tables are
emptied again after it.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in this thread; without this Django's ORM
# would refuse to run in the tests (and in the live server's shared in-memory SQLite).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).resolve().parent

CHROMIUM = os.environ.get("MINUTEBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # the network is closed: no update or sync pings
    "--disable-component-update",
    "--disable-sync",
]

# How long one Playwright action or expectation may wait. The pages answer in milliseconds;
# a short limit makes a broken journey fail fast instead of waiting 30 s at every step.
ACTION_TIMEOUT_MS = 10_000


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder ``e2e`` (tryfirst: before ``-m "not e2e"`` deselects)."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless (``--headed`` still works for a local look)."""
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in ``page.goto`` go to the live server.

    (Also replaces pytest-playwright's fallback ``base_url`` fixture, which pytest 9 warns about.)
    """
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """British locale and clock, like the site; a desktop-sized window."""
    return {
        **browser_context_args,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def page(page):
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    return page


@pytest.fixture(autouse=True)
def _expect_timeout():
    from playwright.sync_api import expect

    expect.set_options(timeout=ACTION_TIMEOUT_MS)


# --- data ---------------------------------------------------------------------------------

STAFF_USERNAME = "e2e-editor"
STAFF_PASSWORD = "correct-horse-battery-staple-e2e"


@pytest.fixture
def seeded(live_server):
    """The seed records, loaded into the (transactional) test database for this test."""
    from tests.e2e import data

    return data.load()


@pytest.fixture
def staff_login(seeded):
    """A staff superuser with a known password: ``(username, password)``."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser(
        STAFF_USERNAME, "editor@example.org", STAFF_PASSWORD, first_name="Eda", last_name="Editor"
    )
    return STAFF_USERNAME, STAFF_PASSWORD
