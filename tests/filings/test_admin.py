"""Admin: 合作类别 are data (F4); filings are viewable by the system administrator but never edited there."""

from django.urls import reverse

from kechuang.filings.models import CooperationCategory, Filing

from .factories import complete_filing


def test_F4_categories_are_managed_in_the_admin(client, demo):
    client.force_login(demo.admin)
    response = client.post(
        reverse("admin:filings_cooperationcategory_add"), {"name": "国际创新园", "order": 9, "active": "on"}
    )
    assert response.status_code == 302
    assert CooperationCategory.objects.get(name="国际创新园").active


def test_filings_are_read_only_in_the_admin(client, demo):
    filing = complete_filing(demo.zhangsan, demo.business, name="寒地新材料国际联合实验室")
    client.force_login(demo.admin)
    listing = client.get(reverse("admin:filings_filing_changelist"))
    assert listing.status_code == 200 and "寒地新材料国际联合实验室" in listing.content.decode()
    change = reverse("admin:filings_filing_change", args=[filing.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"name": "改名", "status": "done"})
    assert Filing.objects.get(pk=filing.pk).name == "寒地新材料国际联合实验室"
    assert client.get(reverse("admin:filings_filing_add")).status_code == 403
    assert client.get(reverse("admin:filings_filing_delete", args=[filing.pk])).status_code == 403


def test_applicants_cannot_reach_the_admin(client, demo):
    client.force_login(demo.zhangsan)
    assert client.get(reverse("admin:filings_filing_changelist")).status_code == 302
