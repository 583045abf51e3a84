import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from kechuang.publicity import services
from kechuang.review import transitions
from tests.factories import at_stage


def completed(demo, name, owner=None):
    filing = at_stage(demo, 3, owner, name)
    return transitions.approve(filing, demo.kjt_reviewer, "同意")


def batch_of(demo, filings, start_offset=-1, end_offset=5, title="2026年第一批省国际科技合作平台备案公示"):
    today = timezone.localdate()
    return services.publish_batch(
        demo.kjt_reviewer,
        title,
        today + datetime.timedelta(days=start_offset),
        today + datetime.timedelta(days=end_offset),
        filings,
    )


@pytest.fixture
def published(demo):
    """A batch in its 公示期 with two completed filings of zhangsan's unit."""
    filings = [completed(demo, "寒地材料国际联合实验室"), completed(demo, "中俄冰雪装备联合研究中心")]
    return SimpleNamespace(demo=demo, filings=filings, batch=batch_of(demo, filings))


OBJECTION = {
    "name": "赵六",
    "phone": "13900001111",
    "email": "zhaoliu@example.com",
    "content": "该平台的合作协议已于去年终止。",
}
