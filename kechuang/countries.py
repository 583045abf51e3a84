"""国别（地区）: the one country catalogue (ISO 3166-1 codes, CLDR names in Chinese and English).

Names come from CLDR through Babel, with a small reviewed override table where CLDR differs from Chinese
official usage. Chinese lists are sorted by pinyin, English ones alphabetically. 中国香港, 中国澳门 and 中国台湾 are
regions, never countries: they are listed apart, and whether they are offered at all is the setting
``OFFER_CHINESE_REGIONS`` (default: offered). Codes are stored as they are (two letters); the model fields
below keep the columns django-countries used (``CHAR(2)``, and a comma-separated ``CHAR(746)`` list).

Used by the filing forms and, for names, by anything that shows or exports a country (``name(code)``).
"""

import functools
import unicodedata

from babel import Locale
from django import forms
from django.conf import settings
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

# The officially assigned ISO 3166-1 alpha-2 codes (249). No user-assigned codes (XK, …) and no CLDR-only ones
# (EU, UN, 001, …): what is stored here must mean the same thing in any other system.
ISO_3166_1 = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE
    BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD
    CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF
    GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
    MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
    NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI
    SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK
    TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()  # noqa: SIM905 - the table reads as ISO publishes it
)
CHINA = "CN"
# Regions of China: shown as 中国香港 / 中国澳门 / 中国台湾 (in this customary order), in their own group, never
# among the countries.
CHINESE_REGIONS = ("HK", "MO", "TW")

# Where CLDR's names differ from the names used in Chinese official documents. Reviewed: CLDR (Babel 2.x)
# says 中国香港特别行政区 / Hong Kong SAR China, 中国澳门特别行政区 / Macao SAR China, 台湾 / Taiwan,
# 斯威士兰 (renamed 埃斯瓦蒂尼 in 2018; CLDR's English already says Eswatini), 巴勒斯坦领土 / Palestinian Territories.
OVERRIDES = {
    "zh": {"HK": "中国香港", "MO": "中国澳门", "TW": "中国台湾", "SZ": "埃斯瓦蒂尼", "PS": "巴勒斯坦"},
    "en": {"HK": "Hong Kong, China", "MO": "Macao, China", "TW": "Taiwan, China", "PS": "Palestine"},
}
_LOCALES = {"zh": "zh_Hans", "en": "en"}

REGIONS_GROUP = _("地区")
FIELD_LABEL = _("国别（地区）")
FILTER_LABEL = _("输入名称或代码筛选")  # beside the select: its label says what is filtered


def _language(language=None):
    """The catalogue language for a Django language code: Chinese for zh-*, English for everything else."""
    language = (language or get_language() or settings.LANGUAGE_CODE).lower()
    return "zh" if language.startswith("zh") else "en"


@functools.cache
def names(language="zh"):
    """code → name for every ISO 3166-1 code, in ``language`` ("zh" or "en")."""
    territories = Locale.parse(_LOCALES[language]).territories
    table = {code: territories[code] for code in ISO_3166_1}
    table.update(OVERRIDES[language])
    return table


def name(code, language=None):
    """The name of ``code`` in the current (or the given) language; an unknown code is shown as it is."""
    code = str(code or "").upper()
    return names(_language(language)).get(code, code)


def sort_key(label, language="zh"):
    """Chinese by pinyin (tone numbers break ties of equal syllables), English by letters without accents."""
    if language == "zh":
        # Letters first (重庆-style polyphones come out of pypinyin's phrase table), then the tones, then the text.
        return (lazy_pinyin(label), lazy_pinyin(label, style=Style.TONE3), label)
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    return (plain.casefold(), label)


@functools.cache
def _sorted(language, codes):
    table = names(language)
    return tuple(sorted(((code, table[code]) for code in codes), key=lambda c: sort_key(c[1], language)))


def offer_regions():
    return getattr(settings, "OFFER_CHINESE_REGIONS", True)


def choices(language=None, include_china=False, regions=None):
    """Select choices: the countries in pinyin (or English) order, then the group 地区 (中国香港, 中国澳门,
    中国台湾) when ``regions`` (default: the setting ``OFFER_CHINESE_REGIONS``) is on. China itself only with
    ``include_china`` (the overseas partners of a filing are never in China)."""
    language = _language(language)
    regions = offer_regions() if regions is None else regions
    excluded = set(CHINESE_REGIONS) | (set() if include_china else {CHINA})
    result = list(_sorted(language, frozenset(ISO_3166_1 - excluded)))
    if regions:
        table = names(language)
        result.append((str(REGIONS_GROUP), [(code, table[code]) for code in CHINESE_REGIONS]))
    return result


def flat_choices(language=None, **kwargs):
    """``choices()`` without the group: (code, name) pairs."""
    out = []
    for value, label in choices(language, **kwargs):
        out.extend(label if isinstance(label, list) else [(value, label)])
    return out


def sort_codes(codes, language=None):
    """Codes in the display order of ``language`` (e.g. a filing's partner countries for its 国别 selects)."""
    language = _language(language)
    return [code for code, _label in _sorted(language, frozenset(c for c in codes if c in ISO_3166_1))]


# --- model fields --------------------------------------------------------------------------------------------


class Country(str):
    """A stored code that also knows its name: ``filing.main_country.code`` / ``.name`` (a plain str otherwise:
    compares, filters and serialises as the code)."""

    __slots__ = ()

    @property
    def code(self):
        return str(self)

    @property
    def name(self):
        return name(self) if self else ""


class _CountryAttribute(DeferredAttribute):
    """A data descriptor (it has ``__set__``), so reads of a loaded value go through ``wrap`` too."""

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        return value if instance is None else self.field.wrap(value)

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class CountryField(models.CharField):
    """One ISO 3166-1 code (``CHAR(2)``, blank allowed where the field says so). Reads give a ``Country``."""

    descriptor_class = _CountryAttribute

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 2)
        super().__init__(*args, **kwargs)

    def wrap(self, value):
        return Country(value or "")

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value and value not in ISO_3166_1:
            raise forms.ValidationError(_("请选择有效的国别（地区）。"), code="invalid_choice")

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedChoiceField,
            "choices": lambda: [("", ""), *choices(include_china=True, regions=True)],
        }
        return super(models.CharField, self).formfield(**{**defaults, **kwargs})


class CountryListField(models.CharField):
    """Several ISO 3166-1 codes, stored comma-separated (``CHAR(746)``: all 249 codes fit). Reads give a list of
    ``Country``; a list or a comma-separated string may be assigned."""

    descriptor_class = _CountryAttribute

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 746)
        super().__init__(*args, **kwargs)

    @staticmethod
    def _codes(value):
        if not value:
            return []
        if isinstance(value, str):
            value = value.split(",")
        return [str(code).strip() for code in value if str(code).strip()]

    def wrap(self, value):
        return [Country(code) for code in self._codes(value)]

    def from_db_value(self, value, expression, connection):
        return self._codes(value)

    def to_python(self, value):
        return self._codes(value)

    def get_prep_value(self, value):
        return ",".join(self._codes(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        codes = self._codes(value)
        if not codes and not self.blank:
            raise forms.ValidationError(self.error_messages["blank"], code="blank")
        if any(code not in ISO_3166_1 for code in codes):
            raise forms.ValidationError(_("请选择有效的国别（地区）。"), code="invalid_choice")

    def run_validators(self, value):
        super().run_validators(self.get_prep_value(value))

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": lambda: flat_choices(include_china=True, regions=True),
        }
        return super(models.CharField, self).formfield(**{**defaults, **kwargs})
