"""Reviewer screens (W2–W5), 流转记录 (F12), 上报 (F9), 撤销 (W7) and 站内消息 (W10).

Thin views: every filing is loaded through ``Filing.objects.visible_to`` / ``actionable_by`` (a foreign id is a
404), every move goes through ``review.transitions`` (a refused move is a 409 with its message).
"""

from functools import wraps

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from kechuang.filings import remedy
from kechuang.filings.display import get_filing_for_display
from kechuang.filings.models import Filing, get_actionable_filing, get_visible_filing
from kechuang.filings.services import get_owned_filing
from kechuang.filings.tabs import BAD_VERSION, TAB_LABELS, refuse, tab_url
from kechuang.forms import parse_version

from . import transitions
from .forms import DecisionForm, RejectForm, ReviewFilterForm, VersionForm
from .models import FlowRecord

TABS = {"pending": gettext_lazy("待审核平台"), "all": gettext_lazy("所有平台")}
# Whitelisted sort keys of the review lists: key -> (column label, model field).
SORTS = {
    "name": (gettext_lazy("平台名称"), "name"),
    "unit": (gettext_lazy("依托单位"), "unit_name"),
    "submitted": (gettext_lazy("上报时间"), "submitted_at"),
}
DEFAULT_SORT = "-submitted"


def reviewer_required(view):
    """Reviewer screens are for unit administrators, competent departments and the province (W2); others 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_reviewer:
            raise PermissionDenied(_("只有审核人员可以使用平台审核。"))
        return view(request, *args, **kwargs)

    return wrapper


def _ordering(sort):
    """The ORDER BY of a whitelisted sort key (anything else falls back to the newest 上报 first)."""
    if sort.removeprefix("-") not in SORTS:
        sort = DEFAULT_SORT
    field = F(SORTS[sort.removeprefix("-")][1])
    order = field.desc(nulls_last=True) if sort.startswith("-") else field.asc(nulls_last=True)
    return sort, [order, "-pk"]


def _sort_columns(sort):
    """Header links of the sortable columns: a click sorts by it, a second click reverses the direction."""
    columns = {}
    for key, (label, _field) in SORTS.items():
        current = sort.removeprefix("-") == key
        descending = sort.startswith("-")
        columns[key] = {
            "label": label,
            "next": (key if descending else f"-{key}") if current else key,
            "aria_sort": ("descending" if descending else "ascending") if current else "",
        }
    return columns


# What a row of the review list shows: loading whole filings (content, snapshots …) cost more than the query.
LIST_COLUMNS = ["public_id", "name", "status", "submitted_at", "unit_name", "owner_name"]
LIST_RELATED = {"unit": "unit__name", "stage": "stage__name", "owner": "owner__name"}


def _page_of(queryset, number, count=None):
    """One page of a long list: the page's ids first, then its 20 rows.

    Deep pages stay fast because OFFSET walks an index of ids instead of whole rows (docs/performance.md has
    the before and after). ``count``, when the caller already has it, saves the COUNT.
    """
    paginator = Paginator(queryset.values_list("pk", flat=True), settings.PAGE_SIZE)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(number)
    # Same scope and order again: a filing that left the scope in between (approved by a colleague) is not shown.
    page.object_list = list(
        queryset.filter(pk__in=list(page.object_list))
        .select_related(*LIST_RELATED)
        .only(*LIST_COLUMNS, *LIST_RELATED.values())
    )
    return page


def list_scopes(user):
    return {"pending": Filing.objects.actionable_by(user), "all": Filing.objects.visible_to(user)}


def list_queryset(user, params, scopes=None):
    """The review list's rows for these GET parameters, in its order: (tab, form, filtered, sort, queryset).

    The list page and its 导出Excel (kechuang.documents) both call it, so an export is exactly the list.
    """
    tab = params.get("tab") if params.get("tab") in TABS else "pending"
    queryset = (scopes or list_scopes(user))[tab]
    form = ReviewFilterForm(params)
    filtered = form.is_valid() and any(form.cleaned_data.values())
    if filtered:
        queryset = form.filter(queryset)
    sort, ordering = _ordering(params.get("sort", DEFAULT_SORT))
    return tab, form, filtered, sort, queryset.order_by(*ordering)


@require_safe
@reviewer_required
def review_list(request):
    """平台审核、查询 (W3): tabs 待审核平台 / 所有平台 with counts, filter, sort and pages.

    Queries (fixed, whatever the number of filings): session, user, count of each tab (2), the 流程阶段
    options (1), the filtered count (only when filtered), the page's ids and its rows (2).
    """
    user = request.user
    scopes = list_scopes(user)
    counts = {key: scope.count() for key, scope in scopes.items()}
    tabs = [{"key": key, "label": label, "count": counts[key]} for key, label in TABS.items()]
    tab, form, filtered, sort, queryset = list_queryset(user, request.GET, scopes)
    page = _page_of(queryset, request.GET.get("page"), None if filtered else counts[tab])
    context = {
        "menu_current": "review",
        "tab": tab,
        "tab_label": TABS[tab],
        "tabs": tabs,
        "form": form,
        "page": page,
        "sort": sort,
        "columns": _sort_columns(sort),
        "filtered": filtered,
    }
    return render(request, "review/list.html", context, status=200 if form.is_valid() else 400)


def _still_actionable(user, filing):
    return Filing.objects.actionable_by(user).filter(pk=filing.pk).exists()


def _refused(form_class, filing, data):
    """After a 409: a fresh form at the filing's current version that keeps what the reviewer typed (Q2)."""
    return form_class(
        initial={**{k: v for k, v in data.items() if k != "version"}, "version": filing.version}
    )


def _decide_page(request, filing, form, *, status=200, error=None, actionable=True):
    context = {
        "menu_current": "review",
        "filing": filing,
        "form": form,
        "error": error,
        "actionable": actionable,
    }
    return render(request, "review/decide.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@reviewer_required
def decide(request, public_id):
    """审核 (W4): the filing read-only and the decision 通过 / 退回.

    GET needs the filing to wait for this reviewer (else 404). A POST for a filing that moved meanwhile (still
    in scope) is answered 409 with the reason and the filing as it is now; nothing changes.
    """
    user = request.user
    if request.method != "POST":
        filing = get_filing_for_display(Filing.objects.actionable_by(user), public_id)
        return _decide_page(request, filing, DecisionForm(initial={"version": filing.version}))
    filing = get_filing_for_display(Filing.objects.visible_to(user), public_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _decide_page(request, filing, form, status=400, actionable=_still_actionable(user, filing))
    data = form.cleaned_data
    verb = transitions.approve if data["decision"] == DecisionForm.APPROVE else transitions.return_
    try:
        moved = verb(filing, user, data["opinion"], expected_version=data["version"])
    except transitions.TransitionError as exc:
        filing = get_filing_for_display(Filing.objects.visible_to(user), public_id)
        form = _refused(DecisionForm, filing, data)
        actionable = _still_actionable(user, filing)
        return _decide_page(request, filing, form, status=409, error=exc.message, actionable=actionable)
    messages.success(
        request,
        _("已审核“%(name)s”，流程阶段：%(label)s。") % {"name": moved, "label": moved.stage_label},
    )
    return redirect("review:list")


@require_http_methods(["GET", "HEAD", "POST"])
@reviewer_required
def reject(request, public_id):
    """直接不通过 (W5): a confirmation page with a required 审核意见; POST ends the filing for good."""
    user = request.user
    context = {"menu_current": "review", "error": None, "actionable": True}
    if request.method != "POST":
        filing = get_actionable_filing(user, public_id)
        context.update(filing=filing, form=RejectForm(initial={"version": filing.version}))
        return render(request, "review/reject.html", context)
    filing = get_visible_filing(user, public_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        context.update(filing=filing, form=form, actionable=_still_actionable(user, filing))
        return render(request, "review/reject.html", context, status=400)
    data = form.cleaned_data
    try:
        transitions.reject(filing, user, data["opinion"], expected_version=data["version"])
    except transitions.TransitionError as exc:
        filing = Filing.objects.select_related("stage", "unit", "owner").get(pk=filing.pk)
        context.update(
            filing=filing,
            form=_refused(RejectForm, filing, data),
            error=exc.message,
            actionable=_still_actionable(user, filing),
        )
        return render(request, "review/reject.html", context, status=409)
    messages.success(request, _("“%(name)s”已直接不通过。") % {"name": filing})
    return redirect("review:list")


@require_safe
@login_required
@vary_on_headers("HX-Request")
def flow(request, public_id):
    """流转记录 (F12): every step of a filing for anyone who can see it; a fragment for the dialog (htmx)."""
    filing = get_object_or_404(
        Filing.objects.readable_by(request.user).select_related("stage"), public_id=public_id
    )
    records = FlowRecord.objects.filter(filing=filing).select_related("actor").order_by("created_at", "id")
    context = {
        "menu_current": "review" if request.user.is_reviewer else "mine",
        "filing": filing,
        "records": records,
    }
    template = "review/_flow_records.html" if request.htmx else "review/flow.html"
    return render(request, template, context)


@login_required
@require_POST
def submit(request, public_id):
    """上报 (F9): transitions.submit checks completeness, the 申报期 and the version."""
    filing = get_owned_filing(request.user, public_id)
    version = parse_version(request.POST.get("version"))
    if version is None:
        return refuse(request, filing, BAD_VERSION, 400)
    try:
        filing = transitions.submit(filing, request.user, expected_version=version)
    except transitions.TransitionError as error:
        problems = [
            {"tab": TAB_LABELS.get(p.tab, p.tab), "url": tab_url(filing, p.tab), "message": p.message}
            for p in error.problems
        ]
        context = {"filing": filing, "message": error.message, "problems": problems}
        return render(request, "filings/submit_problems.html", context, status=400)
    messages.success(request, _("上报成功，流程阶段：%(stage)s。") % {"stage": filing.stage_label})
    return redirect(reverse("filings:mine") + "?tab=all")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def withdraw(request, public_id):
    """撤销 (W7) by the filing's owner; refused (409) once the stage it waits at has acted. GET asks first,
    saying what 撤销 does (a page, or the fragment for the dialog of a data-dialog-link)."""
    filing = get_visible_filing(request.user, public_id, Filing.objects.filter(owner=request.user))
    if request.method != "POST":
        context = {"filing": filing, "back": reverse("filings:mine") + "?tab=all"}
        if not rules.test_rule("can_withdraw", request.user, filing):
            context["blocked"] = _("审核部门已处理该平台备案，或它不在审核中，不能撤销。")
        template = "review/_confirm_withdraw.html" if request.htmx else "review/confirm_withdraw.html"
        return render(request, template, context)
    form = VersionForm(request.POST)
    if not form.is_valid():
        context = {"menu_current": "mine", "filing": filing, "error": _("请求无效，请刷新页面后重试。")}
        return render(request, "review/refused.html", context, status=400)
    try:
        transitions.withdraw(filing, request.user, expected_version=form.cleaned_data["version"])
    except transitions.TransitionError as exc:
        context = {"menu_current": "mine", "filing": filing, "error": exc.message}
        return render(request, "review/refused.html", context, status=409)
    messages.success(request, _("已撤销“%(name)s”，流程阶段：平台：填报中。") % {"name": filing})
    return redirect("filings:mine")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def void(request, public_id):
    """删除 of a returned or withdrawn filing (F10 amended): GET asks (saying what stays and, after the 申报期,
    that re-filing is no longer possible this season), POST voids it through transitions.void."""
    filing = get_object_or_404(
        Filing.objects.visible_to(request.user).filter(owner=request.user).select_related("business", "unit"),
        public_id=public_id,
    )
    context = {
        "menu_current": "mine",
        "filing": filing,
        "title": _("删除平台备案"),
        "question": remedy.delete_question(filing),
        "back": reverse("filings:mine"),
        "version": filing.version,
    }
    if not remedy.is_voidable(filing) or filing.owner_id != request.user.pk:
        context["blocked"] = _("只有退回修改或已撤销的平台备案可以这样删除。")
        if request.method == "POST":
            return render(request, "filings/confirm_delete.html", context, status=409)
    if request.method != "POST":
        return render(request, "filings/confirm_delete.html", context)
    form = VersionForm(request.POST)
    if not form.is_valid():
        context["error"] = _("请求无效，请刷新页面后重试。")
        return render(request, "filings/confirm_delete.html", context, status=400)
    try:
        transitions.void(filing, request.user, expected_version=form.cleaned_data["version"])
    except transitions.TransitionError as exc:
        context["error"] = exc.message
        return render(request, "filings/confirm_delete.html", context, status=409)
    messages.success(request, _("已删除平台备案“%(name)s”。") % {"name": filing})
    return redirect("filings:mine")


@require_safe
@login_required
def notifications(request):
    """站内消息 (W10): the person's messages, newest first, with 标为已读."""
    mine = request.user.notifications.select_related("filing").order_by("-created_at", "-id")
    page = Paginator(mine, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    unread = request.user.notifications.filter(read_at__isnull=True).count()
    context = {"menu_current": "notifications", "page": page, "unread_count": unread}
    return render(request, "review/notifications.html", context)


@require_POST
@login_required
def notification_read(request, public_id=None):
    """标为已读 for one message (by its public id), or 全部标为已读 without one; back to ``next`` if local."""
    mine = request.user.notifications.filter(read_at__isnull=True)
    if public_id is not None:
        get_object_or_404(request.user.notifications, public_id=public_id)
        mine = mine.filter(public_id=public_id)
    count = mine.update(read_at=timezone.now())
    messages.success(request, _("已将 %(count)d 条消息标为已读。") % {"count": count})
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("review:notifications")
