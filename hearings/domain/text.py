"""Text folding shared by indexing and search, so both sides compare alike on every database."""

import re
import unicodedata

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def fold(text):
    """Lower-case ASCII transliteration: “LAJČÁK” and “Lajčák” both give “lajcak”."""
    text = unicodedata.normalize("NFKC", text or "").replace("\x00", " ")
    return _SPACES.sub(" ", unidecode(text).lower()).strip()
