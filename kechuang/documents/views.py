"""下载备案表, 下载完整材料 (PDF), 验真 (public), 导出Excel and 推荐汇总表.

Every filing is loaded through ``Filing.objects.visible_to`` (a foreign or unknown id is a 404). PDFs come from
the default storage's cache when the filing version was rendered before. Downloads answered 200 with
``Content-Disposition: attachment`` are recorded by audit.AuditMiddleware like attachment downloads.
"""

import io
import tempfile

import rules
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record
from kechuang.filings.models import Filing

from . import dossier, exports, pdf, summary, tasks
from .content import short_hash
from .excel import XLSX, Sheet
from .models import ExportJob
from .official import chinese
from .throttling import over_limit
from .verification import parse_code


def _file_name(filing, suffix):
    label = filing.number or _("草稿")
    name = (filing.name or _("平台备案"))[:60]
    return f"{label}-{name}-{suffix}.pdf"


def _pdf_response(handle, filename):
    response = FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def form_pdf(request, public_id):
    """下载备案表: the 备案表 of the filing as it is now (its current version)."""
    filing = pdf.load_filing(Filing.objects.visible_to(request.user), public_id)
    name, _rendered = pdf.cached_form(filing, pdf.site_url(request))
    return _pdf_response(default_storage.open(name, "rb"), _file_name(filing, _("备案表")))


@require_safe
@login_required
def dossier_pdf(request, public_id):
    """下载完整材料: the 备案表 and every attachment in one PDF; damaged attachments are listed as unavailable."""
    filing = pdf.load_filing(Filing.objects.visible_to(request.user), public_id)
    name, spool = dossier.cached_dossier(filing, pdf.site_url(request))
    handle = default_storage.open(name, "rb") if name else spool
    return _pdf_response(handle, _file_name(filing, _("完整备案材料")))


@require_safe
@never_cache
def verify(request, code):
    """验真 (public): the printed code's 备案编号 and whether the printed content hash is still the filing's.

    A forged, altered or unknown code is the same 404 (the mac is checked before any lookup); no personal data
    is shown. Throttled per client address (VERIFY_RATE_LIMIT a minute).
    """
    if over_limit(request, "verify"):
        return render(request, "documents/throttled.html", status=429)
    parsed = parse_code(code)
    if parsed is None:
        raise Http404
    number, printed = parsed
    filing = (
        Filing.objects.filter(number=number)
        .select_related("stage", "business")
        .prefetch_related("members", "partners", "joint_projects", "joint_results", "attachments")
        .first()
    )
    if filing is None:
        raise Http404
    context = {
        "number": filing.number,
        "name": filing.name,
        "unit_name": filing.unit_name,
        "business_name": filing.business.label,
        "stage_label": filing.stage_label,
        "matches": short_hash(filing) == printed,
    }
    return render(request, "documents/verify.html", context)


def reviewer_only(request):
    if not rules.test_rule("can_export_list", request.user):
        raise PermissionDenied(_("只有审核人员可以导出平台列表。"))


@require_safe
@login_required
def review_list_excel(request):
    """导出Excel of 待审核平台 / 所有平台 with the list's filters and sort.

    Up to EXPORT_SYNC_LIMIT rows the file comes straight back; more are written by the task runner while the
    reviewer sees the progress page (no request waits past a proxy's timeout). Every export is an audit row.
    """
    reviewer_only(request)
    tab, form, rows = exports.export_rows(request.user, request.GET)
    if not form.is_valid():
        return render(request, "documents/export_refused.html", {"form": form}, status=400)
    count = rows.count()
    scope = exports.describe_filters(form, tab, request.GET)
    limit = getattr(settings, "EXPORT_SYNC_LIMIT", 10_000)
    if count > limit:
        job = ExportJob.objects.create(
            user=request.user, kind="review_list", params=request.GET.dict(), total=count
        )
        record(
            EventKind.DATA_EXPORT,
            request=request,
            export="review_list",
            rows=count,
            job=job.public_id,
            **scope,
        )
        tasks.run_export.enqueue(job.pk)
        return redirect("documents:export_job", public_id=job.public_id)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
    written = exports.write_review_list(rows, spool)
    spool.seek(0)
    record(EventKind.DATA_EXPORT, request=request, export="review_list", rows=written, **scope)
    return _xlsx_response(spool, f"平台列表-{timezone.localdate():%Y%m%d}.xlsx")


def _xlsx_response(handle, filename):
    response = FileResponse(handle, content_type=XLSX, as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def export_job(request, public_id):
    """The progress of a background export, refreshing itself (no JavaScript) until its file is ready."""
    job = get_object_or_404(ExportJob, public_id=public_id, user=request.user)
    return render(request, "documents/export_job.html", {"job": job, "menu_current": "review"})


@require_safe
@login_required
def export_download(request, public_id):
    job = get_object_or_404(ExportJob, public_id=public_id, user=request.user, state=ExportJob.State.DONE)
    return _xlsx_response(default_storage.open(job.file, "rb"), f"平台列表-{job.created_at:%Y%m%d}.xlsx")


def _summary_scope(request):
    kind = summary.recommending_kind(request.user)
    if kind is None or not rules.test_rule("can_recommend_summary", request.user):
        raise PermissionDenied(_("推荐汇总表只供主管部门和直接报送省科技厅的申报单位使用。"))
    form = summary.period_form(request.GET)
    return kind, form


@require_safe
@login_required
def summary_page(request):
    """推荐汇总表: choose the period, see the filings, download them as Excel or PDF."""
    kind, form = _summary_scope(request)
    context = {"menu_current": "review", "form": form, "rows": None}
    if form.is_valid():
        period = summary.period_of(form)
        context.update(
            rows=list(summary.passed_filings(request.user, kind, **period)),
            title=summary.title(request.user, **period),
            query=request.GET.urlencode() or f"start={period['start']}&end={period['end']}",
        )
    return render(request, "documents/summary.html", context, status=200 if form.is_valid() else 400)


def _summary_rows(request):
    kind, form = _summary_scope(request)
    if not form.is_valid():
        return None, form, None
    period = summary.period_of(form)
    rows = list(summary.passed_filings(request.user, kind, **period))
    with translation.override(settings.LANGUAGE_CODE):  # the documents' title, also their file name
        return rows, form, summary.title(request.user, **period)


@require_safe
@login_required
def summary_excel(request):
    rows, form, title = _summary_rows(request)
    if rows is None:
        return render(request, "documents/export_refused.html", {"form": form}, status=400)
    return _summary_excel(request, rows, form, title)


@chinese
def _summary_excel(request, rows, form, title):
    sheet = Sheet("推荐汇总表", summary.HEADER, summary.WIDTHS, caption=title)
    for index, filing in enumerate(rows, 1):
        sheet.row(summary.summary_row(index, filing))
    sheet.raw([])
    sheet.raw(list(summary.SIGNATURE))
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
    sheet.save(spool)
    spool.seek(0)
    record(
        EventKind.DATA_EXPORT, request=request, export="summary_xlsx", rows=len(rows), period=_period(form)
    )
    return _xlsx_response(spool, f"{title}.xlsx")


@require_safe
@login_required
def summary_pdf(request):
    rows, form, title = _summary_rows(request)
    if rows is None:
        return render(request, "documents/export_refused.html", {"form": form}, status=400)
    return _summary_pdf(request, rows, form, title)


@chinese
def _summary_pdf(request, rows, form, title):
    context = {
        "title": title,
        "rows": [summary.summary_row(i, f) for i, f in enumerate(rows, 1)],
        "header": summary.HEADER,
    }
    data = pdf.render_html_pdf("documents/pdf/summary.html", context)
    record(EventKind.DATA_EXPORT, request=request, export="summary_pdf", rows=len(rows), period=_period(form))
    return _pdf_response(io.BytesIO(data), f"{title}.pdf")


def _period(form):
    return {key: str(value) for key, value in summary.period_of(form).items() if value}
