"""The OpenAPI schema's answers beyond 200: for bad filters, missing records and too many requests."""

from drf_spectacular.openapi import AutoSchema

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
