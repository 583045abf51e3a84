"""统计分析 (personal center): the tables of the reader's own scope, each with an SVG chart, CSV and Excel.

Every view asks ``may_view_statistics`` (provincial reviewers, 主管部门 reviewers, unit administrators; others 403)
and counts only ``service.scoped(user)`` — ``Filing.objects.visible_to`` minus drafts and voided filings — so a
department's page, chart and downloads never hold another department's numbers.

Queries: session, user, the business options of the filter form, then per table one query unless cached.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import charts, exports, service
from .forms import StatisticsFilterForm
from .tables import TABLES


def statistics_reader(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not service.may_view_statistics(request.user):
            raise PermissionDenied(_("只有审核人员和单位管理员可以查看统计分析。"))
        return view(request, *args, **kwargs)

    return wrapper


def _tables(request, names=None):
    form = StatisticsFilterForm(request.GET)
    queryset = form.filter(service.scoped(request.user))
    key = form.key()
    return form, service.tables(queryset, service.scope_key(request.user), key, names)


@require_safe
@statistics_reader
def index(request):
    form, tables = _tables(request)
    return render(
        request,
        "statistics/index.html",
        {
            "menu_current": "statistics",
            "form": form,
            "tables": list(tables.values()),
            "filter_query": f"?{urlencode(form.query_string())}" if form.query_string() else "",
        },
        status=200 if form.is_valid() else 400,
    )


def _one(request, table):
    if table not in TABLES:
        raise Http404
    form, tables = _tables(request, [table])
    if not form.is_valid():
        raise Http404  # a hand-made query string; the page itself explains invalid filters
    return tables[table]


@require_safe
@statistics_reader
def chart(request, table):
    table = _one(request, table)
    response = HttpResponse(charts.render_svg(table), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_safe
@statistics_reader
def download_csv(request, table):
    return exports.as_csv(_one(request, table))


@require_safe
@statistics_reader
def download_xlsx(request, table):
    return exports.as_xlsx(_one(request, table))
