"""Steps several browser tests share: signing in, and choosing from the admin's autocomplete."""

import re

from playwright.sync_api import Locator, Page, expect


def sign_in(page: Page, username: str, password: str, next_path: str = "/") -> None:
    """Sign in through the site's own form (/accounts/login/), as a reader would."""
    page.goto(f"/accounts/login/?next={next_path}")
    form = page.locator("form.stack-form")
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile(r"^Sign out"))).to_be_visible()


def admin_sign_in(page: Page, username: str, password: str) -> None:
    """Sign in through the admin's login screen."""
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("Username:").fill(username)
    page.get_by_label("Password:").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Governance records")


def choose_autocomplete(page: Page, select_id: str, search: str, option: str) -> None:
    """Pick ``option`` in the admin's select2 autocomplete for ``<select id=select_id>``.

    Opens the combobox, types ``search`` into its search box (the admin asks the server for
    matches as you type) and clicks the matching option.
    """
    combobox = page.locator(f"#{select_id} + .select2").get_by_role("combobox")
    combobox.click()
    dropdown = page.locator(".select2-container--open .select2-dropdown")
    dropdown.get_by_role("searchbox").fill(search)
    dropdown.get_by_role("option", name=option, exact=True).click()
    expect(page.locator(f"#select2-{select_id}-container")).to_have_text(
        re.compile(re.escape(option))
    )


def inline_row(page: Page, prefix: str, index: int) -> Locator:
    """Row ``index`` of the admin's tabular inline ``prefix`` (e.g. ``items``, ``paragraphs``)."""
    return page.locator(f"#{prefix}-group tr#{prefix}-{index}")


def fill_inline(page: Page, prefix: str, index: int, **values: str) -> None:
    """Fill fields of one tabular-inline row. Its inputs carry no labels of their own (the
    column headings label them visually), so they are found by their form field names."""
    row = inline_row(page, prefix, index)
    for field, value in values.items():
        row.locator(f'[name="{prefix}-{index}-{field}"]').fill(value)


def submit(page: Page, button: str) -> None:
    """Click an admin form's ``button`` and fail plainly if the server answers the POST with an error."""
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name=button, exact=True).click()
    response = posted.value
    assert response.status < 500, (
        f"the admin answered {response.status} to {button!r} on {response.url} (see the server's "
        "traceback in the captured log)"
    )


def open_inline(page: Page, prefix: str) -> None:
    """Open the admin inline ``prefix`` if Django rendered it collapsed (a closed <details>),
    as a person would: by clicking its heading. An inline shown open is left as it is."""
    details = page.locator(f"#{prefix}-group details")
    if details.count() and not details.first.evaluate("d => d.open"):
        details.first.locator("summary").click()
    expect(page.locator(f"#{prefix}-group table")).to_be_visible()
