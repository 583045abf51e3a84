"""在线办理 → 在线申报 (F1), 查看 (F11), 我的平台 (F10), 删除, 数据同步 (S1, S2).

The tab form itself is in tabs.py, attachments in attachments.py. Domain logic lives in services.py, sync.py,
uploads.py; 上报 and 撤销 are review's (they move the filing). These views parse, call one function and redirect.
"""

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kechuang.forms import parse_version
from kechuang.workflow.models import Business

from . import remedy
from .display import get_filing_for_display
from .models import EDITABLE_STATUSES, Filing
from .services import (
    FilingEditError,
    create_filing,
    delete_filing,
    get_owned_filing,
    owned_filings,
    unconfirmed_message,
)
from .sync import sync_owner, sync_unit
from .tabs import BAD_VERSION, refuse, tab_url


@require_safe
@login_required
def business(request, public_id):
    """在线办理 (F1): the business, its 申报期 and the button 在线申报."""
    business = get_object_or_404(Business, public_id=public_id)
    return render(request, "filings/business.html", _business_context(request, business))


def _business_context(request, business, error=None):
    return {
        "business": business,
        "is_open": business.is_open(),
        "can_file": rules.test_rule("can_file", request.user),
        "unconfirmed": unconfirmed_message(request.user) if request.user.role == "applicant" else None,
        "error": error,
    }


@login_required
@require_POST
def create(request, public_id):
    """在线申报: a new draft owned by the applicant, then its form at 填写说明."""
    business = get_object_or_404(Business, public_id=public_id)
    try:
        filing = create_filing(business, request.user)
    except FilingEditError as error:
        context = _business_context(request, business, error.message)
        return render(request, "filings/business.html", context, status=error.status)
    messages.success(request, _("已创建平台备案，请阅读“填写说明”后逐页填写。"))
    return redirect(tab_url(filing, "guide"))


@require_safe
@login_required
def view(request, public_id):
    """预览/查看 (F11): the whole filing read-only, for everyone who may see it."""
    filing = get_filing_for_display(Filing.objects.readable_by(request.user), public_id)
    return render(
        request, "filings/view.html", {"filing": filing, "is_owner": filing.owner_id == request.user.pk}
    )


MINE_TABS = {"pending": gettext_lazy("待上报平台"), "all": gettext_lazy("所有平台")}


@require_safe
@login_required
def mine(request):
    """我的平台 (F10): 待上报平台 (draft/returned) and 所有平台, each with its count, paginated.

    Queries: session, user, both counts (one aggregate), the page's count, the page's rows (with stage).
    """
    tab = request.GET.get("tab", "pending")
    if tab not in MINE_TABS:
        tab = "pending"
    filings = owned_filings(request.user)
    counts = filings.aggregate(pending=Count("pk", filter=Q(status__in=EDITABLE_STATUSES)), all=Count("pk"))
    rows = filings.select_related("stage")
    if tab == "pending":
        rows = rows.filter(status__in=EDITABLE_STATUSES).order_by("-updated_at", "-id")
    else:
        # 撤销 on a row while possible (W7, issue 12): the newest 流转记录's action, in the same query.
        records = Filing._meta.get_field("flow_records").related_model.objects
        newest = records.filter(filing=OuterRef("pk")).order_by("-created_at", "-id").values("action")[:1]
        rows = rows.annotate(last_action=Subquery(newest)).order_by("-updated_at", "-id")
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for filing in page.object_list:
        filing.delete_url = remedy.delete_url(filing)
        filing.voidable = remedy.is_voidable(filing)
        filing.delete_url = remedy.delete_url(filing)
        filing.deletable = rules.test_rule("can_delete", request.user, filing)
    tabs = [
        (key, str(label), counts[key], f"{reverse('filings:mine')}?tab={key}")
        for key, label in MINE_TABS.items()
    ]
    context = {
        "menu_current": "mine",
        "tab": tab,
        "tab_label": MINE_TABS[tab],
        "tabs": tabs,
        "page": page,
    }
    return render(request, "filings/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, public_id):
    """删除 (F10): GET asks for confirmation; only never-submitted drafts can be deleted."""
    filing = get_owned_filing(request.user, public_id)
    context = {
        "filing": filing,
        "title": _("删除平台备案"),
        "question": remedy.delete_question(filing),
        "action": remedy.delete_url(filing),
        "back": reverse("filings:mine"),
        "version": filing.version,
    }
    if not rules.test_rule("can_delete", request.user, filing):
        if remedy.is_voidable(filing) and request.method == "GET":
            # Returned or withdrawn: its 删除 voids it; the form posts to review:void (F10 amended).
            return render(request, "filings/confirm_delete.html", context)
        context["blocked"] = _("该平台备案正在审核中或已结束，不能删除。")
        return render(
            request, "filings/confirm_delete.html", context, status=200 if request.method == "GET" else 403
        )
    if request.method == "GET":
        return render(request, "filings/confirm_delete.html", context)
    try:
        delete_filing(filing, request.user)
    except FilingEditError as error:
        return render(
            request, "filings/confirm_delete.html", {**context, "error": error.message}, status=error.status
        )
    messages.success(request, _("平台备案已删除。"))
    return redirect("filings:mine")


def _sync(request, public_id, function, tab):
    filing = get_owned_filing(request.user, public_id)
    version = parse_version(request.POST.get("version"))
    if version is None:
        return refuse(request, filing, BAD_VERSION, 400)
    try:
        function(filing, request.user, expected_version=version)
    except FilingEditError as error:
        return refuse(request, filing, error.message, error.status)
    messages.success(request, _("同步成功"))
    return redirect(tab_url(filing, tab))


@login_required
@require_POST
def sync_unit_view(request, public_id):
    """依托单位 数据同步 (S1)."""
    return _sync(request, public_id, sync_unit, "basic")


@login_required
@require_POST
def sync_owner_view(request, public_id):
    """负责人 数据同步 (S2)."""
    return _sync(request, public_id, sync_owner, "members")
