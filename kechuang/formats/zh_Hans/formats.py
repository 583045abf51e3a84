# Dates on Chinese pages as the spec and the manual write them (2026-01-31 09:30); Django's zh_Hans module
# supplies every format not set here. Templates ask for these names (date:"SHORT_DATE_FORMAT"), not fixed formats.
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DATETIME_FORMAT = "Y-m-d H:i:s"
YEAR_MONTH_FORMAT = "Y-m"
