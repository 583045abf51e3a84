"""Who sees which numbers, and the shared cache of the tables.

Scope is ``Filing.objects.visible_to`` (the one definition of scope): the province sees every submitted filing,
a 主管部门 the filings of its units, a unit administrator its unit's. ``scope_key`` names that scope in cache keys,
so two readers share an entry exactly when ``visible_to`` gives them the same filings.

Cache: every table is one entry in the configured Django cache (Redis when several app servers run), keyed by a
generation token. ``invalidate()`` (connected to review's ``filing_moved`` signal, sent after every committed
transition) replaces the token, so every server computes fresh numbers on its next request; entries also expire
after ``CACHE_SECONDS`` so a change made outside the transitions (the admin site) shows within a minute.
"""

import time

import rules
from django.core.cache import cache

from kechuang.accounts.models import Role
from kechuang.filings.models import Filing
from kechuang.workflow.models import ReviewerKind

from .tables import TABLES, counted

CACHE_SECONDS = 60
GENERATION_KEY = "statistics:generation"
PROVINCE = "p"


def may_view_statistics(user):
    """Provincial and 主管部门 reviewers and unit administrators (the rule ``can_view_statistics``)."""
    return rules.test_rule("can_view_statistics", user)


def scope_key(user):
    """A name for ``visible_to(user)``: equal keys mean equal scopes."""
    kind = {Role.PROVINCE_REVIEWER: ReviewerKind.PROVINCE, Role.DEPARTMENT_REVIEWER: ReviewerKind.DEPARTMENT}
    return key_of_scope(kind.get(user.role, ReviewerKind.UNIT_ADMIN), user.department_id, user.unit_id)


def key_of_scope(kind, department_id=None, unit_id=None):
    """The cache's name of a scope (the province, a 主管部门 or a unit): a reader's or an API token's."""
    if kind == ReviewerKind.PROVINCE:
        return PROVINCE
    if kind == ReviewerKind.DEPARTMENT:
        return f"d{department_id}"
    return f"u{unit_id}"


def filter_key(business_id=None, season_id=None, year=None):
    """The 统计分析 filters as part of a cache key (the web form's and the API's alike)."""
    return f"b{business_id or ''}-s{season_id or ''}-y{year or ''}"


def scoped(user):
    return counted(Filing.objects.visible_to(user))


def generation():
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = str(time.time_ns())
        cache.add(GENERATION_KEY, token, None)
        token = cache.get(GENERATION_KEY) or token
    return token


def invalidate(**kwargs):
    """Every cached statistic (and the 创新地图) is stale: the next request on any server recounts."""
    cache.set(GENERATION_KEY, str(time.time_ns()), None)


def _key(token, scope, filter_key, table):
    return f"statistics:{token}:{scope}:{filter_key}:{table}"


def tables(queryset, scope, filter_key, names=None):
    """The tables ``names`` (default all) of ``queryset``, from the cache where present.

    Two cache round trips (the generation, then all entries at once); one SQL query per missing table.
    """
    names = list(names or TABLES)
    token = generation()
    keys = {name: _key(token, scope, filter_key, name) for name in names}
    found = cache.get_many(keys.values())
    result, missing = {}, {}
    for name, key in keys.items():
        if key in found:
            result[name] = found[key]
        else:
            result[name] = missing[key] = TABLES[name](queryset)
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return result


def province_city_table():
    """The province's by-city table, unfiltered: the same cache entry as the province's 统计分析 page.

    Every counted filing has been submitted, so this is exactly ``counted(visible_to(a provincial reviewer))``.
    """
    return tables(counted(Filing.objects.all()), PROVINCE, "", ["city"])["city"]


def innovation_map():
    """创新地图: (city, completed filings) for the 13 cities, from ``province_city_table``."""
    return [(label, counts[1]) for _key, label, counts in province_city_table().rows]
