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
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kechuang.filings.attachments import attachment_response
from kechuang.filings.models import Attachment, Filing, Industry, Status
from kechuang.review.models import FlowRecord
from kechuang.workflow import days
from kechuang.workflow.models import Business

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

api = NinjaAPI(
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


def _unit(unit):
    return {"id": unit.public_id, "name": unit.name, "credit_code": unit.credit_code}


def _department(unit):
    return {"id": unit.department_id, "name": unit.department.name}


def _codes(countries):
    return [country.code for country in countries]


def _chinese_stage_label(filing):
    """The API's values do not depend on the caller's Accept-Language: 流程阶段 as the spec writes it."""
    with translation.override(settings.LANGUAGE_CODE):
        return filing.stage_label


def _common(filing):
    return {
        "id": filing.public_id,
        "business": filing.business.public_id,
        "name": filing.name,
        "status": filing.status,
        "stage": _stage(filing.stage),
        "stage_label": _chinese_stage_label(filing),
        "unit": _unit(filing.unit),
        "department": _department(filing.unit),
        "main_country": filing.main_country.code or "",
        "second_country": filing.second_country.code or "",
        "other_countries": _codes(filing.other_countries),
        "industries": [code for code in filing.industries if code in Industry.values],
        "contact_name": filing.contact_name,
        "version": filing.version,
        "first_submitted_at": filing.first_submitted_at,
        "submitted_at": filing.submitted_at,
        "updated_at": filing.updated_at,
    }


def _tombstone(filing):
    return {"id": filing.public_id, "voided": True}


def _row(filing):
    if is_voided(filing):
        return _tombstone(filing)
    return {
        **_common(filing),
        "unit_name": filing.unit_name,
        "leader_name": filing.leader_name,
        "leader_mobile": mask_phone(filing.leader_mobile),
        "leader_id_number": mask_id_number(filing.leader_id_number),
        "contact_phone": mask_phone(filing.contact_phone),
    }


ROW_RELATED = ("business", "stage", "unit__department")
ROW_FIELDS = (
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
    "unit_name",
    "leader_name",
    "leader_mobile",
    "leader_id_number",
    "business__public_id",
    "stage__order",
    "stage__name",
    "stage__reviewer_kind",
    "unit__public_id",
    "unit__name",
    "unit__credit_code",
    "unit__department_id",
    "unit__department__name",
)


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
    rows = Business.objects.prefetch_related("stages").order_by("order", "name")
    return [
        {
            "id": b.public_id,
            "name": b.name,
            "section": b.section,
            "period_start": b.period_start,
            "period_end": b.period_end,
            "is_open": b.is_open(today),
            "stages": [_stage(s) for s in b.stages.all()],
        }
        for b in rows
    ]


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
        # The JSON list's text holds each code in quotes: '"bio"' matches the element, not "biology".
        queryset = queryset.filter(industries__icontains=f'"{f.industry.value}"')
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
    page = list(queryset.select_related(*ROW_RELATED).only(*ROW_FIELDS).order_by("pk")[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {"items": [_row(f) for f in page], "next_cursor": str(page[-1].public_id) if more else None}


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
    f = _get_filing(
        request,
        filing_id,
        scope_of(request.auth)
        .select_related("business", "stage", "unit__department", "cooperation_category")
        .prefetch_related(
            "members",
            "partners",
            "joint_projects",
            "joint_results",
            Prefetch("attachments", queryset=Attachment.objects.order_by("kind", "uploaded_at", "id")),
        ),
    )
    if is_voided(f):
        return _tombstone(f)
    return {
        **_common(f),
        "cooperation_category": f.cooperation_category.name if f.cooperation_category_id else "",
        "address": f.address,
        "founded_on": f.founded_on,
        "contact_phone": f.contact_phone,
        "unit_snapshot": {
            "name": f.unit_name,
            "credit_code": f.unit_credit_code,
            "address": f.unit_address,
            "contact_name": f.unit_contact_name,
            "contact_phone": f.unit_contact_phone,
            "contact_email": f.unit_contact_email,
        },
        "leader": {
            "name": f.leader_name,
            "gender": f.leader_gender,
            "position": f.leader_position,
            "research_field": f.leader_research_field,
            "mobile": f.leader_mobile,
            "id_type": f.leader_id_type,
            "id_number": f.leader_id_number,
            "birth_date": f.leader_birth_date,
            "title": f.leader_title,
            "education": f.leader_education,
            "email": f.leader_email,
        },
        "exchange_visits": f.exchange_visits,
        "joint_training": f.joint_training,
        "basic_situation": f.basic_situation,
        "cooperation_basis": f.cooperation_basis,
        "goals_and_tasks": f.goals_and_tasks,
        "conditions": f.conditions,
        "created_at": f.created_at,
        "members": [
            {
                "id": m.public_id,
                "name": m.name,
                "gender": m.gender,
                "birth_month": m.birth_month,
                "title": m.title,
                "education": m.education,
                "major": m.major,
                "task": m.task,
            }
            for m in f.members.all()
        ],
        "partners": [
            {
                "id": p.public_id,
                "country": p.country.code,
                "name_zh": p.name_zh,
                "name_original": p.name_original,
                "partner_type": p.partner_type,
                "started_on": p.started_on,
                "content": p.content,
            }
            for p in f.partners.all()
        ],
        "joint_projects": [
            {
                "id": p.public_id,
                "name": p.name,
                "partner": p.partner,
                "started_on": p.started_on,
                "ended_on": p.ended_on,
                "funding": p.funding,
            }
            for p in f.joint_projects.all()
        ],
        "joint_results": [
            {"id": r.public_id, "title": r.title, "kind": r.kind, "published_on": r.published_on}
            for r in f.joint_results.all()
        ],
        "attachments": [
            {
                "id": a.public_id,
                "kind": a.kind,
                "kind_label": a.get_kind_display(),
                "name": a.original_name,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
                "url": reverse("api:attachment_file", args=[f.public_id, a.public_id]),
            }
            for a in f.attachments.all()
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
