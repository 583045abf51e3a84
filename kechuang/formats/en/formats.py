# Dates on English pages: day, abbreviated month, year (31 Jan 2026 09:30), unambiguous for readers of any
# English-speaking country; Django's en module supplies every format not set here (input formats included).
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
DATETIME_FORMAT = "j M Y H:i:s"
YEAR_MONTH_FORMAT = "M Y"
