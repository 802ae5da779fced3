"""What generated records are made of: marks, sizes, and the syllables and phrases names are built from."""

import datetime

from hearings.models import Appearance, Segment

PREFIX = "demo-"
PROCESS_SLUG = "demo-generated-process"
PROCESS_NAME = "Generated demo process"
TITLE_PREFIX = "[Demo]"
# Besides the slug, people carry MARK as biography, organizations a WEBSITE address and groups
# MARK as description, so that an editor's "Demo …" record is never taken for a generated one.
WEBSITE = "https://example.org/"
MARK = "Made-up record generated for demonstration; not a real event, person or organization."
# Hearing.ordinal is a PositiveSmallIntegerField and ordinals are unique within the process.
MAX_HEARINGS = 32767
BATCH_SIZE = 1000
# Hearings built, written and indexed per step: bounds memory and paces the progress bar.
CHUNK = 500
FIRST_DAY = datetime.date(1990, 1, 1)
LAST_DAY = datetime.date(2026, 12, 31)
DRAFT_SHARE = 0.05

# Syllables for made-up names, with accents as in real records; they make no name of the seed records.
GIVEN_STARTS = ["Jü", "Mi", "Ana", "Lu", "Ré", "So", "Ka", "Te", "Ol", "Zé", "Ai", "Bo", "Da", "El", "Fa", "Ha"]
GIVEN_STARTS += ["In", "Ja", "Ma", "Ni", "Ra", "Sa", "To", "Ya", "Ço", "Ilé", "Ví", "Ø"]
GIVEN_ENDS = ["rg", "ra", "lia", "mon", "na", "sé", "ko", "dro", "via", "ran", "lis", "ka", "mir", "ène", "thi", "ña"]
GIVEN_ENDS += ["el", "bert", "ssa", "no", "di", "ja"]
FAMILY_STARTS = ["Vaj", "Dóm", "Ber", "Nó", "Kov", "Sø", "Ibá", "Mül", "Ša", "Oku", "Dia", "Fer", "Hal", "Ngu", "Pe"]
FAMILY_STARTS += ["Rö", "Tan", "Vá", "Zap", "Čer", "Al", "Be", "Co", "Du", "Esté", "Gra", "Kwa", "Lo", "Mbe", "Ra"]
FAMILY_ENDS = ["čák", "ez", "ler", "ssen", "ñez", "ová", "ski", "lund", "ard", "owe", "ić", "adi", "ero", "ström"]
FAMILY_ENDS += ["yan", "ella", "ko", "mba", "cho", "ides", "oğlu", "ani", "ton", "vić"]
HONORIFICS = ["", "", "", "Ms.", "Mr.", "H.E. Ms.", "H.E. Mr.", "Hon.", "Dr.", "Prof."]

PLACE_STARTS = ["Vel", "Kas", "Mor", "Ald", "Zan", "Ost", "Bri", "Cal", "Ter", "Lun", "Sar", "Eri", "Nov", "Quel"]
PLACE_STARTS += ["Tav", "Dor", "Mar", "Pel", "Rhu", "Sol"]
PLACE_MIDDLES = ["", "", "a", "e", "o", "an", "il"]
PLACE_ENDS = ["oria", "ova", "avia", "esia", "and", "ania", "ium", "ora", "enia", "adia", "ique", "ero"]
CITY_ENDS = ["burg", "polis", "ville", "grad", "ford", "haven", "port", "field", "mouth", "stad"]

FIELDS = ["Migration", "Development", "Health", "Human Rights", "Education", "Labour", "Climate", "Trade"]
FIELDS += ["Children", "Gender Equality", "Peace", "Water", "Food Security", "Urban Policy"]
INDUSTRIES = ["Logistics", "Telecom", "Energy", "Agrifood", "Finance", "Textiles", "Software", "Shipping"]
THEMES = [
    "safe and regular pathways for migration",
    "decent work for migrant workers",
    "climate change and human mobility",
    "remittances and financial inclusion",
    "data for evidence-based policy",
    "the rights of migrant children",
    "return and reintegration",
    "social cohesion in host communities",
    "access to basic services",
    "recognition of skills and qualifications",
    "regional cooperation",
    "countering xenophobia and discrimination",
    "the role of local authorities",
    "diaspora engagement",
    "gender-responsive policy",
    "universal health coverage",
    "financing for development",
    "ocean conservation",
    "disaster risk reduction",
    "youth employment",
    "the rights of indigenous peoples",
    "antimicrobial resistance",
    "non-communicable diseases",
    "sustainable cities",
    "education in emergencies",
    "access to justice",
    "digital inclusion",
    "water and sanitation",
]
JOB_TITLES = [
    "Executive Director",
    "Director",
    "Programme Officer",
    "Policy Adviser",
    "Professor",
    "Researcher",
    "Coordinator",
    "Member of Parliament",
    "Mayor",
    "Permanent Representative",
    "Deputy Permanent Representative",
    "Secretary-General",
    "President",
    "Founder",
    "Legal Officer",
]
SAYINGS = [
    "Called for stronger commitments on {theme}.",
    "Described the experience of {place} with {theme}.",
    "Urged Member States to involve affected communities in work on {theme}.",
    "Presented findings on {theme} and asked for better data.",
    "Stressed that {theme} needs predictable funding.",
    "Shared lessons learned in {place} and proposed follow-up indicators.",
    "",
]
SEGMENT_SUMMARIES = [
    "Speakers discussed {theme} and exchanged views on priorities for the outcome document.",
    "The discussion focused on {theme}, with examples from several regions.",
    "Participants reviewed progress on {theme} and identified gaps in implementation.",
]
PANEL_NAMES = ["First", "Second", "Third", "Fourth"]
SEGMENT_TITLES = {
    "opening": "Opening segment",
    "presentation": "Keynote presentation",
    "discussion": "Interactive discussion",
    "closing": "Closing segment",
}
VENUES = [
    ("Trusteeship Chamber", "United Nations Headquarters", "New York", "United States"),
    ("Conference Room 4", "United Nations Headquarters", "New York", "United States"),
    ("Economic and Social Council Chamber", "United Nations Headquarters", "New York", "United States"),
    ("General Assembly Hall", "United Nations Headquarters", "New York", "United States"),
    ("Assembly Hall", "Palais des Nations", "Geneva", "Switzerland"),
    ("Room XX", "Palais des Nations", "Geneva", "Switzerland"),
    ("Conference Room 1", "United Nations Office at Nairobi", "Nairobi", "Kenya"),
    ("Board Room", "Vienna International Centre", "Vienna", "Austria"),
]
# Per kind of segment: the first speaker's role, the others' role, and how many speak (3 to 10 in all).
SPEAKING = {
    Segment.Kind.OPENING: (Appearance.Role.CHAIR, Appearance.Role.SPEAKER, 3, 5),
    Segment.Kind.PANEL: (Appearance.Role.MODERATOR, Appearance.Role.PANELIST, 4, 7),
    Segment.Kind.PRESENTATION: (Appearance.Role.MODERATOR, Appearance.Role.PRESENTER, 3, 4),
    Segment.Kind.DISCUSSION: (Appearance.Role.CO_FACILITATOR, Appearance.Role.SPEAKER, 6, 10),
    Segment.Kind.CLOSING: (Appearance.Role.CHAIR, Appearance.Role.SPEAKER, 3, 5),
}
# Used only when the database has no stakeholder groups: (slug, name, parent slug).
DEMO_GROUPS = [
    ("demo-member-states", "Member States (demo)", None),
    ("demo-un-system", "UN system (demo)", None),
    ("demo-civil-society", "Civil society (demo)", None),
    ("demo-trade-unions", "Trade unions (demo)", "demo-civil-society"),
    ("demo-migrant-and-diaspora-organizations", "Migrant and diaspora organizations (demo)", "demo-civil-society"),
    ("demo-academia", "Academia (demo)", None),
    ("demo-private-sector", "Private sector (demo)", None),
    ("demo-parliaments", "Parliaments (demo)", None),
]


SINGULAR = {
    "hearings": "hearing",
    "segments": "segment",
    "appearances": "appearance",
    "people": "person",
    "organizations": "organization",
    "venues": "venue",
    "stakeholder_groups": "stakeholder group",
    "processes": "process",
}
