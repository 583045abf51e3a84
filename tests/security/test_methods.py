"""Every view declares its methods: a method it does not take (PUT, DELETE, PATCH) is a 405, never a page,
a redirect or a change — whoever asks, with whatever id."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

SAMPLE = {"uuid": uuid.uuid4(), "int": 1, "slug": "basic", "part": "members", "string": "x", "path": "x"}
SKIPPED = ("admin/", "api/")  # Django's admin and the API framework answer methods themselves


def patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), namespace + entry.name, entry.pattern.converters


def urls():
    for route, name, converters in patterns():
        if route.startswith(SKIPPED):
            continue
        kwargs = {
            key: SAMPLE[type(conv).__name__.replace("Converter", "").lower()]
            for key, conv in converters.items()
        }
        yield name, reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_no_view_takes_an_undeclared_method(client, demo, method):
    client.force_login(demo.zhangsan)
    answers = {name: getattr(client, method)(url).status_code for name, url in urls()}
    assert len(answers) > 40
    wrong = {name: status for name, status in answers.items() if status != 405}
    assert not wrong, wrong
