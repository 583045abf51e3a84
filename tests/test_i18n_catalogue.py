"""The English catalogue (issue 12 item 7, docs/i18n.md): complete, not fuzzy, real English, compiled; and the
国别（地区） list in English: every ISO 3166-1 code once, no two labels equal, alphabetical."""

import re
import unicodedata
from collections import Counter
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from kechuang import countries

LOCALE = Path(settings.BASE_DIR) / "kechuang" / "locale" / "en" / "LC_MESSAGES"
HAN = re.compile(r"[\u4e00-\u9fff]")
# Chinese that belongs in an English sentence: examples of what is typed or registered in Chinese.
HAN_ALLOWED = ("黑ICP备12345678号", "黑公网安备", "<令牌>")


def catalogue():
    with open(LOCALE / "django.po", "rb") as handle:
        return read_po(handle)


def strings(message):
    return [message.string] if isinstance(message.string, str) else list(message.string)


def test_every_msgid_is_translated_not_fuzzy_and_english():
    messages = [m for m in catalogue() if m.id]
    assert len(messages) > 1290
    untranslated = [m.id for m in messages if not all(strings(m))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    chinese = [
        m.id
        for m in messages
        if any(HAN.search(s) for s in strings(m)) and not any(a in m.id for a in HAN_ALLOWED)
    ]
    copies = [
        m.id for m in messages if m.string == m.id and HAN.search(str(m.id))
    ]  # "Home" is English already
    assert (untranslated, fuzzy, chinese, copies) == ([], [], [], [])


def test_placeholders_survive_translation():
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    wrong = []
    for message in catalogue():
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        if set(placeholder.findall(ids[-1])) != set(placeholder.findall(strings(message)[-1])):
            wrong.append(message.id)
    assert wrong == []


def test_the_committed_mo_is_compiled_from_the_po():
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = {
            (m.context, tuple(m.id) if isinstance(m.id, list | tuple) else m.id): tuple(m.string)
            if isinstance(m.string, list | tuple)
            else m.string
            for m in read_mo(handle)
            if m.id
        }
    source = {
        (m.context, tuple(m.id) if isinstance(m.id, list | tuple) else m.id): tuple(m.string)
        if isinstance(m.string, list | tuple)
        else m.string
        for m in catalogue()
        if m.id
    }
    assert compiled == source, "run `make messages` to compile kechuang/locale"


def test_the_catalogue_is_what_django_uses():
    with translation.override("en"):
        assert translation.gettext("上报") == "Submit"
        assert translation.gettext("退回修改") == "Returned for revision"
        assert translation.gettext("流转记录") == "Workflow history"
        assert (
            translation.gettext("省国际科技合作平台备案")
            == "Provincial International S&T Cooperation Platform Filing"
        )
    with translation.override("zh-hans"):
        assert translation.gettext("上报") == "上报"


def flat(choices):
    out = []
    for value, label in choices:
        out.extend(label if isinstance(label, list) else [(value, label)])
    return out


def test_country_list_in_english():
    with translation.override("en"):
        choices = countries.choices(include_china=True, regions=True)
    listed = flat(choices)
    assert Counter(code for code, _ in listed) == Counter(countries.ISO_3166_1)
    labels = [label for _, label in listed]
    assert len(set(labels)) == len(labels) == 249
    assert not any(HAN.search(label) for label in labels)
    *plain, (group, regions) = choices
    assert str(group) == "Regions" and [label for _, label in regions] == [
        "Hong Kong, China",
        "Macao, China",
        "Taiwan, China",
    ]

    def key(label):
        return unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().casefold()

    names = [label for _, label in plain]
    assert names == sorted(names, key=key)
    assert names[:3] == ["Afghanistan", "Åland Islands", "Albania"]
    assert ("WS", "Samoa") in plain and ("AS", "American Samoa") in plain
    with translation.override("zh-hans"):
        assert countries.name("WS") == "萨摩亚"
