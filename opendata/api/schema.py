"""The OpenAPI schema's answers beyond 200 (refused parameters, missing records, too many requests, too long an
address), and the records' `translations`."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension

from hearings.domain.record_text import languages

_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
_FIELD_ERRORS = {
    "type": "object",
    "description": "Each refused parameter with its errors.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
# gunicorn refuses a longer request line (method, path and query string) before the application sees it.
REQUEST_LINE_LIMIT = 4094
ERRORS = {
    "400": (
        "A parameter has a value it does not take: a slug of no public record, a year outside its bounds, a date "
        "that is not one, a page size that is not a whole number of 1 or more.",
        {"application/json": {"schema": _FIELD_ERRORS}},
    ),
    "404": ("No such public record, or no such page.", {"application/json": {"schema": _DETAIL}}),
    "414": (
        f"The request line (method, path and query string) is longer than the server takes ({REQUEST_LINE_LIMIT} "
        "bytes): the server answers a short HTML page.",
        {"text/html": {"schema": {"type": "string"}}},
    ),
    "429": (
        "Too many requests from this address: try again after the Retry-After header's seconds.",
        {"application/json": {"schema": _DETAIL}},
    ),
}
# A list's page number past the last page is a 404, not a 400: the others can be refused.
_NEVER_REFUSED = {"page"}
# The pagination's parameters; every other query parameter is a filter, and a filter left empty is no filter
# (the pages' filter forms send every field, filled or not).
_PAGINATION = {"page", "page_size"}


def document_empty_filters_and_errors(result, generator, request, public):
    """A POSTPROCESSING_HOOKS hook: filters taking an empty value, and the answers any operation may give."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            query = [parameter for parameter in operation.get("parameters", ()) if parameter["in"] == "query"]
            for parameter in query:
                if parameter["name"] not in _PAGINATION:
                    parameter["allowEmptyValue"] = True
            names = {parameter["name"] for parameter in query}
            for code, (description, content) in ERRORS.items():
                if code == "400" and not names - _NEVER_REFUSED:
                    continue
                operation["responses"].setdefault(code, {"description": description, "content": content})
    return result


class TranslationsFieldSchema(OpenApiSerializerFieldExtension):
    """A record's `translations`: an object per language code, each with the record's translated fields as text."""

    target_class = "opendata.api.serializers.TranslationsField"

    def map_serializer_field(self, auto_schema, direction):
        texts = {
            "type": "object",
            "properties": {name: {"type": "string"} for name in self.target.names.values()},
            "additionalProperties": False,
        }
        return {
            "type": "object",
            "properties": dict.fromkeys(languages(), texts),
            "additionalProperties": False,
        }
