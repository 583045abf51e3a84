"""备案编号: allocated at the first 上报 from a per-year counter, kept through 撤销, 退回 and resubmission."""

from django.utils import timezone

from kechuang.filings.models import Filing, FilingNumberCounter
from kechuang.filings.numbering import allocate_number
from kechuang.review import transitions
from tests.factories import complete_filing, submitted_filing


def test_sequential_per_year_and_stable(demo):
    year = timezone.localdate().year
    first = submitted_filing(demo, name="一号平台")
    second = submitted_filing(demo, name="二号平台")
    assert (first.number, second.number) == (f"GJHZ-{year}-000001", f"GJHZ-{year}-000002")
    draft = complete_filing(demo.zhangsan, demo.business, name="草稿")
    assert Filing.objects.get(pk=draft.pk).number is None

    withdrawn = transitions.withdraw(first, demo.zhangsan)
    assert withdrawn.number == first.number
    again = transitions.submit(withdrawn, demo.zhangsan)
    assert Filing.objects.get(pk=again.pk).number == f"GJHZ-{year}-000001"

    returned = transitions.return_(second, demo.sldx_admin, "请修改")
    resubmitted = transitions.submit(returned, demo.zhangsan)
    assert Filing.objects.get(pk=resubmitted.pk).number == f"GJHZ-{year}-000002"
    assert FilingNumberCounter.objects.get(year=year).last == 2


def test_counter_per_year(db):
    last_year = timezone.now().replace(year=2025, month=6)
    assert allocate_number(last_year) == "GJHZ-2025-000001"
    assert allocate_number(last_year) == "GJHZ-2025-000002"
    assert allocate_number(last_year.replace(year=2026)) == "GJHZ-2026-000001"
