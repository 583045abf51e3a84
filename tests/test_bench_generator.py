"""The benchmark data generator (bench/README.md) at a small scale: counts and the invariants the bench relies on."""

import io
from collections import defaultdict

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from pypdf import PdfReader

from kechuang.accounts.models import Role, Unit, User
from kechuang.accounts.validators import validate_credit_code, validate_identity
from kechuang.devtools.management.commands.generate_bench_data import BENCH_PASSWORD, BENCH_PDF_NAME
from kechuang.filings.completeness import missing_items
from kechuang.filings.models import Attachment, Filing, Status
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Action


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """load_demo and the generator hash passwords; a fast hasher keeps this module quick (hashing is not tested)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def generate(**sizes):
    call_command("generate_bench_data", stdout=io.StringIO(), **sizes)


@pytest.mark.django_db
def test_small_scale_counts_and_identities():
    """5 units, 20 people, 50 filings: exact counts, valid GB 32100 / GB 11643 numbers (A1, U2), known passwords."""
    generate(units=5, people=20, filings=50)

    assert Filing.objects.count() == 50
    assert Unit.objects.count() == 2 + 5
    assert User.objects.filter(role=Role.APPLICANT, username__startswith="bench").count() == 20
    assert User.objects.filter(role=Role.UNIT_ADMIN, username__startswith="bench_admin").count() == 5
    for code in Unit.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    for person in User.objects.filter(role=Role.APPLICANT):
        validate_identity(person.id_type, person.id_number, person.birth_date)
    assert User.objects.get(username="bench00007").check_password(BENCH_PASSWORD)
    assert User.objects.get(username="bench_admin0003").check_password(BENCH_PASSWORD)
    assert User.objects.get(username="zhangsan").check_password("Demo@2026")  # demo accounts still work
    # Every generated applicant belongs to a unit, and filings belong to their owner's unit (A1).
    assert not User.objects.filter(role=Role.APPLICANT, unit__isnull=True).exists()
    assert not Filing.objects.exclude(unit=F("owner__unit")).exists()


@pytest.mark.django_db
def test_status_agrees_with_flow_records():
    """W1/W6/W8/F12: each filing's status, stage and return stage are what its 流转记录 lead to."""
    generate(units=5, people=20, filings=50)

    records = defaultdict(list)
    for record in FlowRecord.objects.order_by("created_at", "id"):
        records[record.filing_id].append(record)
    filings = Filing.objects.select_related("stage", "return_stage", "unit", "business")
    assert {f.status for f in filings} >= {Status.DRAFT, Status.IN_REVIEW, Status.DONE}
    for filing in filings:
        steps = records[filing.pk]
        if filing.status == Status.DRAFT:
            assert steps == [] and filing.first_submitted_at is None
            continue
        assert filing.first_submitted_at is not None
        assert steps[0].action == Action.SUBMIT and steps[0].actor_id == filing.owner_id
        assert steps[0].from_status == "平台：填报中"
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_status == before.to_status and after.from_stage_id == before.to_stage_id
            assert after.created_at > before.created_at
        last = steps[-1]
        assert last.to_stage_id == filing.stage_id
        assert last.to_status == filing.stage_label
        assert filing.updated_at == last.created_at
        if filing.status == Status.RETURNED:
            assert last.action == Action.RETURN and filing.return_stage_id == last.from_stage_id
        elif filing.status == Status.REJECTED:
            assert last.action == Action.REJECT and last.opinion
        elif filing.status == Status.DONE:
            assert [s.action for s in steps] == [
                Action.SUBMIT,
                Action.APPROVE,
                Action.APPROVE,
                Action.APPROVE,
            ]
        # Submitted filings are complete, so 上报 after 退回 works as on real data (F9).
        assert missing_items(filing) == []


@pytest.mark.django_db
def test_scopes_pool_and_demo_personas():
    """W9 scopes are big for the demo reviewers; the 上报 pool is complete drafts; zhangsan's list stays small."""
    generate(units=20, people=200, filings=400)
    people = {
        u.username: u for u in User.objects.filter(username__in=["zhangsan", "edu_reviewer", "sldx_admin"])
    }

    assert 5 <= Filing.objects.visible_to(people["zhangsan"]).count() <= 20
    edu_scope = Filing.objects.filter(
        first_submitted_at__isnull=False, unit__department__name="黑龙江省教育厅"
    )
    assert Filing.objects.visible_to(people["edu_reviewer"]).count() == edu_scope.count() > 40
    assert Filing.objects.actionable_by(people["edu_reviewer"]).exists()
    assert Filing.objects.visible_to(people["sldx_admin"]).count() > 20
    pool = Filing.objects.filter(owner__username="bench00000", status=Status.DRAFT)
    complete = [f for f in pool if not missing_items(f)]
    assert len(complete) >= 1


@pytest.mark.django_db
def test_attachments_share_one_valid_pdf_and_sequences_continue(demo):
    """F8: the stored sample is a real PDF; ids continue after the generated rows; a second run is refused."""
    generate(units=5, people=20, filings=50)

    names = set(Attachment.objects.values_list("file", flat=True))
    assert names == {BENCH_PDF_NAME}
    with default_storage.open(BENCH_PDF_NAME) as handle:
        assert len(PdfReader(handle).pages) == 1
    # New rows get fresh ids (sequences were reset after the explicit-id inserts).
    filing = Filing.objects.create(business=demo.business, owner=demo.zhangsan, unit=demo.zhangsan.unit)
    assert filing.pk > Filing.objects.exclude(pk=filing.pk).order_by("-pk").values_list("pk", flat=True)[0]
    with pytest.raises(CommandError):
        generate(units=5, people=20, filings=50)
