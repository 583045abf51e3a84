"""CSV export of the audit log for the 审计管理员 (等保2.0 安全审计: records can be analysed offline; 三员分立: neither
the 系统管理员 nor the 安全管理员 reads it)."""

import csv
import datetime

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .forms import ExportForm
from .models import EventKind, SecurityEvent
from .recorder import record

HEADER = ["时间", "事件类型", "账号", "IP地址", "请求方法", "访问路径", "详情"]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def can_export(user):
    return rules.test_rule("can_read_audit_log", user)


def cell(value):
    """Neutralise spreadsheet formulas: a username like ``=HYPERLINK(…)`` must stay text in Excel/WPS."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class Echo:
    def write(self, value):
        return value


def rows(events):
    writer = csv.writer(Echo())
    yield "\ufeff"  # BOM: Excel and WPS then read the Chinese as UTF-8
    yield writer.writerow(HEADER)
    labels = dict(EventKind.choices)
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                cell(timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S")),
                cell(labels.get(event.kind, event.kind)),
                cell(event.username),
                cell(event.ip_address),
                cell(event.method),
                cell(event.path),
                cell(event.detail),
            ]
        )


@require_GET
@login_required
def export(request):
    if not can_export(request.user):
        raise PermissionDenied
    form = ExportForm(request.GET)
    if not form.is_valid():
        errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    events = SecurityEvent.objects.order_by("created_at", "id")
    data = form.cleaned_data
    if data["kind"]:
        events = events.filter(kind=data["kind"])
    if data["username"]:
        events = events.filter(username=data["username"])
    tz = timezone.get_current_timezone()
    if data["since"]:
        events = events.filter(created_at__gte=datetime.datetime.combine(data["since"], datetime.time(), tz))
    if data["until"]:
        end = data["until"] + datetime.timedelta(days=1)
        events = events.filter(created_at__lt=datetime.datetime.combine(end, datetime.time(), tz))
    record(EventKind.EXPORT, request=request, filters={k: str(v) for k, v in data.items() if v})
    response = StreamingHttpResponse(rows(events), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="security-events-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
