"""W9, the access choke point: every URL of zhangsan's filing, tried by other applicants, is a 404 that leaks and changes
nothing; actions refuse GET (405); anonymous visitors are sent to log in."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.filings.models import Attachment, Filing, JointProject, JointResult, Member, OverseasPartner

from .factories import add_partner, complete_filing, pdf_bytes

SECRET_NAME = "寒地新材料国际联合实验室"


@pytest.fixture
def target(demo):
    filing = complete_filing(demo.zhangsan, demo.business, name=SECRET_NAME)
    member = Member.objects.create(
        filing=filing, name="王小明", gender="male", title="senior", education="doctor"
    )
    project = JointProject.objects.create(
        filing=filing, name="联合项目甲", partner="伙伴", started_on="2024-01-01"
    )
    result = JointResult.objects.create(filing=filing, title="联合成果甲", kind="论文")
    partner = add_partner(filing, "FR", "法国伙伴")
    attachment = Attachment.objects.filter(filing=filing).first()
    return (
        filing,
        {"members": member, "projects": project, "results": result, "partners": partner},
        attachment,
    )


def every_request(filing, parts, attachment):
    """(method, url, data) for every URL that names the filing."""
    pid = filing.public_id
    version = {"version": filing.version}
    requests = [("get", reverse("filings:view", kwargs={"public_id": pid}), None)]
    for tab in ("guide", "basic", "members", "cooperation", "content", "attachments"):
        url = reverse("filings:edit", kwargs={"public_id": pid, "tab": tab})
        requests += [("get", url, None), ("post", url, {**version, "name": "被篡改", "conditions": "被篡改"})]
    requests += [
        ("post", reverse("review:submit", kwargs={"public_id": pid}), version),
        ("get", reverse("filings:delete", kwargs={"public_id": pid}), None),
        ("post", reverse("filings:delete", kwargs={"public_id": pid}), version),
        ("post", reverse("filings:sync_unit", kwargs={"public_id": pid}), version),
        ("post", reverse("filings:sync_owner", kwargs={"public_id": pid}), version),
        ("get", reverse("review:flow", kwargs={"public_id": pid}), None),
    ]
    for part, item in parts.items():
        requests.append(
            ("post", reverse("filings:part_add", kwargs={"public_id": pid, "part": part}), version)
        )
        for action in ("edit", "delete"):
            url = reverse(
                f"filings:part_{action}", kwargs={"public_id": pid, "part": part, "item_id": item.public_id}
            )
            requests += [("get", url, None), ("post", url, version)]
    for kind in (1, 4):
        url = reverse("filings:attachment_add", kwargs={"public_id": pid, "kind": kind})
        requests.append(("post", url, {**version, "file": _pdf()}))
    ids = {"public_id": pid, "attachment_id": attachment.public_id}
    requests += [
        ("get", reverse("filings:attachment", kwargs=ids), None),
        ("get", reverse("filings:attachment_delete", kwargs=ids), None),
        ("post", reverse("filings:attachment_delete", kwargs=ids), version),
    ]
    return requests


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("x.pdf", pdf_bytes())


def state(filing):
    row = model_to_dict(Filing.objects.get(pk=filing.pk))
    row["version"] = Filing.objects.get(pk=filing.pk).version
    counts = [
        m.objects.filter(filing=filing).count()
        for m in (Member, OverseasPartner, JointProject, JointResult, Attachment)
    ]
    return row, counts


@pytest.mark.parametrize("username", ["lisi", "wangwu"])
def test_W9_other_applicants_get_404_everywhere_and_nothing_changes(client, target, username):
    filing, parts, attachment = target
    before = state(filing)
    client.force_login(User.objects.get(username=username))
    for method, url, data in every_request(filing, parts, attachment):
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET_NAME.encode() not in body, url
    assert state(filing) == before


def test_W9_unit_admin_sees_but_cannot_edit(client, target, demo):
    filing, parts, attachment = target
    before = state(filing)
    client.force_login(demo.sldx_admin)
    assert client.get(reverse("filings:view", kwargs={"public_id": filing.public_id})).status_code == 200
    for method, url, data in every_request(filing, parts, attachment):
        if (
            "/flow/" in url
            or url.endswith(f"{filing.public_id}/")
            or url.endswith(f"{attachment.public_id}/")
        ):
            continue  # the read-only pages a unit administrator may open
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
    assert state(filing) == before


def test_anonymous_visitors_are_sent_to_login(client, target):
    filing, parts, attachment = target
    before = state(filing)
    for method, url, data in every_request(filing, parts, attachment):
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    assert state(filing) == before


def test_actions_refuse_get_with_405(client, target, demo):
    filing, parts, attachment = target
    client.force_login(demo.zhangsan)
    pid = filing.public_id
    urls = [
        reverse("review:submit", kwargs={"public_id": pid}),
        reverse("filings:sync_unit", kwargs={"public_id": pid}),
        reverse("filings:sync_owner", kwargs={"public_id": pid}),
        reverse("filings:attachment_add", kwargs={"public_id": pid, "kind": 1}),
        reverse("filings:create", kwargs={"public_id": demo.business.public_id}),
        *[reverse("filings:part_add", kwargs={"public_id": pid, "part": part}) for part in parts],
    ]
    before = state(filing)
    for url in urls:
        assert client.get(url).status_code == 405, url
    assert state(filing) == before
