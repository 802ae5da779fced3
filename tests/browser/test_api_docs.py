"""The API's documentation works in a real browser under the site's Content-Security-Policy."""


def test_api_docs_show_every_operation_without_a_csp_violation(live_server, page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".opblock")

    assert page.locator(".opblock").count() == 14
    assert errors == []
