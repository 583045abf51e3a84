"""Filings in every stage, in two departments' scopes, with countries, fields and partners that differ."""

from types import SimpleNamespace

import pytest

from kechuang.filings.models import Filing
from kechuang.review import transitions
from tests.factories import add_partner, at_stage, complete_filing, submitted_filing


@pytest.fixture
def spread(demo):
    """zhangsan's (示例科技大学, 教育厅) and wangwu's (示例新材料, 哈尔滨市科技局) filings in every state."""
    made = []
    complete_filing(demo.zhangsan, demo.business, name="草稿平台")  # a draft: never counted
    for owner, prefix in ((demo.zhangsan, "甲"), (demo.wangwu, "乙")):
        made.append(submitted_filing(demo, owner, f"{prefix}-单位审核"))
        made.append(at_stage(demo, 2, owner, f"{prefix}-主管部门审核"))
        made.append(at_stage(demo, 3, owner, f"{prefix}-省级审核"))
        department = demo.edu_reviewer if owner == demo.zhangsan else demo.hrb_reviewer
        returned = at_stage(demo, 2, owner, f"{prefix}-退回")
        made.append(transitions.return_(returned, department, "请补充"))
        rejected = at_stage(demo, 3, owner, f"{prefix}-不通过")
        made.append(transitions.reject(rejected, demo.kjt_reviewer, "不符合"))
        for i in range(2 if owner == demo.zhangsan else 1):
            done = at_stage(demo, 3, owner, f"{prefix}-完成{i}")
            made.append(transitions.approve(done, demo.kjt_reviewer, "同意"))
    # Different countries, fields and partners for wangwu's filings, so the scopes' numbers differ.
    wangwu = Filing.objects.filter(owner=demo.wangwu)
    wangwu.update(main_country="RU", industries=["digital", "food"])
    for filing in wangwu:
        add_partner(filing, "RU", "俄罗斯某大学")
        add_partner(filing, "JP", "日本某研究所")
    return SimpleNamespace(demo=demo, filings=made)
