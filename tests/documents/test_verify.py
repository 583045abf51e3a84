"""验真: public, throttled, same 404 for unknown and forged codes, 一致 through review, 内容已修改 after a re-edit."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from kechuang.audit.models import SecurityEvent
from kechuang.documents.content import short_hash
from kechuang.documents.verification import make_code, verification_path
from kechuang.filings.models import Filing, Member
from kechuang.review import transitions
from tests.factories import reviewers_for


def printed_path(filing):
    return verification_path(Filing.objects.get(pk=filing.pk))


@pytest.fixture
def submitted(demo, full):
    return transitions.submit(full, demo.zhangsan)


def test_stays_consistent_through_review_steps(client, demo, submitted):
    path = printed_path(submitted)
    filing = submitted
    for reviewer in reviewers_for(demo, filing):
        filing = transitions.approve(filing, reviewer, "同意")
        page = Client().get(path)
        assert page.status_code == 200
        text = page.content.decode()
        assert "内容与系统记录一致" in text and "内容已修改" not in text
        assert filing.number in text and filing.name in text and filing.unit_name in text
        assert filing.stage_label in text
    assert filing.stage_label == "平台：完成"


def test_changed_after_a_re_edit_following_a_return(client, demo, submitted):
    path = printed_path(submitted)
    filing = transitions.approve(submitted, demo.sldx_admin)
    filing = transitions.return_(filing, demo.edu_reviewer, "请补充条件保障")
    assert "内容与系统记录一致" in Client().get(path).content.decode(), "a 退回 alone changes nothing filed"
    client.force_login(demo.zhangsan)
    added = client.post(
        reverse("filings:part_add", kwargs={"public_id": filing.public_id, "part": "members"}),
        {
            "version": Filing.objects.get(pk=filing.pk).version,
            "members-name": "新增成员",
            "members-gender": "female",
            "members-title": "intermediate",
            "members-education": "master",
        },
    )
    assert added.status_code == 302
    assert Member.objects.filter(filing=filing, name="新增成员").exists()
    page = Client().get(path)
    assert page.status_code == 200
    assert "内容已修改，请以系统记录为准" in page.content.decode()
    filing.refresh_from_db()
    new_path = verification_path(filing)
    assert new_path != path
    assert "内容与系统记录一致" in Client().get(new_path).content.decode()


def test_hash_covers_the_tabs_and_attachments_not_the_stage(demo, full):
    def digest():
        return short_hash(Filing.objects.get(pk=full.pk))

    before = digest()
    Filing.objects.filter(pk=full.pk).update(status="done", version=99)
    assert digest() == before
    Filing.objects.filter(pk=full.pk).update(basic_situation="改过的基本情况")
    changed = digest()
    assert changed != before
    full.attachments.filter(kind=4).update(sha256="0" * 64)
    assert digest() != changed


CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def test_unknown_and_forged_codes_get_the_same_404(client, submitted):
    genuine = printed_path(submitted)
    number, digest, mac = genuine.split("/")[2].split(".")
    unknown = reverse("documents:verify", kwargs={"code": make_code("GJHZ-2026-999999", digest)})
    forged_hash = reverse("documents:verify", kwargs={"code": f"{number}.{'0' * 16}.{mac}"})
    forged_mac = reverse("documents:verify", kwargs={"code": f"{number}.{digest}.{'a' * 20}"})
    garbage = reverse("documents:verify", kwargs={"code": "GJHZ-2026-000001"})
    bodies = set()
    for path in (unknown, forged_hash, forged_mac, garbage):
        response = client.get(path)
        assert response.status_code == 404, path
        # The header's 中文 | English form carries a CSRF token, masked afresh on every response by design.
        bodies.add(CSRF_TOKEN.sub(b"", response.content))
    assert len(bodies) == 1, "unknown and forged codes must be indistinguishable"


def test_shows_no_personal_data(client, demo, submitted):
    text = client.get(printed_path(submitted)).content.decode()
    filing = Filing.objects.get(pk=submitted.pk)
    for secret in (filing.owner_id_number, filing.owner_mobile, filing.owner_email, filing.owner_name):
        assert secret and secret not in text
    assert filing.unit_contact_phone not in text


def test_throttled_per_address(client, settings, submitted):
    settings.VERIFY_RATE_LIMIT = 3
    path = printed_path(submitted)
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(path)
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.content.decode()
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(path).status_code == 200, "another address has its own count"
    assert not SecurityEvent.objects.filter(user__isnull=False).exists()
