"""Every public page type, in each of the six languages, reflows (WCAG 1.4.10) at 320 px and at 200% zoom,
survives the text-spacing overrides
(WCAG 1.4.12), keeps its focus visible in forced-colours mode, and mirrors when laid out right to left."""

import pytest
from django.urls import reverse

from tests.factories import HearingFactory, HearingParticipationFactory, StakeholderGroupFactory

from .support import FOCUS, SCREENSHOTS, SEED_HEARING, pages_in_every_language, public_pages, visible_focus

# The page's width as laid out, and the window's: wider means the reader scrolls sideways.
WIDTHS = "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"

# Each link, button and field of the header: where it is, and whether it is shown at all.
HEADER_CONTROLS = """() => [...document.querySelectorAll(".site-header :is(a, button, input, select)")].map(element => {
    const box = element.getBoundingClientRect();
    return {
        what: element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
            + " " + (element.innerText || element.placeholder || "").trim().slice(0, 30),
        left: box.left, right: box.right, top: box.top, bottom: box.bottom,
        shown: box.width > 0 && box.height > 0 && getComputedStyle(element).visibility === "visible",
    };
})"""

# WCAG 1.4.12: line height 1.5 times the font size, 2 font sizes after paragraphs, letter spacing 0.12 and word
# spacing 0.16 times the font size, all at once (the rules of the W3C's text-spacing bookmarklet).
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-block-end: 2em !important; }
"""

ADOPT_STYLE_SHEET = """css => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}"""

# Boxes whose text no longer fits them: cut off where the box hides its overflow, over its neighbours otherwise.
# Form fields scroll their own value, a scrolling box (a wide data table's) lets its reader scroll, and visually
# hidden text is clipped on purpose. Where nothing is hidden, ink standing a few pixels above or below its box
# (the tall letters of Arabic type at a line height of 1.5) covers nothing: half a line or more does.
SPILLED_TEXT = """() => {
    const spilled = [];
    for (const element of document.body.querySelectorAll("*")) {
        if (element.closest(".visually-hidden, input, select, textarea, script, style, svg")) continue;
        const style = getComputedStyle(element);
        if (style.display === "none" || style.display === "inline" || style.visibility !== "visible") continue;
        if (!element.textContent.trim()) continue;
        if (/(auto|scroll)/.test(style.overflowX + style.overflowY)) continue;
        const wide = element.scrollWidth - element.clientWidth, tall = element.scrollHeight - element.clientHeight;
        const hides = style.overflowX !== "visible" || style.overflowY !== "visible";
        if (wide > 1 || (hides && tall > 1) || tall >= parseFloat(style.fontSize) / 2) {
            spilled.push({
                what: element.tagName.toLowerCase() + (element.className ? "." + element.className : ""),
                text: element.textContent.trim().slice(0, 40),
                overflow: style.overflow,
                wider_by: wide,
                taller_by: tall,
            });
        }
    }
    // A chart's labels: drawn inside its SVG, which cuts off what runs past its edges.
    for (const text of document.querySelectorAll("svg text")) {
        const box = text.getBBox(), width = text.ownerSVGElement.viewBox.baseVal.width;
        if (width && (box.x < -1 || box.x + box.width > width + 1)) {
            const label = text.textContent.trim().slice(0, 40);
            spilled.push({what: "svg text", text: label, left: box.x, right: box.x + box.width});
        }
    }
    return spilled;
}"""

FORCED_COLORS = "() => matchMedia('(forced-colors: active)').matches"

# Where an element's box sits across the window, or its text when `text` (a heading spans the column; its text
# sits at the start of the line).
EDGES = """([selector, text]) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    let box = element.getBoundingClientRect();
    if (text) {
        const range = document.createRange();
        range.selectNodeContents(element);
        box = range.getBoundingClientRect();
    }
    return {left: box.left, right: box.right};
}"""


def header_problems(controls, window_width):
    """The header's controls that are hidden, past either edge of the window, or on top of one another."""
    problems = [f"{c['what']} hidden" for c in controls if not c["shown"]]
    problems += [
        f"{c['what']} from {c['left']:.0f} to {c['right']:.0f} px"
        for c in controls
        if c["shown"] and (c["left"] < -0.5 or c["right"] > window_width + 0.5)
    ]
    for index, one in enumerate(controls):
        for other in controls[index + 1 :]:
            across = min(one["right"], other["right"]) - max(one["left"], other["left"])
            down = min(one["bottom"], other["bottom"]) - max(one["top"], other["top"])
            if across > 1 and down > 1:
                problems.append(f"{one['what']} overlaps {other['what']}")
    return problems


@pytest.mark.parametrize(
    ("width", "scale"),
    [pytest.param(320, 1, id="320px"), pytest.param(640, 2, id="1280px-at-200pct")],
)
def test_public_pages_reflow_without_sideways_scrolling(live_server, seeded, new_context, width, scale):
    """320 px wide, and a 1280 by 800 window zoomed to 200% (640 by 400 CSS px): no page scrolls sideways, and the
    header's links, search field and button are all shown inside the window, none on top of another."""
    page = new_context(width, height=400 if scale == 2 else 640, scale=scale).new_page()
    too_wide, header = {}, {}

    for name, path, _status in pages_in_every_language():
        page.goto(live_server.url + path)
        widths = page.evaluate(WIDTHS)
        assert widths["client"] == width
        if widths["scroll"] > width:
            too_wide[name] = widths["scroll"]
        if problems := header_problems(page.evaluate(HEADER_CONTROLS), width):
            header[name] = problems

    assert too_wide == {}, f"pages wider than the {width} px window (scroll width by page)"
    assert header == {}, "header controls cut off, hidden or overlapping"


@pytest.mark.parametrize("width", [320, 1280])
def test_text_spacing_overrides_cut_off_nothing(live_server, seeded, new_context, width):
    page = new_context(width).new_page()
    spilled, too_wide = {}, {}

    for name, path, _status in pages_in_every_language():
        page.goto(live_server.url + path)
        # Playwright's add_style_tag writes a <style> element, which the site's Content Security Policy refuses
        # (style-src 'self'); a style sheet built in script and adopted by the document is not subject to it, as a
        # reader's own style sheet is not. The check below shows it took effect.
        page.evaluate(ADOPT_STYLE_SHEET, TEXT_SPACING)
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).letterSpacing") != "normal"
        if found := page.evaluate(SPILLED_TEXT):
            spilled[name] = found
        if (scroll := page.evaluate(WIDTHS)["scroll"]) > width:
            too_wide[name] = scroll

    assert spilled == {}, "text that no longer fits its box with the WCAG 1.4.12 spacing"
    assert too_wide == {}, f"pages wider than the {width} px window with the WCAG 1.4.12 spacing"


def test_focus_stays_visible_in_forced_colours_mode(live_server, seeded, page):
    """Windows' high-contrast themes drop box shadows and background colours; the focus outline must remain."""
    page.emulate_media(forced_colors="active")
    unseen, stops = {}, {}

    for name, path, _status in pages_in_every_language():
        page.goto(live_server.url + path)
        assert page.evaluate(FORCED_COLORS) is True
        seen = set()
        for _ in range(60):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS)
            if focus["tag"] == "body":  # past the last stop: the browser's own controls are next
                break
            key = (focus["tag"], focus["id"], focus["text"], focus["value"])
            if key in seen:
                break
            seen.add(key)
            if not visible_focus(focus):
                unseen.setdefault(name, []).append(focus)
        stops[name] = len(seen)

    assert min(stops.values()) >= 6, f"too few focus stops to have tested anything: {stops}"
    assert unseen == {}, "focused elements without a visible outline in forced-colours mode"


def in_rtl(page):
    """Lay the page out right to left, as it will be in Arabic, whatever the language it is in."""
    page.evaluate("document.documentElement.dir = 'rtl'")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"


def mirror_problems(page, targets):
    """Measure `targets` ((selector, text?) pairs) left to right, then right to left: each should be at the mirror
    image of where it was, within 2 px, and the page no wider than the window either way."""
    window = page.evaluate(WIDTHS)["client"]
    ltr = {target: page.evaluate(EDGES, list(target)) for target in targets}
    in_rtl(page)
    rtl = {target: page.evaluate(EDGES, list(target)) for target in targets}
    problems = [f"{selector} missing" for (selector, _text), edges in ltr.items() if edges is None]
    for target, before in ltr.items():
        after = rtl[target]
        if before is None:
            continue
        mirrored = {"left": window - after["right"], "right": window - after["left"]}
        if abs(mirrored["left"] - before["left"]) > 2 or abs(mirrored["right"] - before["right"]) > 2:
            problems.append(
                f"{target[0]}: {before['left']:.0f} to {before['right']:.0f} px left to right, "
                f"{after['left']:.0f} to {after['right']:.0f} px right to left in a {window} px window"
            )
    if (scroll := page.evaluate(WIDTHS)["scroll"]) > window:
        problems.append(f"right to left, the page is {scroll} px wide in a {window} px window")
    return problems


HEADER = [(".site-name", True), (".nav-list li:first-child a", False), (".header-search button", False)]


@pytest.mark.parametrize(
    ("page_name", "width", "targets"),
    [
        ("hearing-list", 1280, [*HEADER, ("h1", True), (".filters", False), (".results", False)]),
        (
            "hearing-detail",
            1280,
            [
                *HEADER,
                (".breadcrumbs li:first-child a", False),
                ("h1", True),
                (".facts dt", True),
                (".facts dd", True),
                (".speaker__name", True),
                (".tags .tag", False),
            ],
        ),
        ("hearing-detail", 375, [*HEADER, ("h1", True), (".facts dt", True), (".speaker__name", True)]),
        (
            "stakeholder-group-list",
            1280,
            [*HEADER, (".group-table th.depth-1 a", False), (".group-table td.num a", False)],
        ),
    ],
)
def test_right_to_left_layout_mirrors_left_to_right(live_server, seeded, new_context, page_name, width, targets):
    page = new_context(width).new_page()
    path = {name: path for name, path, _status in public_pages()}[page_name]
    page.goto(live_server.url + path)

    assert mirror_problems(page, targets) == []
    # The main navigation starts from the right, as the text does.
    links = page.locator(".nav-list a")
    assert links.first.bounding_box()["x"] > links.last.bounding_box()["x"]
    if page_name == "hearing-detail" and width == 375:
        page.screenshot(path=SCREENSHOTS / f"{page_name}-rtl-{width}.png")


def test_right_to_left_skip_link_comes_in_at_the_right(live_server, seeded, page):
    page.goto(live_server.url + reverse("hearings:hearing_detail", kwargs={"slug": SEED_HEARING}))
    in_rtl(page)
    page.keyboard.press("Tab")
    box = page.locator(".skip-link").bounding_box()
    window = page.evaluate(WIDTHS)["client"]

    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert 0 < window - (box["x"] + box["width"]) <= 16, "the skip link is 0.5rem from the right edge"


def test_right_to_left_pagination_puts_the_previous_page_on_the_right(live_server, transactional_db, page):
    civil = StakeholderGroupFactory(name="Civil society", slug="civil-society")
    for number in range(45):
        HearingParticipationFactory(hearing=HearingFactory(title=f"Hearing number {number + 1}"), group=civil)
    page.goto(live_server.url + reverse("hearings:hearing_list") + "?page=2")

    assert mirror_problems(page, [(".pagination a[rel=prev]", False), (".pagination a[rel=next]", False)]) == []
    previous, following = (page.locator(f".pagination a[rel={rel}]").bounding_box() for rel in ("prev", "next"))
    assert previous["x"] > following["x"]


def test_names_inside_translated_sentences_keep_their_own_direction(live_server, seeded, page):
    """An organization's or a group's name put into a sentence is isolated (<bdi>): a Latin name inside an Arabic
    sentence stays in one piece, its punctuation with it."""
    page.goto(live_server.url + reverse("hearings:person_list") + "?organization=education-international")
    assert page.locator(".chip bdi").all_inner_texts() == ["Education International"]

    page.goto(live_server.url + reverse("hearings:stakeholdergroup_detail", kwargs={"slug": "civil-society"}))
    link = page.get_by_role("link", name="All hearings with Civil society")
    assert link.locator("bdi").all_inner_texts() == ["Civil society"]
