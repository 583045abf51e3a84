"""公示 pages. Public: a batch's filings (平台名称, 依托单位, 负责人姓名, 主要合作国别, 所属产业领域 — nothing else) and
提出异议 during its 公示期 (throttled per address). Province: publish batches, handle objections, 公示退回.

The public pages load batches only when published and filings only through the batch; the objector's phone and
email are shown only on the province's pages. Province pages are for provincial reviewers (others 403) and load
objections and filings through ``Filing.objects.visible_to``.
"""

from functools import wraps

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kechuang.filings.models import Filing
from kechuang.review.transitions import TransitionError
from kechuang.security import ratelimit
from kechuang.security.clientip import client_ip
from kechuang.security.uploads import SizeLimitUploadHandler, declared_too_big, download_name

from . import services
from .forms import BatchForm, HandleForm, ObjectionForm, SendBackForm
from .models import Objection, ObjectionStatus, PublicityBatch

# 提出异议 per client address: a person objects a few times; a flood is refused with 429.
OBJECTION_LIMIT = 5
OBJECTION_WINDOW = 60 * 60
RECEIVED_SESSION_KEY = "publicity_objection_received"


def province_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not rules.test_rule("can_manage_publicity", request.user):
            raise PermissionDenied(_("只有省科技厅审核人员可以管理公示。"))
        return view(request, *args, **kwargs)

    return wrapper


def _published(public_id):
    return get_object_or_404(PublicityBatch.objects.published(), public_id=public_id)


# Public ---------------------------------------------------------------------------------------------------------


@require_safe
def batch(request, public_id):
    item = _published(public_id)
    entries = services.public_entries(item)
    return render(
        request,
        "publicity/batch.html",
        {
            "nav_current": "home",
            "batch": item,
            "entries": entries,
            "is_open": item.is_open(),
            "is_over": item.is_over(),
        },
    )


def _objection_page(request, item, entries, form, status=200, error=None):
    return render(
        request,
        "publicity/objection.html",
        {"nav_current": "home", "batch": item, "form": form, "is_open": item.is_open(), "error": error},
        status=status,
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def objection(request, public_id):
    """提出异议: outside the 公示期 the form is not offered and a POST is refused (403) before the body is read."""
    item = _published(public_id)
    entries = services.public_entries(item)
    if request.method != "POST":
        return _objection_page(
            request, item, entries, ObjectionForm(entries=entries), 200 if item.is_open() else 403
        )
    if not item.is_open():
        return _objection_page(request, item, entries, ObjectionForm(entries=entries), 403)
    if not ratelimit.hit("publicity-objection", client_ip(request) or "-", OBJECTION_LIMIT, OBJECTION_WINDOW):
        error = _("提交过于频繁，请稍后再试。")
        return _objection_page(request, item, entries, ObjectionForm(entries=entries), 429, error)
    if declared_too_big(request, services.OBJECTION_FILE_LIMIT):
        error = services.too_big_message()
        return _objection_page(request, item, entries, ObjectionForm(entries=entries), 413, error)
    limiter = SizeLimitUploadHandler(request, services.OBJECTION_FILE_LIMIT)
    request.upload_handlers.insert(0, limiter)
    return _objection_post(request, item, entries, limiter)


@csrf_protect
def _objection_post(request, item, entries, limiter):
    form = ObjectionForm(request.POST, request.FILES, entries=entries)
    if limiter.exceeded:
        form = ObjectionForm(request.POST, entries=entries)
        form.is_valid()
        form.add_error("file", services.too_big_message())
        return _objection_page(request, item, entries, form, 413)
    if not form.is_valid():
        return _objection_page(request, item, entries, form, 400)
    try:
        saved = services.submit_objection(
            item, form.cleaned_data["filing"], form.cleaned_data, form.cleaned_data["file"]
        )
    except ValidationError as error:
        form.add_error("file", error.messages[0])
        return _objection_page(request, item, entries, form, 400)
    except services.PublicityError as error:
        form.add_error(None, error.message)
        return _objection_page(request, item, entries, form, error.status)
    request.session[RECEIVED_SESSION_KEY] = {"number": saved.number, "batch": str(item.public_id)}
    return redirect("publicity:received")


@require_safe
def received(request):
    """The confirmation number of the objection just made in this browser (nothing else about it)."""
    data = request.session.get(RECEIVED_SESSION_KEY)
    if not data:
        raise Http404
    item = _published(data["batch"])
    return render(
        request, "publicity/received.html", {"nav_current": "home", "batch": item, "number": data["number"]}
    )


# Province -------------------------------------------------------------------------------------------------------


@require_safe
@province_required
def manage(request):
    pending = Count("objections", filter=Q(objections__status=ObjectionStatus.PENDING))
    batches = PublicityBatch.objects.annotate(
        entry_count=Count("entries", distinct=True), pending=pending
    ).order_by("-start_on", "-id")
    page = Paginator(batches, 20).get_page(request.GET.get("page"))
    return render(request, "publicity/manage.html", {"menu_current": "publicity", "page": page})


@require_http_methods(["GET", "HEAD", "POST"])
@province_required
def create(request):
    form = BatchForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = services.publish_batch(
            request.user, data["title"], data["start_on"], data["end_on"], data["filings"]
        )
        messages.success(request, _("提示：公示“%(title)s”已发布。") % {"title": item.title})
        return redirect("publicity:manage_batch", public_id=item.public_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "publicity/create.html", {"menu_current": "publicity", "form": form}, status=status
    )


@require_safe
@province_required
def manage_batch(request, public_id):
    item = get_object_or_404(PublicityBatch, public_id=public_id)
    entries = services.public_entries(item)
    objections = item.objections.select_related("filing")
    return render(
        request,
        "publicity/manage_batch.html",
        {"menu_current": "publicity", "batch": item, "entries": entries, "objections": objections},
    )


def _objection_for(user, public_id):
    return get_object_or_404(
        Objection.objects.filter(filing__in=Filing.objects.visible_to(user)).select_related(
            "batch", "filing"
        ),
        public_id=public_id,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@province_required
def objection_detail(request, public_id):
    """One objection: 受理 / 不予受理 with a reply; once accepted, 公示退回 of its filing."""
    item = _objection_for(request.user, public_id)
    form = HandleForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.handle_objection(
                    item, request.user, form.cleaned_data["decision"], form.cleaned_data["reply"], request
                )
            except services.PublicityError as error:
                messages.error(request, error.message)
                return redirect("publicity:objection", public_id=item.public_id)
            messages.success(request, _("提示：异议 %(number)s 已处理。") % {"number": item.number})
            return redirect("publicity:objection", public_id=item.public_id)
        status = 400
    send_back = SendBackForm(initial={"version": item.filing.version})
    return render(
        request,
        "publicity/objection_detail.html",
        {"menu_current": "publicity", "objection": item, "form": form, "send_back": send_back},
        status=status,
    )


@require_POST
@province_required
def send_back(request, public_id):
    item = _objection_for(request.user, public_id)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("publicity:objection", public_id=item.public_id)
    try:
        services.send_back(item, request.user, form.cleaned_data["opinion"], form.cleaned_data["version"])
    except TransitionError as error:
        messages.error(request, error.message)
        return render(
            request,
            "publicity/objection_detail.html",
            {"menu_current": "publicity", "objection": item, "form": HandleForm(), "send_back": form},
            status=409,
        )
    messages.success(
        request, _("提示：“%(name)s”已公示退回，状态为“平台：退回修改”。") % {"name": item.filing.name}
    )
    return redirect("publicity:objection", public_id=item.public_id)


@require_safe
@province_required
def objection_file(request, public_id):
    item = _objection_for(request.user, public_id)
    if not item.file:
        raise Http404
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=download_name(item.original_name),
        content_type="application/pdf",
    )
