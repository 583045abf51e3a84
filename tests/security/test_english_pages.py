"""Issue 12 item 7: every page of the access matrix, in English, shows no Chinese outside what people typed.

The pages are those of ``pages(matrix)`` (test_please_choose.py): every URL a persona may read, in every filing
state, as that persona — except the admin site, which may stay Chinese. English is chosen the way people choose
it: signed-in personas have it on their account (User.language), the anonymous visitor has the language cookie.

"What people typed" is every string stored in the database's user-data rows (units, people, departments,
filings and their parts, notices, 公示, registrations …): those substrings are removed from the page text before
it is searched for Han characters. Not counted as typed, so they must come out translated: the names the system
itself creates (the business, its stages, the 合作类别 options) and the 流程阶段 labels copied into 流转记录.
Also removed: elements marked ``lang="zh-Hans"`` (the "中文" option of the language switch says its own name).
In-site messages are stored in the recipient's language when they are sent (test_language.py shows that), so
the matrix's, sent before the personas chose English, are treated as stored text.
"""

import html
import re
from pathlib import PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from kechuang.accounts.models import User
from kechuang.portal import markdown

from .matrix_data import PERSONAS
from .test_access_matrix import body_of, matrix  # noqa: F401 - matrix is a fixture
from .test_please_choose import pages

HAN = re.compile(r"[\u4e00-\u9fff]+")
# System-made names and labels: they must be translated, so they are not "typed".
TRANSLATED_FIELDS = {
    ("workflow", "business"): {"name", "description"},
    ("workflow", "stage"): {"name"},
    ("filings", "cooperationcategory"): {"name"},
    ("review", "flowrecord"): {"from_status", "to_status"},
}
# Machinery, not content shown to people outside the admin site.
SKIPPED_MODELS = {("audit", "securityevent"), ("api", "apilog"), ("outbox", "outboxmail")}
MARKED_CHINESE = re.compile(r'<(\w+)\b[^>]*\blang="zh-Hans"[^>]*>.*?</\1>', re.S)
TAGS = re.compile(r"<!--.*?-->|<[^>]+>", re.S)


def visible_lines(text):
    """The lines a page shows of ``text``: as stored, and as rendered when it is Markdown (notices, 隐私政策)."""
    yield from (line.strip() for line in text.splitlines())
    yield from (line.strip() for line in html.unescape(TAGS.sub("\n", markdown.render(text))).splitlines())


def typed_strings():
    """Every Han-bearing string value of the user-data rows, each of its lines (pages break long text), and the
    base names of stored files (a download shows its file name)."""
    found = set()
    for model in apps.get_models():
        key = (model._meta.app_label, model._meta.model_name)
        if model._meta.app_label not in {
            c.label for c in apps.get_app_configs() if c.name.startswith("kechuang")
        }:
            continue
        if key in SKIPPED_MODELS:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.FileField)
            and not f.choices
            and f.attname not in TRANSLATED_FIELDS.get(key, set())
        ]
        for values in model.objects.values_list(*fields) if fields else ():
            for value in values:
                if value and HAN.search(str(value)):
                    text = str(value)
                    found.update({text, PurePosixPath(text).name})
                    found.update(line for line in visible_lines(text) if HAN.search(line))
    return sorted(found, key=len, reverse=True)


def english_clients(ctx):
    clients = {"anon": Client()}
    clients["anon"].cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    User.objects.filter(username__in=PERSONAS[1:]).update(language="en")
    for persona in PERSONAS[1:]:
        clients[persona] = Client()
        clients[persona].force_login(User.objects.get(username=persona))
    return clients


def chinese_left(body, typed):
    text = MARKED_CHINESE.sub(" ", body)
    text = html.unescape(TAGS.sub(" ", text))
    for value in typed:
        if value in text:
            text = text.replace(value, " ")
    return HAN.findall(text), text


def test_every_page_of_the_matrix_is_english(matrix):  # noqa: F811 - the fixture
    every_page = list(pages(matrix))  # builds the rows some URLs need (a 公示, a registration …) first
    clients = english_clients(matrix)
    typed = typed_strings()
    assert any("示例科技大学" in value for value in typed)  # the units' names are typed data
    checked, failures = 0, {}
    for persona, url in every_page:
        if url.startswith("/admin/"):
            continue  # the admin site may stay Chinese
        response = clients[persona].get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue  # PDFs and Excel files are official documents (Chinese); the matrix checks statuses
        body = body_of(response).decode()
        assert '<html lang="en">' in body, f"{url} as {persona}"
        checked += 1
        runs, text = chinese_left(body, typed)
        for run in runs:
            at = text.index(run)
            context = " ".join(text[max(0, at - 40) : at + len(run) + 40].split())
            failures.setdefault(run, f"{url} as {persona}: {run!r} in …{context}…")
    assert checked > 100
    assert not failures, f"{len(failures)} Chinese texts on English pages:\n" + "\n".join(failures.values())


def test_the_check_finds_chinese_outside_typed_data():
    """The oracle itself: UI Chinese is found, typed values and the marked 中文 option are not."""
    body = '<html lang="en"><p>Unit: 示例科技大学</p><button lang="zh-Hans">中文</button><p>保存</p></html>'
    runs, _text = chinese_left(body, ["示例科技大学"])
    assert runs == ["保存"]
