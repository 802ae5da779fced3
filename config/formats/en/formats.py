"""English dates as the United Nations writes them: 18 December 2017 (Django's own English says Dec. 18, 2017)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
