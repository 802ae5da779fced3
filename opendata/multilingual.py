"""The records' text in every language, as the open data gives it: the API's `translations`.

Built on `hearings.translated`; the fields come in the order `hearings.translation`
registers them, so that every answer lists them the same way.
"""

from hearings.translation import TRANSLATED_FIELDS


def fields_of(model):
    """`model`'s translated fields in their registered order (empty when it has none)."""
    return TRANSLATED_FIELDS.get(model, ())
