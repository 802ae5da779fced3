"""Text folding shared by indexing and search, so both sides compare alike on every database; ASCII slugs."""

import re
import unicodedata

from django.utils.text import slugify
from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def fold(text):
    """Lower-case ASCII transliteration: “LAJČÁK” and “Lajčák” both give “lajcak”."""
    text = unicodedata.normalize("NFKC", text or "").replace("\x00", " ")
    return _SPACES.sub(" ", unidecode(text).lower()).strip()


def ascii_slug(text, max_length=200):
    """“Miroslav Lajčák” gives “miroslav-lajcak”: transliterated, lower-case, at most `max_length` long."""
    return slugify(unidecode(text or ""))[:max_length].strip("-")
