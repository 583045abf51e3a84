"""The shapes of the API's answers (the OpenAPI document is generated from these).

Plain pydantic models, not ninja's ``Schema``: the endpoints return dicts, so ninja's per-object ORM getter
(a Python wrapper around every nested object) would only cost time — a third of a list page's.
"""

import datetime
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kechuang.filings.models import Industry, Status
from kechuang.workflow.models import Action, ReviewerKind

BIGINT_MAX = 2**63 - 1


class Error(BaseModel):
    detail: str = Field(..., description="原因（中文）")


class FieldError(BaseModel):
    location: list[str] = Field(..., description='出错的参数，如 ["query", "limit"]')
    message: str


class ValidationErrors(BaseModel):
    detail: str = Field(..., description="原因（中文）")
    errors: list[FieldError] = Field(..., description="逐个参数的错误；参数本身合法而组合无效时为空")


class StageOut(BaseModel):
    id: int
    order: int
    name: str
    reviewer_kind: ReviewerKind


class SeasonOut(BaseModel):
    id: uuid.UUID
    year: int
    name: str
    period_start: datetime.date
    period_end: datetime.date


class BusinessOut(BaseModel):
    id: uuid.UUID
    name: str
    section: str
    period_start: datetime.date = Field(..., description="申报期开始")
    period_end: datetime.date = Field(..., description="申报期结束")
    is_open: bool = Field(..., description="今天是否在申报期内")
    stages: list[StageOut]
    seasons: list[SeasonOut] = Field(..., description="申报批次（统计接口的 season 参数）")


class UnitRef(BaseModel):
    id: uuid.UUID
    name: str
    credit_code: str


class DepartmentRef(BaseModel):
    id: int
    name: str


class FilingCommon(BaseModel):
    """What the list's rows and one filing both say (``_common`` in endpoints.py)."""

    id: uuid.UUID
    voided: Literal[False] = False
    business: uuid.UUID
    name: str
    status: Status
    stage: StageOut | None
    stage_label: str = Field(..., description="流程阶段，如“平台：主管部门审核”")
    unit: UnitRef
    department: DepartmentRef
    main_country: str
    second_country: str
    other_countries: list[str]
    industries: list[Industry]
    contact_name: str
    version: int
    first_submitted_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    updated_at: datetime.datetime


class FilingRow(FilingCommon):
    """One row of the filings list. Personal data is masked here (证件号码 to its last 4 characters)."""

    unit_name: str = Field(..., description="依托单位（备案中的快照）")
    owner_name: str
    owner_mobile: str = Field(..., description="手机（脱敏）")
    owner_id_number: str = Field(..., description="证件号码（脱敏）")
    contact_phone: str = Field(..., description="联系电话（脱敏）")


class Tombstone(BaseModel):
    """A voided filing: only that it existed and is void."""

    id: uuid.UUID
    voided: Literal[True] = True


class FilingPage(BaseModel):
    items: list[Annotated[FilingRow | Tombstone, Field(discriminator="voided")]]
    next_cursor: str | None = Field(
        ..., description="下一页的游标（作为 cursor 参数传入）；为 null 表示已到最后一页"
    )


class MemberOut(BaseModel):
    id: uuid.UUID
    name: str
    gender: str
    birth_month: datetime.date | None
    title: str
    education: str
    major: str
    task: str


class PartnerOut(BaseModel):
    id: uuid.UUID
    country: str
    name_zh: str
    name_original: str
    partner_type: str
    started_on: datetime.date
    content: str


class ProjectOut(BaseModel):
    id: uuid.UUID
    name: str
    partner: str
    started_on: datetime.date
    ended_on: datetime.date | None
    funding: Decimal | None = Field(..., description="经费（万元）")


class ResultOut(BaseModel):
    id: uuid.UUID
    title: str
    kind: str
    published_on: datetime.date | None


class AttachmentOut(BaseModel):
    id: uuid.UUID
    kind: int = Field(..., description="附件类型 1–4")
    kind_label: str
    name: str
    size: int
    sha256: str
    uploaded_at: datetime.datetime
    url: str = Field(..., description="下载文件的接口地址")


class Owner(BaseModel):
    name: str
    gender: str
    position: str
    research_field: str
    mobile: str
    id_type: str
    id_number: str
    birth_date: datetime.date | None
    title: str
    education: str
    email: str


class UnitSnapshot(BaseModel):
    name: str
    credit_code: str
    address: str
    contact_name: str
    contact_phone: str
    contact_email: str


class FilingDetail(FilingCommon):
    cooperation_category: str
    address: str
    founded_on: datetime.date | None
    contact_phone: str
    unit_snapshot: UnitSnapshot
    owner: Owner
    exchange_visits: int | None
    joint_training: int | None
    basic_situation: str
    cooperation_basis: str
    goals_and_tasks: str
    conditions: str
    created_at: datetime.datetime
    members: list[MemberOut]
    partners: list[PartnerOut]
    joint_projects: list[ProjectOut]
    joint_results: list[ResultOut]
    attachments: list[AttachmentOut]


class FlowRecordOut(BaseModel):
    created_at: datetime.datetime
    action: Action
    action_label: str
    from_status: str
    to_status: str
    actor_name: str
    actor_organisation: str
    opinion: str


class StatisticsRow(BaseModel):
    key: str = Field(..., description="分组的代码（如国别代码、年份）；空字符串表示未填")
    label: str
    counts: list[int] = Field(..., description="与 columns 一一对应")


class StatisticsTable(BaseModel):
    key: str = Field(
        ...,
        description="表的代码：stage、main_country、partner_country、industry、city、unit_type、first_year、done_year",
    )
    title: str
    key_label: str
    columns: list[str]
    rows: list[StatisticsRow]
    totals: list[int]


class StatisticsOut(BaseModel):
    tables: list[StatisticsTable]
