"""The content hash of a filing for 验真: what the applicant filed, not where it is in review.

It covers the six tabs (基本信息, 依托单位 and 负责人 snapshots, 平台人员, 合作情况 with its lists, 内容说明) and
each attachment's kind, name and SHA-256, in a canonical JSON form. Stage, status, version, times and 流转记录
are left out, so a printed 备案表 stays "一致" while the filing moves through review; a re-edit after a 退回
changes the hash (unless it puts back exactly what was there).
"""

import hashlib
import json

BASIC_FIELDS = (
    "name",
    "cooperation_category_id",
    "main_country",
    "second_country",
    "other_countries",
    "industries",
    "address",
    "founded_on",
    "contact_name",
    "contact_phone",
)
UNIT_FIELDS = (
    "unit_name",
    "unit_credit_code",
    "unit_address",
    "unit_contact_name",
    "unit_contact_phone",
    "unit_contact_email",
)
LEADER_FIELDS = (
    "owner_name",
    "owner_gender",
    "owner_position",
    "owner_research_field",
    "owner_mobile",
    "owner_id_type",
    "owner_id_number",
    "owner_birth_date",
    "owner_title",
    "owner_education",
    "owner_email",
)
COOPERATION_FIELDS = ("exchange_visits", "joint_training")
CONTENT_FIELDS = ("basic_situation", "cooperation_basis", "goals_and_tasks", "conditions")
PART_FIELDS = {
    "members": ("name", "gender", "birth_month", "title", "education", "major", "task"),
    "partners": ("country", "name_zh", "name_original", "partner_type", "started_on", "content"),
    "joint_projects": ("name", "partner", "started_on", "ended_on", "funding"),
    "joint_results": ("title", "kind", "published_on"),
}
HASH_LENGTH = 16  # hex digits printed beside the QR code (64 bits)


def _plain(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "code"):  # django-countries Country
        return value.code
    return str(value)


def filed_content(filing):
    """The canonical dict of what was filed. Uses prefetched lists when present (display.get_filing_for_display)."""
    data = {
        name: _plain(getattr(filing, name))
        for name in BASIC_FIELDS + UNIT_FIELDS + LEADER_FIELDS + COOPERATION_FIELDS + CONTENT_FIELDS
    }
    for related, fields in PART_FIELDS.items():
        rows = sorted(getattr(filing, related).all(), key=lambda row: row.pk)
        data[related] = [[_plain(getattr(row, f)) for f in fields] for row in rows]
    attachments = sorted(filing.attachments.all(), key=lambda a: (a.kind, a.sha256, a.original_name))
    data["attachments"] = [[a.kind, a.original_name, a.sha256] for a in attachments]
    return data


def content_hash(filing):
    """SHA-256 (hex) of the canonical JSON of ``filed_content``; the first HASH_LENGTH digits are printed."""
    text = json.dumps(filed_content(filing), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def short_hash(filing):
    return content_hash(filing)[:HASH_LENGTH]


def grouped(digest):
    """ "3f2a9c1b4d5e6f70" -> "3F2A-9C1B-4D5E-6F70", as printed (easier to read aloud and compare)."""
    digest = digest.upper()
    return "-".join(digest[i : i + 4] for i in range(0, len(digest), 4))
