"""Portal pages (门户): home, section pages, business search, notices, and the error pages (P1–P4)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from kechuang.publicity.models import PublicityBatch
from kechuang.security.uploads import download_name
from kechuang.statistics.service import innovation_map
from kechuang.workflow.models import Business, Section

from . import markdown
from .models import Notice, NoticeAttachment, SiteSettings

HOME_NOTICE_COUNT = 8
SEARCH_MAX_LENGTH = 50


def publicity_batches(tab, count=None):
    """The 公示公告 tab lists the published 公示批次 (newest first) above its notices."""
    if tab != Notice.Tab.ANNOUNCEMENTS:
        return []
    batches = PublicityBatch.objects.published().only(
        "public_id", "title", "start_on", "end_on", "published_at"
    )
    return list(batches[:count] if count else batches)


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
            "regions": innovation_map(),  # the same numbers as 统计分析's by-city table
            "batches": publicity_batches(tab, HOME_NOTICE_COUNT),
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
    # No business name holds a NUL character, and PostgreSQL refuses one in a query parameter.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]
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
        {
            "nav_current": "home",
            "news_tabs": Notice.Tab,
            "news_current": tab,
            "page": page,
            "batches": publicity_batches(tab) if page.number == 1 else [],
        },
    )


@require_safe
def notice(request, public_id):
    """A notice: its Markdown body rendered and sanitised (portal.markdown), and its PDF attachments."""
    item = get_object_or_404(Notice, public_id=public_id)
    context = {
        "nav_current": "home",
        "notice": item,
        "body_html": markdown.render(item.body),
        "attachments": item.attachments.all(),
    }
    return render(request, "portal/notice.html", context)


@require_safe
def notice_attachment(request, public_id, attachment_id):
    """A notice's PDF: public like the notice, always a download, never sniffed as anything else."""
    attachment = get_object_or_404(
        NoticeAttachment.objects.filter(notice__public_id=public_id), public_id=attachment_id
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = download_name(attachment.original_name)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def privacy(request):
    """隐私政策: the text the administrator sets in 网站设置 (Markdown, sanitised)."""
    text = SiteSettings.current().privacy_policy
    return render(request, "portal/privacy.html", {"body_html": markdown.render(text) if text else ""})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a Chinese page that tells people to reload and try again (HTTP 403)."""
    return render(request, "403_csrf.html", status=403)
