"""What an import file may hold, checked before the file is read: hearings in JSON, people and organizations in
CSV or XLSX.

Each limit is a setting (config/settings.py; the README's import section
lists them). A file over a limit is refused whole with a message saying which
limit and by how much, before any record is read or validated, so that no file,
however made, holds an app server for more than a few seconds or makes it
read more than the limits allow.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from itertools import accumulate, islice

import openpyxl
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from jsonschema import Draft202012Validator


def number(value):
    """A count as the reader's language groups digits: 999,900; 999 900."""
    return number_format(value, force_grouping=True)


# --- Hearings in JSON ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileLimits:
    """What one hearing file may hold, and what to say to the editor whose file holds more."""

    bytes: int
    hearings: int
    records: int
    advice: str

    @property
    def containers(self):
        # JSON objects and lists in all: a speaker with a person, an organization, its group and texts in six
        # languages is a dozen. Bounds what parsing the file may allocate before the records are counted.
        return 20 * self.records


def screen_limits():
    """The admin screen's: it checks, then imports, within one request's time."""
    return FileLimits(
        bytes=settings.HEARING_IMPORT_MAX_BYTES,
        hearings=settings.HEARING_IMPORT_MAX_HEARINGS,
        records=settings.HEARING_IMPORT_MAX_RECORDS,
        advice=gettext_lazy("Split the file, or import it with: manage.py import_hearings %(name)s"),
    )


def command_limits():
    """`manage.py import_hearings`'s: no request time limit, but the memory of one process."""
    return FileLimits(
        bytes=settings.HEARING_IMPORT_COMMAND_MAX_BYTES,
        hearings=settings.HEARING_IMPORT_COMMAND_MAX_HEARINGS,
        records=settings.HEARING_IMPORT_COMMAND_MAX_RECORDS,
        advice=gettext_lazy("Split the file."),
    )


def too_large(source, size, limits):
    """The message refusing a hearing file of `size` bytes, larger than `limits` allow."""
    return _("%(source)s is %(size)s; a file may be at most %(most)s. %(advice)s") % {
        "source": source,
        "size": filesizeformat(size),
        "most": filesizeformat(limits.bytes),
        "advice": limits.advice % {"name": source},
    }


_JSON_ESCAPE = re.compile(r"\\.", re.DOTALL)
_JSON_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_shape(text):
    """(depth, containers) of a JSON text, without parsing it: how deep its lists and objects nest, how many.

    Brackets inside strings are not counted; the scan runs in the regular
    expression and string engines, in linear time and without recursion, so
    it answers for a text nested 100,000 deep as for any other.
    """
    # Escapes first (an escaped quote ends no string), then strings, which then hold no backslash: each
    # pattern is tried once from each position it can start at, so a text of unterminated strings full of
    # escaped quotes costs as little as any other.
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", _JSON_ESCAPE.sub("", text)))
    depth = max(accumulate(map(_STEP.__getitem__, brackets)), default=0)
    return depth, brackets.count("{") + brackets.count("[")


def check_json_text(source, text, limits):
    """The messages refusing a hearing file's text before it is parsed; none when it may be parsed."""
    depth, containers = json_shape(text)
    most = settings.HEARING_IMPORT_MAX_DEPTH
    if depth > most:
        return [
            _("%(source)s: the JSON is nested more than %(most)s levels deep; a hearing file needs fewer.")
            % {"source": source, "most": number(most)}
        ]
    if containers > limits.containers:
        return [
            _(
                "%(source)s holds %(count)s JSON objects and lists; a file may hold at most %(most)s (up to 20 for "
                "each of its at most %(records)s records). %(advice)s"
            )
            % {
                "source": source,
                "count": number(containers),
                "most": number(limits.containers),
                "records": number(limits.records),
                "advice": limits.advice % {"name": source},
            }
        ]
    return []


def count_records(items):
    """The records of a list of hearing objects: the hearings, their segments, speakers, links and groups."""
    count = len(items)
    for hearing in items:
        for key in ("segments", "links", "participating_groups"):
            value = hearing.get(key)
            if isinstance(value, list):
                count += len(value)
        segments = hearing.get("segments")
        for segment in segments if isinstance(segments, list) else ():
            speakers = segment.get("appearances") if isinstance(segment, dict) else None
            if isinstance(speakers, list):
                count += len(speakers)
    return count


def check_hearing_items(source, items, limits):
    """The messages refusing a parsed file that holds more hearings or records than `limits` allow."""
    advice = limits.advice % {"name": source}
    if len(items) > limits.hearings:
        return [
            _("%(source)s holds %(count)s hearings; at most %(most)s are imported at a time. %(advice)s")
            % {"source": source, "count": number(len(items)), "most": number(limits.hearings), "advice": advice}
        ]
    records = count_records(items)
    if records > limits.records:
        return [
            _(
                "%(source)s holds %(count)s records (hearings, segments, speakers, links and participating "
                "groups); at most %(most)s are imported at a time. %(advice)s"
            )
            % {"source": source, "count": number(records), "most": number(limits.records), "advice": advice}
        ]
    return []


class ErrorList:
    """The errors of an import: the first `settings.IMPORT_MAX_ERRORS` kept whole, the rest only counted."""

    def __init__(self):
        self.kept = []
        self.total = 0
        self.most = settings.IMPORT_MAX_ERRORS

    def __bool__(self):
        return self.total > 0

    def append(self, message):
        self.total += 1
        if len(self.kept) < self.most:
            self.kept.append(message)

    def extend(self, messages):
        for message in messages:
            self.append(message)

    def messages(self):
        """The kept messages and, when some were only counted, a last line saying how many."""
        more = self.total - len(self.kept)
        if not more:
            return list(self.kept)
        return [
            *self.kept,
            ngettext("… and %(count)s more error.", "… and %(count)s more errors.", more) % {"count": number(more)},
        ]


# --- People and organizations in CSV or XLSX ------------------------------------------------------------------


def spreadsheet_rows(content, *, xlsx):
    """The rows of a CSV text or of an XLSX workbook's active sheet, one by one, as tuples of cell values.

    Raises ValidationError when the file cannot be read as such, or when an XLSX
    workbook unpacks to more than `settings.SPREADSHEET_IMPORT_MAX_UNPACKED_BYTES`.
    """
    if not xlsx:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("The file is not a CSV file in UTF-8.")) from error
        yield from csv.reader(io.StringIO(text, newline=""))
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise ValidationError(_("The file is not an XLSX workbook.")) from error
    # The sizes the archive's central directory declares, read without unpacking anything. Python's zipfile
    # never unpacks more of a member than its declared size, so they bound what reading the workbook unpacks.
    unpacked = sum(member.file_size for member in archive.infolist())
    most = settings.SPREADSHEET_IMPORT_MAX_UNPACKED_BYTES
    if unpacked > most:
        raise ValidationError(
            _(
                "The workbook unpacks to %(size)s; at most %(most)s is read. Split it, or save it as CSV "
                "without its formatting."
            )
            % {"size": filesizeformat(unpacked), "most": filesizeformat(most)}
        )
    # No part of a workbook needs a document type declaration, where entities (“billion laughs”, external
    # files) are declared. openpyxl reads the sheets through defusedxml, which refuses them, but reads other parts
    # (workbook.xml, styles, relations) with lxml when that is installed: every part is checked here first, within
    # the unpacked size just bounded.
    for member in archive.infolist():
        if _declares_a_document_type(archive.read(member)):
            raise ValidationError(
                _("The workbook declares XML entities or a document type, which a spreadsheet does not need: refused.")
            )
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        yield from book.active.iter_rows(values_only=True)
    finally:
        book.close()


_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _declares_a_document_type(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # XML in UTF-16, with its byte-order mark
        data = data.decode("utf-16", "replace").encode()
    return _DOCTYPE.search(data) is not None


def _caused_by(error, kind):
    while error is not None:
        if isinstance(error, kind):
            return True
        error = error.__cause__ or error.__context__
    return False


def check_spreadsheet(content, *, xlsx, columns):
    """Refuse (ValidationError) a CSV or XLSX file that is not one, has too many rows or columns, or lacks one of
    `columns` in its first row. Reads at most one row more than the limit allows, and stops at the first row wider
    than allowed.
    """
    most_rows = settings.SPREADSHEET_IMPORT_MAX_ROWS
    most_columns = settings.SPREADSHEET_IMPORT_MAX_COLUMNS
    try:
        rows = spreadsheet_rows(content, xlsx=xlsx)
        header = next(rows, None)
        if header is None or all(cell in (None, "") for cell in header):
            raise ValidationError(_("The first row of the file is empty: it must name the columns."))
        widest, count = len(header), 0
        for row in islice(rows, most_rows + 1):
            widest, count = max(widest, len(row)), count + 1
            if widest > most_columns:
                break
        rows.close()
    except ValidationError:
        raise
    except Exception as error:
        if _caused_by(error, DefusedXmlException):  # openpyxl raises it as the cause of its own ValueError
            raise ValidationError(
                _("The workbook declares XML entities or a document type, which a spreadsheet does not need: refused.")
            ) from error
        # A damaged or hostile file fails in any of the readers' own ways (zip, XML, cells, CSV quoting).
        message = _("The file could not be read as %(format)s (%(error)s).")
        raise ValidationError(message % {"format": "XLSX" if xlsx else "CSV", "error": error}) from error
    if widest > most_columns:
        raise ValidationError(_("The file has more than %(most)s columns.") % {"most": number(most_columns)})
    if count > most_rows:
        raise ValidationError(
            _("The file holds more than %(most)s rows; at most %(most)s are imported at a time. Split the file.")
            % {"most": number(most_rows)}
        )
    named = {str(cell).strip() for cell in header if cell is not None}
    missing = [name for name in columns if name not in named]
    if missing:
        raise ValidationError(
            ngettext(
                "The file has no “%(missing)s” column; its first row must name at least these columns: %(columns)s.",
                "The file has no “%(missing)s” columns; its first row must name at least these columns: %(columns)s.",
                len(missing),
            )
            % {"missing": "”, “".join(missing), "columns": ", ".join(columns)}
        )


# --- The types of a hearing file's values ------------------------------------------------------------------------

_TEXT = {"type": ["string", "null"]}
# Orders and ordinals are whole numbers a database column holds: not 1e999, not Infinity, not a list.
_WHOLE = {"type": ["integer", "null"], "minimum": 0, "maximum": 2_147_483_647}
_TRANSLATIONS = {"type": ["object", "null"], "additionalProperties": {"type": "object", "additionalProperties": _TEXT}}


def _record(*texts, **others):
    properties = dict.fromkeys(texts, _TEXT)
    properties.update(others)
    return {"type": "object", "properties": properties}


def _reference(*texts, **others):
    """A record named by its slug (a string) or given as an object of its fields."""
    return {"anyOf": [{"type": "string"}, _record("slug", "name", *texts, **others)], "$comment": "reference"}


_GROUP = _reference()
HEARING_SHAPE = _record(
    "slug",
    "title",
    "date",
    "start_time",
    "end_time",
    "convener",
    "mandate",
    "summary",
    ordinal=_WHOLE,
    translations=_TRANSLATIONS,
    process=_reference("short_name", "mandate", "description", translations=_TRANSLATIONS),
    venue={"anyOf": [{"type": "null"}, _reference("site", "city", "country", translations=_TRANSLATIONS)]},
    participating_groups={"type": ["array", "null"], "items": _GROUP},
    links={"type": ["array", "null"], "items": _record("kind", "title", "url")},
    segments={
        "type": ["array", "null"],
        "items": _record(
            "kind",
            "title",
            "theme",
            "summary",
            order=_WHOLE,
            translations=_TRANSLATIONS,
            appearances={
                "type": ["array", "null"],
                "items": _record(
                    "role",
                    "position",
                    "summary",
                    order=_WHOLE,
                    translations=_TRANSLATIONS,
                    person=_reference("sort_name", "honorific_prefix"),
                    organization={
                        "anyOf": [
                            {"type": "null"},
                            _reference(
                                "short_name", "country", "website", stakeholder_group=_GROUP, translations=_TRANSLATIONS
                            ),
                        ]
                    },
                ),
            },
        ),
    },
)
_TYPE_NAMES = {
    "string": gettext_lazy("text"),
    "integer": gettext_lazy("a whole number"),
    "array": gettext_lazy("a list"),
    "object": gettext_lazy("an object"),
    "null": "null",
}


_NUMBERED = {
    "segments": gettext_lazy("segment %(n)s"),
    "appearances": gettext_lazy("speaker %(n)s"),
    "links": gettext_lazy("link %(n)s"),
    "participating_groups": gettext_lazy("participating group %(n)s"),
}


def _place(where, path):
    """ "two.json, hearing 2 “second”, segment 1, speaker 3: order", as the import's other errors name places."""
    parts, field, steps = [where], [], list(path)
    for index, step in enumerate(steps):
        following = steps[index + 1] if index + 1 < len(steps) else None
        if step in _NUMBERED and isinstance(following, int) and not field:
            parts.append(str(_NUMBERED[step]) % {"n": following + 1})
        elif isinstance(step, int) and index and steps[index - 1] in _NUMBERED and not field:
            continue
        else:
            field.append(f"[{step}]" if isinstance(step, int) else str(step))
    place = ", ".join(parts)
    return f"{place}: {'.'.join(field)}" if field else place


def _wrong_type(error):
    """What a value of the wrong kind should have been, in the editor's words."""
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return _("expected %(types)s.") % {"types": _(" or ").join(str(_TYPE_NAMES[name]) for name in expected)}
    if error.validator in ("minimum", "maximum"):
        return _("expected a whole number from 0 to 2,147,483,647.")
    if error.schema.get("$comment") == "reference" or error.validator == "anyOf":
        return _("expected a slug, or an object with the record's fields.")
    return _("a value of the wrong type.")


def _unencodable(value, path):
    """The places of texts that are not valid Unicode (a lone surrogate, which JSON lets through)."""
    stack = [(value, path)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                yield path
        elif isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, path))
                stack.append((item, [*path, key]))
        elif isinstance(value, list):
            stack.extend((item, [*path, index]) for index, item in enumerate(value))


def check_hearing_types(source, items):
    """The messages refusing hearing objects whose values are not of the kinds the import takes; none when all are.

    Checked against `HEARING_SHAPE` before any record is looked up, so that a list where a slug goes, a number
    where a name goes or 1e999 for an order is an error naming its place, not a failure on the way.
    """
    validator = Draft202012Validator(HEARING_SHAPE)
    errors = ErrorList()
    for number_in_file, item in enumerate(items, start=1):
        slug = item.get("slug") if isinstance(item.get("slug"), str) else ""
        where = _("%(source)s, hearing %(number)s “%(slug)s”") % {
            "source": source,
            "number": number_in_file,
            "slug": slug,
        }
        for error in sorted(validator.iter_errors(item), key=lambda error: list(map(str, error.absolute_path))):
            errors.append(f"{_place(where, error.absolute_path)}: {_wrong_type(error)}")
        for path in _unencodable(item, []):
            errors.append(f"{_place(where, path)}: " + _("the text holds a character that is not valid Unicode."))
    return errors.messages()
