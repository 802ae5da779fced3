"""The Nu Html Checker finds no error in the HTML the server sends for any public page type, in every language."""

from .support import check_html, describe_html_errors, pages_in_every_language

# A document with known errors, checked in the same run: a checker that reports nothing fails the test.
CANARY = '<!DOCTYPE html><html lang="en"><head></head><body><p>A head without a title.</p></body></html>'
CANARY_ERROR = "Element \u201chead\u201d is missing a required instance of child element \u201ctitle\u201d."


def test_public_pages_are_valid_html(live_server, seeded, page):
    documents, statuses, expected_statuses = {}, {}, {}
    for name, path, status in pages_in_every_language():
        response = page.goto(live_server.url + path)
        statuses[name], expected_statuses[name] = response.status, status
        # The server's own markup, not the DOM the browser repaired from it.
        documents[name] = response.text()

    errors = check_html({**documents, "canary": CANARY})

    assert statuses == expected_statuses
    assert [message["message"] for message in errors.pop("canary")] == [CANARY_ERROR], "the checker missed the canary"
    found = {name: messages for name, messages in errors.items() if messages}
    assert found == {}, f"The Nu Html Checker found errors:\n{describe_html_errors(found)}"
