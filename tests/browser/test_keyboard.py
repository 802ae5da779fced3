"""The hearing list with the keyboard alone: skip link, filters, search and pagination, each with a visible focus."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import HearingFactory, HearingParticipationFactory, StakeholderGroupFactory

from .support import FOCUS, visible_focus


class Keyboard:
    """Presses keys on a page and notes every focused element whose focus does not show."""

    MAX_TABS = 150

    def __init__(self, page):
        self.page = page
        self.unseen = []

    def press(self, key):
        self.page.keyboard.press(key)
        return self.focus()

    def follow(self, key):
        """Press a key that loads another page, and wait for it."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def focus(self):
        focus = self.page.evaluate(FOCUS)
        if focus["tag"] not in ("body", "main") and not visible_focus(focus):
            self.unseen.append(focus)
        return focus

    def tab_to(self, matches):
        """Press Tab until the focused element `matches`; fail after MAX_TABS presses."""
        for _ in range(self.MAX_TABS):
            focus = self.press("Tab")
            if matches(focus):
                return focus
        pytest.fail(f"Tab did not reach the element within {self.MAX_TABS} presses; last focus: {focus}")


@pytest.fixture
def many_hearings(transactional_db):
    """23 hearings with civil society and 3 with academia: the civil society filter gives two pages.

    The last one alone is about remittances.
    """
    civil = StakeholderGroupFactory(name="Civil society", slug="civil-society")
    academia = StakeholderGroupFactory(name="Academia", slug="academia")
    for number in range(26):
        hearing = HearingFactory(title="Hearing on remittances" if number == 25 else f"Hearing number {number + 1}")
        HearingParticipationFactory(hearing=hearing, group=civil if number < 23 else academia)


def test_hearing_list_filters_and_pages_with_the_keyboard_alone(live_server, many_hearings, page):
    page.goto(live_server.url + reverse("hearings:hearing_list"))
    keyboard = Keyboard(page)

    skip = keyboard.press("Tab")
    assert (skip["tag"], skip["text"]) == ("a", "Skip to main content")
    # The focused skip link comes down into the window, whole.
    expect(page.locator(".skip-link")).to_be_in_viewport(ratio=1)

    assert keyboard.press("Enter")["id"] == "main"
    assert keyboard.press("Tab")["id"] == "id_q", "the filters' search box is the first stop in the page"

    checkbox = keyboard.tab_to(lambda focus: focus["type"] == "checkbox" and focus["value"] == "civil-society")
    assert checkbox["checked"] is False
    assert keyboard.press("Space")["checked"] is True

    keyboard.tab_to(lambda focus: focus["tag"] == "button" and focus["text"] == "Apply filters")
    keyboard.follow("Enter")
    assert re.search(r"[?&]stakeholder_group=civil-society(&|$)", page.url)
    assert page.locator("#results-heading").inner_text() == "23 hearings"
    assert page.locator(".hearing-row").count() == 20
    assert page.locator("input[name=stakeholder_group][value=civil-society]").is_checked()

    keyboard.tab_to(lambda focus: focus["tag"] == "a" and focus["text"] == "Next page")
    keyboard.follow("Enter")
    assert re.search(r"[?&]page=2(&|$)", page.url)
    assert "stakeholder_group=civil-society" in page.url
    assert page.locator(".hearing-row").count() == 3
    assert page.locator(".pagination [aria-current=page]").inner_text() == "Page 2 of 2"

    # Searching is typing and Enter, from the search box in the header.
    page.goto(live_server.url + reverse("hearings:hearing_list"))
    keyboard.tab_to(lambda focus: focus["id"] == "header-q")
    page.keyboard.type("REMITTANCES")
    keyboard.follow("Enter")
    assert re.search(r"[?&]q=REMITTANCES(&|$)", page.url)
    assert page.locator(".hearing-row__title").all_inner_texts() == ["Hearing on remittances"]

    unseen = "\n".join(map(str, keyboard.unseen))
    assert keyboard.unseen == [], f"focused elements without a visible focus ring:\n{unseen}"
