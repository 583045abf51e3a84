"""Builders for review tests: many waiting filings at once (the rest: tests.factories)."""

from kechuang.filings.models import Filing
from tests.factories import at_stage, complete_filing, reviewers_for, submitted_filing  # noqa: F401


def waiting_in_bulk(demo, count, order=3, owner=None):
    """``count`` filings waiting at the stage with ``order``, created in one query (for query-count tests)."""
    from django.utils import timezone

    from kechuang.filings.models import Status
    from kechuang.workflow.models import Stage

    owner = owner or demo.zhangsan
    stage = Stage.objects.get(business=demo.business, order=order)
    now = timezone.now()
    return Filing.objects.bulk_create(
        Filing(
            business=demo.business,
            owner=owner,
            unit=owner.unit,
            name=f"批量平台{i:03d}",
            unit_name=owner.unit.name,
            owner_name=owner.name,
            status=Status.IN_REVIEW,
            stage=stage,
            first_submitted_at=now,
            submitted_at=now,
        )
        for i in range(count)
    )
