"""The OpenAPI schema's answers beyond 200 (bad filters, missing records, too many requests), and the records'
`translations`."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema

from hearings.translated import languages

_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
_FIELD_ERRORS = {
    "type": "object",
    "description": "Each refused parameter with its errors.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ERRORS = {
    "400": ("A filter parameter has a value it does not take.", _FIELD_ERRORS),
    "404": ("No such public record, or no such page.", _DETAIL),
    "429": ("Too many requests from this address: try again after the Retry-After header's seconds.", _DETAIL),
}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, (description, body) in ERRORS.items():
            if code == "400" and not getattr(self.view, "filterset_class", None):
                continue
            responses.setdefault(code, {"description": description, "content": {"application/json": {"schema": body}}})
        return responses


class SummarySchema(ApiSchema):
    """An endpoint whose list address answers one object (a summary of the selection), not a list of them."""

    def _is_list_view(self, serializer=None):
        return False


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
