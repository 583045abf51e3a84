"""Strategies and invariants for the hostile-input tests (test_hostile_input.py)."""

from hypothesis import strategies as st

from kechuang.accounts.models import Unit, UnitChange, User
from kechuang.filings.models import CONTENT_MAX_LENGTH, Filing, Industry
from kechuang.review.models import FlowRecord

XSS_PROBES = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
CURRENT = object()  # stands for "the filing's current version" in generated payloads

SPECIAL = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\u202e",
        "\r\n",
        "2026-02-30",
        "9999-12-31",
        "0001-01-01",
        "1900-01",
        "-1",
        "0",
        "1e309",
        "NaN",
        "99999999999999999999",
        "０１２",
        "DE",
        "FR",
        "CN",
        "XX",
        "de",
        "' OR 1=1 --",
        "{{ 7*7 }}",
        "../../etc/passwd",
        "13800000000",
        "a@b.cn",
        *XSS_PROBES,
    ]
)
LONG = st.builds(lambda ch, n: ch * n, st.sampled_from(["字", "a", "\n", "😀", "<"]), st.integers(2900, 3100))
JUNK = st.one_of(st.text(max_size=40), SPECIAL, st.integers(-(10**13), 10**13).map(str), LONG)


def choice(valid):
    """Mostly valid values (so saves succeed and the state moves), sometimes anything at all."""
    return st.one_of(st.sampled_from(list(valid)), JUNK)


def many(valid):
    return st.lists(choice(valid), max_size=5)


def version():
    return st.one_of(st.just(CURRENT), st.just(CURRENT), JUNK)


def payload(fields):
    """A dict with each field present or absent (absent fields test the "missing" paths)."""
    return st.fixed_dictionaries({}, optional=fields)


COUNTRIES = ["DE", "FR", "US", "JP", "CN", ""]
DATES = ["2024-01-01", "2023-05-06", "2025-12-31", "2030-01-01", ""]


FILING_FKS = ["business", "owner", "unit", "stage", "return_stage", "cooperation_category"]


def check_invariants(accounts=False):
    """Nothing stored is invalid, whatever was posted.

    full_clean() skips foreign keys and uniqueness (the database enforces those itself), which keeps this
    cheap enough to run after every generated request.
    """
    for filing in Filing.objects.prefetch_related(
        "partners", "members", "joint_projects", "joint_results", "attachments"
    ):
        filing.full_clean(exclude=FILING_FKS, validate_unique=False, validate_constraints=False)
        partner_countries = {p.country.code for p in filing.partners.all()}
        chosen = [c.code for c in (filing.main_country, filing.second_country, *filing.other_countries) if c]
        assert set(chosen) <= partner_countries, (filing.pk, chosen, partner_countries)
        assert len(chosen) == len(set(chosen)), chosen
        assert set(filing.industries) <= set(Industry.values), filing.industries
        for field in ("basic_situation", "cooperation_basis", "goals_and_tasks", "conditions"):
            assert len(getattr(filing, field)) <= CONTENT_MAX_LENGTH, field
            assert "\x00" not in getattr(filing, field)
        for related in ("partners", "members", "joint_projects", "joint_results", "attachments"):
            for row in getattr(filing, related).all():
                row.full_clean(exclude=["filing", "uploaded_by"], validate_unique=False)
    records = {}
    for record in FlowRecord.objects.select_related("filing__stage").order_by(
        "filing_id", "created_at", "id"
    ):
        records.setdefault(record.filing_id, []).append(record)
    for chain in records.values():
        for earlier, later in zip(chain, chain[1:], strict=False):
            assert earlier.to_status == later.from_status, "流转记录 chain broken"
        assert chain[-1].to_status == chain[-1].filing.stage_label
    if accounts:
        for change in UnitChange.objects.all():
            change.full_clean(exclude=["unit", "requested_by", "decided_by"], validate_unique=False)
        for unit in Unit.objects.all():
            unit.full_clean(exclude=["department"])
        for user in User.objects.filter(username__in=["zhangsan", "lisi"]):
            user.full_clean(exclude=["unit", "department"])
