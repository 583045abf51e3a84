"""Issue 12 item 4: no select on any page shows Django's "---------"; every empty choice reads "...请选择...".

The pages are the access matrix's: every URL of FILING_ROWS (in every filing state) and OTHER_ROWS that a persona
may GET (expected 200), as that persona, plus the admin site's index, every changelist and every add form.
"""

import re

from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from .matrix_data import FILING_ROWS, OTHER_ROWS, PERSONAS, STATES
from .test_access_matrix import body_of, filing_kwargs, matrix, other_kwargs  # noqa: F401 - matrix is a fixture

DASHES = "---------"
EMPTY_OPTION = re.compile(r'<option value=""[^>]*>([^<]*)</option>')


def readable(codes, index):
    return (codes if len(codes) == 1 else codes[index]) == "2"


def pages(ctx):
    """(persona, url) for every page of the matrix that persona may read."""
    for name, rule in FILING_ROWS.items():
        if rule.get is None:
            continue
        for index, state in enumerate(STATES):
            filing = ctx.filings[state]
            kwargs = filing_kwargs(name, filing, ctx.extras[state])
            for p_index, persona in enumerate(PERSONAS):
                if readable(rule.get[p_index], index):
                    yield persona, reverse(name, kwargs=kwargs)
    for name, rule in OTHER_ROWS.items():
        if rule.get is None:
            continue
        for p_index, persona in enumerate(PERSONAS):
            if rule.get[p_index] == "2":
                yield persona, reverse(name, kwargs=other_kwargs(name, ctx))
    yield "admin", reverse("admin:index")
    for model in admin.site._registry:
        for view in ("changelist", "add"):
            try:
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")
            except NoReverseMatch:
                continue
            yield "admin", url


def test_no_dashes_on_any_page_of_the_matrix(matrix):  # noqa: F811 - the fixture
    checked, empty_choices, failures = 0, 0, []
    for persona, url in pages(matrix):
        response = matrix.clients[persona].get(url)
        if response.status_code != 200:
            continue  # e.g. an admin add form the role may not use; the matrix itself checks statuses
        body = body_of(response).decode("utf-8", "replace")
        checked += 1
        if DASHES in body:
            failures.append(f"{url} as {persona}")
        for label in EMPTY_OPTION.findall(body):
            empty_choices += 1
            # A form's empty choice asks to choose; a list filter's says it filters nothing ("全部…").
            if label.strip() != "...请选择..." and not label.strip().startswith("全部"):
                failures.append(f"{url} as {persona}: empty choice {label!r}")
    assert checked > 100
    assert empty_choices > 0  # the selects were really there (国别, 合作类别, the admin's forms …)
    assert not failures, "\n".join(failures)
