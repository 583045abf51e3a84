"""``{% html_lang %}`` (the BCP 47 tag of the page: zh-Hans or en) and ``{% language_switch %}`` (中文 | English)."""

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()

# Django's codes are lower case; <html lang> and lang="" take BCP 47 tags, whose script subtag is title case.
BCP47 = {"zh-hans": "zh-Hans", "en": "en"}
# What each option of the switch says, in its own language (the label of LANGUAGES is the settings' own).
SWITCH_LABELS = {"zh-hans": "中文", "en": "English"}


def bcp47(code):
    return BCP47.get(code, code)


@register.simple_tag
def html_lang():
    return bcp47(translation.get_language() or settings.LANGUAGE_CODE)


@register.inclusion_tag("accounts/_language_switch.html", takes_context=True)
def language_switch(context):
    """A POST form to set_language with one button per language: works without JavaScript, by keyboard. No
    ``next`` field: set_language returns to the (same-origin) Referer, so every page's header is the same and a
    404 says nothing of the address asked for."""
    current = translation.get_language()
    return {
        "csrf_token": context.get("csrf_token"),
        "options": [
            {
                "code": code,
                "lang": bcp47(code),
                "label": SWITCH_LABELS.get(code, name),
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ],
    }
