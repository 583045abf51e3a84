"""The read endpoints of /api/v1/ (django-ninja; the OpenAPI document is generated from these signatures).

Every filing is loaded through ``scope_of(token)``, which is ``Filing.objects.in_scope`` — the same scope
definition the reviewers' web lists use through ``visible_to`` — so a token sees exactly what its scope's
reviewers see; a foreign or unknown id is the same 404. Queries per request are fixed: the token (1), then
the list page (1, plus 1 to resolve a cursor), one filing with its five lists (6), the flow (2); and the call
log row (1).
"""

import datetime
import uuid
from typing import Annotated

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import BaseRenderer
from pydantic_core import to_json

from kechuang.filings.attachments import attachment_response
from kechuang.filings.models import (
    Attachment,
    Filing,
    Industry,
    JointProject,
    JointResult,
    Member,
    OverseasPartner,
    Status,
)
from kechuang.review.models import FlowRecord
from kechuang.statistics import service as statistics
from kechuang.statistics.tables import counted
from kechuang.workflow import days
from kechuang.workflow.models import Business, Season, stage_label

from . import schemas
from .auth import INVALID, ApiRefusal, TokenAuth
from .masking import mask_id_number, mask_phone

ERRORS = {
    400: schemas.ValidationErrors,
    401: schemas.Error,
    403: schemas.Error,
    404: schemas.Error,
    429: schemas.Error,
}
PAGE_MAX = 100
INDUSTRIES = frozenset(Industry.values)  # Choices.values builds a new list on every access


class JSONRenderer(BaseRenderer):
    """JSON written by pydantic-core (Rust): ninja's default encoder calls back into Python for every UUID and
    datetime, a sixth of a list page's time. Same JSON types; non-ASCII text as UTF-8 instead of \\u escapes."""

    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return to_json(data)


api = NinjaAPI(
    renderer=JSONRenderer(),
    title="科创备案 开放接口",
    version="1",
    description=(
        "黑龙江省科技创新服务平台的只读接口，供国家、地市和高校的系统同步备案数据。"
        "每个请求需带 API令牌（Authorization: Bearer kc_…），令牌的范围（全省、主管部门或依托单位）"
        "决定能看到哪些备案，与该范围审核人员在网页上看到的一致。"
    ),
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
    auth=TokenAuth(),
)


def _json(request, status, detail, headers=None, **extra):
    response = api.create_response(request, {"detail": str(detail), **extra}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(ApiRefusal)
def _refused(request, exc):
    extra = {"errors": []} if exc.status == 400 else {}
    return _json(request, exc.status, exc.message, exc.headers, **extra)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _json(request, 401, INVALID, {"WWW-Authenticate": 'Bearer realm="kechuang"'})


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    errors = [
        {"location": [str(part) for part in error.get("loc", ())], "message": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    return _json(request, 400, _("请求参数无效，请对照接口文档检查。"), errors=errors)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _json(request, 404, _("不存在或无权查看。"))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _json(request, exc.status_code, exc.message)


def scope_of(token):
    """The filings this token may read: the web scope of its holder (a unit, a department or the province)."""
    return Filing.objects.in_scope(token.scope, unit_id=token.unit_id, department_id=token.department_id)


def is_voided(filing):
    """A voided filing (删除 after a 退回 or 撤销) leaves every list; the API shows only that it is void."""
    return filing.status == Status.VOIDED


def _stage(stage):
    if stage is None:
        return None
    return {"id": stage.pk, "order": stage.order, "name": stage.name, "reviewer_kind": stage.reviewer_kind}


# The filings' endpoints read rows with .values(): building model instances was a third of a list page's time.
COMMON_FIELDS = (
    "pk",
    "public_id",
    "name",
    "status",
    "version",
    "first_submitted_at",
    "submitted_at",
    "updated_at",
    "main_country",
    "second_country",
    "other_countries",
    "industries",
    "contact_name",
    "contact_phone",
    "business__public_id",
    "stage_id",
    "stage__order",
    "stage__name",
    "stage__reviewer_kind",
    "unit__public_id",
    "unit__name",
    "unit__credit_code",
    "unit__department_id",
    "unit__department__name",
)
ROW_FIELDS = (*COMMON_FIELDS, "unit_name", "owner_name", "owner_mobile", "owner_id_number")
UNIT_SNAPSHOT = ("name", "credit_code", "address", "contact_name", "contact_phone", "contact_email")
OWNER_SNAPSHOT = tuple(name for name in schemas.Owner.model_fields)
DETAIL_FIELDS = (
    *COMMON_FIELDS,
    "cooperation_category__name",
    "address",
    "founded_on",
    "exchange_visits",
    "joint_training",
    "basic_situation",
    "cooperation_basis",
    "goals_and_tasks",
    "conditions",
    "created_at",
    *(f"unit_{name}" for name in UNIT_SNAPSHOT),
    *(f"owner_{name}" for name in OWNER_SNAPSHOT),
)


def _children(model, filing_pk, *fields):
    """One of the filing's lists as dicts, in entry order, with the public id as "id"."""
    rows = model.objects.filter(filing_id=filing_pk).order_by("id").values("public_id", *fields)
    return [{"id": row.pop("public_id"), **row} for row in rows]


def _stage_label(row):
    """流程阶段 as the spec writes it: the API's values do not depend on the caller's Accept-Language."""
    in_stage = row["status"] == Status.IN_REVIEW and row["stage_id"]
    with translation.override(settings.LANGUAGE_CODE):
        return stage_label(row["stage__name"] if in_stage else Status(row["status"]).label)


def _common(row, label=None):
    stage = None
    if row["stage_id"] is not None:
        stage = {
            "id": row["stage_id"],
            "order": row["stage__order"],
            "name": row["stage__name"],
            "reviewer_kind": row["stage__reviewer_kind"],
        }
    return {
        "id": row["public_id"],
        "voided": False,
        "business": row["business__public_id"],
        "name": row["name"],
        "status": row["status"],
        "stage": stage,
        "stage_label": label or _stage_label(row),
        "unit": {
            "id": row["unit__public_id"],
            "name": row["unit__name"],
            "credit_code": row["unit__credit_code"],
        },
        "department": {"id": row["unit__department_id"], "name": row["unit__department__name"]},
        "main_country": row["main_country"],
        "second_country": row["second_country"],
        "other_countries": row["other_countries"],
        "industries": [code for code in row["industries"] if code in INDUSTRIES],
        "contact_name": row["contact_name"],
        "version": row["version"],
        "first_submitted_at": row["first_submitted_at"],
        "submitted_at": row["submitted_at"],
        "updated_at": row["updated_at"],
    }


def _tombstone(row):
    return {"id": row["public_id"], "voided": True}


def _row(row, label):
    if row["status"] == Status.VOIDED:
        return _tombstone(row)
    return {
        **_common(row, label),
        "unit_name": row["unit_name"],
        "owner_name": row["owner_name"],
        "owner_mobile": mask_phone(row["owner_mobile"]),
        "owner_id_number": mask_id_number(row["owner_id_number"]),
        "contact_phone": mask_phone(row["contact_phone"]),
    }


@api.get(
    "/businesses",
    response={200: list[schemas.BusinessOut], **ERRORS},
    url_name="businesses",
    operation_id="list_businesses",
    summary="业务及其申报期和审核阶段",
    tags=["业务"],
)
def businesses(request):
    """Every business with its 申报期 and review stages (the same for every token: it is public information)."""
    today = timezone.localdate()
    rows = Business.objects.prefetch_related("stages", "seasons").order_by("order", "name")
    return [
        {
            "id": b.public_id,
            "name": b.name,
            "section": b.section,
            "period_start": b.period_start,
            "period_end": b.period_end,
            "is_open": b.is_open(today),
            "stages": [_stage(s) for s in b.stages.all()],
            "seasons": [
                {
                    "id": s.public_id,
                    "year": s.year,
                    "name": s.name,
                    "period_start": s.period_start,
                    "period_end": s.period_end,
                }
                for s in sorted(b.seasons.all(), key=lambda s: (-s.year, s.period_start))
            ],
        }
        for b in rows
    ]


class StatisticsFilters(Schema):
    business: uuid.UUID | None = Field(None, description="业务 id（见 /businesses）")
    season: uuid.UUID | None = Field(None, description="申报批次 id（见 /businesses 的 seasons）")
    year: Annotated[int, Field(ge=2000, le=2100)] | None = Field(None, description="首次上报年度")


@api.get(
    "/statistics",
    response={200: schemas.StatisticsOut, **ERRORS},
    url_name="statistics",
    operation_id="get_statistics",
    summary="统计分析：各表的数字（与网页上该范围看到的一致）",
    tags=["统计"],
)
def statistics_tables(request, filters: Query[StatisticsFilters]):
    """The 统计分析 tables of the token's scope (drafts and voided filings are not counted), cached as the web's."""
    queryset = counted(scope_of(request.auth))
    business = season = None
    if filters.business:
        business = Business.objects.filter(public_id=filters.business).values_list("pk", flat=True).first()
        if business is None:
            raise _bad(_("业务不存在。"))
        queryset = queryset.filter(business_id=business)
    if filters.season:
        season = Season.objects.filter(public_id=filters.season).values_list("pk", flat=True).first()
        if season is None:
            raise _bad(_("申报批次不存在。"))
        queryset = queryset.filter(season_id=season)
    if filters.year:
        queryset = queryset.filter(first_submitted_at__year=filters.year)
    token = request.auth
    scope = statistics.key_of_scope(token.scope, token.department_id, token.unit_id)
    tables = statistics.tables(queryset, scope, statistics.filter_key(business, season, filters.year))
    return {
        "tables": [
            {
                "key": table.key,
                "title": str(table.title),
                "key_label": str(table.key_label),
                "columns": [str(column) for column in table.columns],
                "rows": [
                    {"key": "" if row_key is None else str(row_key), "label": str(label), "counts": counts}
                    for row_key, label, counts in table.rows
                ],
                "totals": table.totals,
            }
            for table in tables.values()
        ]
    }


class FilingFilters(Schema):
    status: Status | None = Field(None, description="状态")
    stage: Annotated[int, Field(ge=1, le=schemas.BIGINT_MAX)] | None = Field(
        None, description="当前审核阶段的 id（见 /businesses）；只返回在该阶段审核中的备案"
    )
    submitted_from: datetime.date | None = Field(None, description="上报时间（起），含当天")
    submitted_to: datetime.date | None = Field(None, description="上报时间（止），含当天")
    unit: uuid.UUID | None = Field(None, description="依托单位 id")
    department: Annotated[int, Field(ge=1, le=schemas.BIGINT_MAX)] | None = Field(
        None, description="主管部门 id"
    )
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = Field(
        None, description="国别代码（ISO 3166-1，如 DE）：主要、第二或其他合作国别之一"
    )
    industry: Industry | None = Field(None, description="所属产业领域")
    updated_since: datetime.datetime | None = Field(
        None, description="只返回此时刻（含）之后修改过的备案，用于增量同步；无时区时按北京时间"
    )
    cursor: uuid.UUID | None = Field(None, description="上一页返回的 next_cursor")
    limit: int = Field(PAGE_MAX, ge=1, le=PAGE_MAX, description="每页条数（最多100）")


def _bad(message):
    return ApiRefusal(400, message)


def _filtered(queryset, f):
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.stage is not None:
        queryset = queryset.filter(status=Status.IN_REVIEW, stage_id=f.stage)
    try:
        if f.submitted_from:
            queryset = queryset.filter(submitted_at__gte=days.start_of(f.submitted_from))
        if f.submitted_to:
            queryset = queryset.filter(submitted_at__lt=days.end_of(f.submitted_to))
        if f.updated_since:
            since = f.updated_since
            if timezone.is_naive(since):
                since = timezone.make_aware(since)
            since.astimezone(datetime.UTC)  # out of range (year 1 in +14:00) fails here, not in the database
            queryset = queryset.filter(updated_at__gte=since)
    except (OverflowError, ValueError):
        raise _bad(_("日期超出范围。")) from None
    if f.submitted_from and f.submitted_to and f.submitted_from > f.submitted_to:
        raise _bad(_("结束日期不能早于开始日期。"))
    if f.unit:
        queryset = queryset.filter(unit__public_id=f.unit)
    if f.department is not None:
        queryset = queryset.filter(unit__department_id=f.department)
    if f.country:
        # other_countries is stored as "DE,US": a two-letter code never matches across a comma.
        c = f.country
        queryset = queryset.filter(Q(main_country=c) | Q(second_country=c) | Q(other_countries__contains=c))
    if f.industry:
        queryset = queryset.in_industry(f.industry.value)
    return queryset


@api.get(
    "/filings",
    response={200: schemas.FilingPage, **ERRORS},
    url_name="filings",
    operation_id="list_filings",
    summary="备案列表（游标分页，按 id 顺序）",
    tags=["备案"],
)
def filings(request, filters: Query[FilingFilters]):
    """The token's filings in a stable order (creation order), ``limit`` per page.

    Pages are keyset pages (``id > cursor``): a deep page costs what the first does, and a walk over all pages
    returns every filing exactly once even while filings move between stages. Voided filings appear only as
    tombstones ``{"id": …, "voided": true}``. Personal data is masked in this list.
    """
    scope = scope_of(request.auth)
    queryset = _filtered(scope, filters)
    if filters.cursor:
        after = scope.filter(public_id=filters.cursor).values_list("pk", flat=True).first()
        if after is None:
            raise _bad(_("游标无效：请使用上一页返回的 next_cursor。"))
        queryset = queryset.filter(pk__gt=after)
    page = list(queryset.order_by("pk").values(*ROW_FIELDS)[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    labels = {}  # a page has a handful of distinct 流程阶段: translate each once
    items = []
    for row in page:
        key = (row["status"], row["stage__name"])
        if key not in labels:
            labels[key] = _stage_label(row)
        items.append(_row(row, labels[key]))
    return {"items": items, "next_cursor": str(page[-1]["public_id"]) if more else None}


def _get_filing(request, filing_id, queryset=None):
    queryset = scope_of(request.auth) if queryset is None else queryset
    return get_object_or_404(queryset, public_id=filing_id)


@api.get(
    "/filings/{filing_id}",
    response={200: schemas.FilingDetail | schemas.Tombstone, **ERRORS},
    url_name="filing",
    operation_id="get_filing",
    summary="一个备案：合作伙伴、人员、项目、成果和附件信息",
    tags=["备案"],
)
def filing(request, filing_id: uuid.UUID):
    """Everything the 查看 page shows, with personal data unmasked (the web shows it to the same scopes)."""
    f = get_object_or_404(scope_of(request.auth).values(*DETAIL_FIELDS), public_id=filing_id)
    if f["status"] == Status.VOIDED:
        return _tombstone(f)
    pk = f["pk"]
    attachments = Attachment.objects.filter(filing_id=pk).order_by("kind", "uploaded_at", "id")
    return {
        **_common(f),
        "cooperation_category": f["cooperation_category__name"] or "",
        "address": f["address"],
        "founded_on": f["founded_on"],
        "contact_phone": f["contact_phone"],
        "unit_snapshot": {name: f[f"unit_{name}"] for name in UNIT_SNAPSHOT},
        "owner": {name: f[f"owner_{name}"] for name in OWNER_SNAPSHOT},
        **{
            name: f[name]
            for name in (
                "exchange_visits",
                "joint_training",
                "basic_situation",
                "cooperation_basis",
                "goals_and_tasks",
                "conditions",
                "created_at",
            )
        },
        "members": _children(
            Member, pk, "name", "gender", "birth_month", "title", "education", "major", "task"
        ),
        "partners": _children(
            OverseasPartner,
            pk,
            "country",
            "name_zh",
            "name_original",
            "partner_type",
            "started_on",
            "content",
        ),
        "joint_projects": _children(JointProject, pk, "name", "partner", "started_on", "ended_on", "funding"),
        "joint_results": _children(JointResult, pk, "title", "kind", "published_on"),
        "attachments": [
            {
                "id": a.public_id,
                "kind": a.kind,
                "kind_label": a.get_kind_display(),
                "name": a.original_name,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
                "url": reverse("api:attachment_file", args=[f["public_id"], a.public_id]),
            }
            for a in attachments
        ],
    }


PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "附件文件（PDF）",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@api.get(
    "/filings/{filing_id}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    url_name="attachment_file",
    operation_id="get_attachment_file",
    summary="下载一个附件（PDF，流式传输）",
    tags=["备案"],
    openapi_extra=PDF_RESPONSE,
)
def attachment_file(request, filing_id: uuid.UUID, attachment_id: uuid.UUID):
    """The stored PDF, streamed; the same access rule as the filing (404 for foreign ids)."""
    f = _get_filing(request, filing_id)
    if is_voided(f):
        raise Http404
    attachment = get_object_or_404(Attachment.objects.filter(filing=f), public_id=attachment_id)
    return attachment_response(attachment)


@api.get(
    "/filings/{filing_id}/flow",
    response={200: list[schemas.FlowRecordOut], **ERRORS},
    url_name="flow",
    operation_id="get_flow_records",
    summary="流转记录",
    tags=["备案"],
)
def flow(request, filing_id: uuid.UUID):
    """Every step of the filing in time order, as the web's 流转记录 shows it."""
    f = _get_filing(request, filing_id)
    if is_voided(f):
        raise Http404
    records = FlowRecord.objects.filter(filing=f).select_related("actor").order_by("created_at", "id")
    return [
        {
            "created_at": r.created_at,
            "action": r.action,
            "action_label": r.get_action_display(),
            "from_status": r.from_status,
            "to_status": r.to_status,
            "actor_name": r.actor.name or r.actor.username,
            "actor_organisation": r.actor_organisation,
            "opinion": r.opinion,
        }
        for r in records
    ]
