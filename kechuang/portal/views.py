"""Portal pages (门户): home, section pages, business search, notices, and the error pages (P1–P4)."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from kechuang.accounts.models import Region
from kechuang.filings.models import Filing, Status
from kechuang.workflow.models import Business, Section

from .models import Notice

HOME_NOTICE_COUNT = 8
SEARCH_MAX_LENGTH = 50
MAP_CACHE_SECONDS = 300  # 创新地图


def innovation_map():
    """创新地图: every city/region of the province with its number of completed filings, in one query.

    The numbers are public aggregate counts (how many platforms are filed where), not filings: nobody's
    filing is loaded or shown, so this deliberately does not go through Filing.objects.visible_to.
    They are cached for five minutes: the most visited page need not count 100,000 filings each time, and a
    completion appears on the map a few minutes later.
    """
    counts = cache.get_or_set(
        "portal:innovation-map",
        lambda: dict(
            Filing.objects.filter(status=Status.DONE)
            .order_by()
            .values_list("unit__region")
            .annotate(Count("id"))
        ),
        MAP_CACHE_SECONDS,
    )
    return [(region.label, counts.get(region.value, 0)) for region in Region]


def notice_tab(value):
    """The news tab named in the query string, or the first tab for anything unknown."""
    return value if value in Notice.Tab.values else Notice.Tab.PROJECTS


def with_open_state(businesses, today=None):
    """Pair each business with whether its 申报期 is open today, computed once per request."""
    today = today or timezone.localdate()
    businesses = list(businesses)
    prefetch_related_objects(businesses, "seasons")  # 申报期 and is_open from one query for the page
    return [(business, business.is_open(today)) for business in businesses]


def paginate(request, queryset):
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


@require_safe
def home(request):
    tab = notice_tab(request.GET.get("news"))
    notices = Notice.objects.filter(tab=tab).only("public_id", "title", "published_on")[:HOME_NOTICE_COUNT]
    return render(
        request,
        "portal/home.html",
        {
            "nav_current": "home",
            "regions": innovation_map(),
            "news_tabs": Notice.Tab,
            "news_current": tab,
            "notices": notices,
            "resource_sections": [
                Section.PLATFORMS,
                Section.PROJECTS,
                Section.AWARDS,
                Section.VOUCHERS,
                Section.SERVICES,
            ],
        },
    )


@require_safe
def section(request, section):
    if section not in Section.values:
        raise Http404
    current = Section(section)
    page = paginate(request, Business.objects.filter(section=current))
    return render(
        request,
        "portal/section.html",
        {
            "nav_current": current.value,
            "section": current,
            "page": page,
            "businesses": with_open_state(page.object_list),
        },
    )


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    page = paginate(request, Business.objects.search(query)) if query else None
    return render(
        request,
        "portal/search.html",
        {
            "search_query": query,
            "page": page,
            "businesses": with_open_state(page.object_list) if page else [],
        },
    )


@require_safe
def notices(request):
    """All notices of one news tab, newest first (the home page shows only the latest few)."""
    tab = notice_tab(request.GET.get("tab"))
    page = paginate(request, Notice.objects.filter(tab=tab).only("public_id", "title", "published_on"))
    return render(
        request,
        "portal/notices.html",
        {"nav_current": "home", "news_tabs": Notice.Tab, "news_current": tab, "page": page},
    )


@require_safe
def notice(request, public_id):
    item = get_object_or_404(Notice, public_id=public_id)
    return render(request, "portal/notice.html", {"nav_current": "home", "notice": item})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a Chinese page that tells people to reload and try again (HTTP 403)."""
    return render(request, "403_csrf.html", status=403)
