"""The language rules of the site and of its records, stated once: everything else reads them from here.

- The site speaks the six official languages of the United Nations (`LANGUAGES`,
  in the order the language menu lists them). English keeps the addresses
  without a prefix; the others live under /ar/, /zh-hans/, /fr/, /ru/ and /es/.
- The records' text is entered in English first (`SOURCE_LANGUAGE`), which is
  required; the other five are translations editors add as they come.
  `RECORD_LANGUAGES` is that order: the source, then the others in the site's
  order. Screens, open data columns and `translations` objects list them so.
- A text with no translation in the reader's language is shown in English
  (`FALLBACK_LANGUAGES`), marked as English on the page.

Settings read this module before Django is set up: it imports nothing of the project.
"""

from django.utils.translation import gettext_lazy as _

SOURCE_LANGUAGE = "en"

LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]

RECORD_LANGUAGES = (SOURCE_LANGUAGE, *(code for code, _name in LANGUAGES if code != SOURCE_LANGUAGE))

TRANSLATIONS = RECORD_LANGUAGES[1:]

FALLBACK_LANGUAGES = (SOURCE_LANGUAGE,)
