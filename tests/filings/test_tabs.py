"""F2–F7: every tab shows, saves and validates; the 国别 rules (F4, F6); the version check (Q2)."""

import re

import pytest
from django.urls import reverse

from kechuang.filings.models import CONTENT_MAX_LENGTH, Filing, Industry, Member, OverseasPartner, Status

from .factories import add_partner, basic_payload, edit_url

TAB_LABELS = ["填写说明", "基本信息", "平台人员", "合作情况(近二年)", "内容说明", "附件"]


def fresh(filing):
    return Filing.objects.get(pk=filing.pk)


@pytest.mark.parametrize("tab", ["guide", "basic", "members", "cooperation", "content", "attachments"])
def test_F2_every_tab_shows_the_six_tabs_in_order_and_the_buttons(owner, filing, tab):
    html = owner.get(edit_url(filing, tab)).content.decode()
    positions = [html.index(f">{label}</a>") for label in TAB_LABELS]
    assert positions == sorted(positions)
    assert 'aria-current="page"' in html
    # The manual's bar 保存 · 撤销 · 上报, with 预览 beside; on a draft 撤销 goes back to the saved tab (issue 12).
    bar = html.split('<div class="filing-actions">', 1)[1].split("</div>", 1)[0]
    positions = [bar.index(f">{button}<") for button in ("保存", "撤销", "上报", "预览")]
    assert positions == sorted(positions)
    assert f'href="{edit_url(filing, tab)}" data-no-warn data-confirm=' in bar


def test_F3_guide_has_the_manual_instruction(owner, filing):
    html = owner.get(edit_url(filing, "guide")).content.decode()
    assert (
        "1.首先添加合作情况(近两年)、海外合作伙伴列表“国别”后，再选择“主要合作国别”、“第二关键国别”、“其他国别”"
        in html
    )
    assert "PDF" in html and "10M" in html and "20M" in html
    assert "删除" in html and "上报" in html


def test_unknown_tab_is_404(owner, filing):
    assert owner.get(edit_url(filing, "nope")).status_code == 404


# --- 基本信息 (F4) -------------------------------------------------------------------------------------------


def test_F4_basic_tab_lists_the_22_industries_and_the_unit_snapshot(owner, filing):
    html = owner.get(edit_url(filing, "basic")).content.decode()
    for label in Industry.labels:
        assert f"{label}</label>" in html
    assert len(Industry.choices) == 22
    assert "示例科技大学" in html and "数据同步" in html
    for label in (
        "平台名称",
        "合作类别",
        "主要合作国别",
        "第二关键国别",
        "其他国别",
        "所属产业领域",
        "平台地址",
    ):
        assert label in html


def test_F4_basic_save_keeps_the_fields_and_bumps_the_version(owner, filing):
    response = owner.post(edit_url(filing, "basic"), basic_payload(filing, industries=["food", "digital"]))
    assert response.status_code == 302
    saved = fresh(filing)
    assert saved.name == "寒地新材料国际联合实验室"
    assert saved.cooperation_category.name == "国际联合实验室"
    assert saved.industries == ["digital", "food"]  # kept in the manual's order
    assert str(saved.founded_on) == "2020-05-01"
    assert saved.version == filing.version + 1


def test_F2_save_does_not_require_completeness(owner, filing):
    payload = {"version": filing.version, "name": "", "industries": []}
    assert owner.post(edit_url(filing, "basic"), payload).status_code == 302
    assert fresh(filing).industries == []


def test_F4_country_choices_are_only_the_partner_countries_in_chinese(owner, filing):
    add_partner(filing, "DE")
    add_partner(filing, "JP", "日本某大学")
    html = owner.get(edit_url(filing, "basic")).content.decode()
    assert '<option value="DE">德国</option>' in html
    assert '<option value="JP">日本</option>' in html
    assert 'value="US"' not in html


def test_F4_countries_saved_when_they_come_from_partners(owner, filing):
    for code in ("DE", "JP", "US", "FR"):
        add_partner(filing, code, f"{code}伙伴")
    payload = basic_payload(filing, main_country="DE", second_country="JP", other_countries=["US", "FR"])
    assert owner.post(edit_url(filing, "basic"), payload).status_code == 302
    saved = fresh(filing)
    assert (saved.main_country.code, saved.second_country.code) == ("DE", "JP")
    assert sorted(c.code for c in saved.other_countries) == ["FR", "US"]


@pytest.mark.parametrize(
    ("countries", "field", "message"),
    [
        ({"main_country": "US"}, "main_country", "选择一个有效的选项"),
        ({"main_country": "DE", "other_countries": ["CN"]}, "other_countries", "选择一个有效的选项"),
        ({"main_country": "DE", "second_country": "DE"}, "second_country", "不能与“主要合作国别”相同"),
        (
            {"main_country": "DE", "second_country": "JP", "other_countries": ["JP"]},
            "other_countries",
            "不能包含",
        ),
    ],
)
def test_F4_forged_country_posts_are_refused_and_nothing_is_saved(owner, filing, countries, field, message):
    add_partner(filing, "DE")
    add_partner(filing, "JP", "日本某大学")
    response = owner.post(edit_url(filing, "basic"), basic_payload(filing, **countries))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    saved = fresh(filing)
    assert (saved.name, saved.main_country, saved.version) == ("", "", filing.version)


def test_F4_invalid_industry_and_bad_values_are_field_errors(owner, filing):
    payload = basic_payload(
        filing, industries=["materials", "casino"], founded_on="2099-01-01", contact_phone="abc"
    )
    response = owner.post(edit_url(filing, "basic"), payload)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"industries", "founded_on", "contact_phone"}
    assert "日期不能晚于今天" in response.content.decode()
    assert fresh(filing).version == filing.version


def test_F4_inactive_category_is_not_offered(owner, filing):
    from kechuang.filings.models import CooperationCategory

    hidden = CooperationCategory.objects.create(name="已停用类别", active=False)
    assert "已停用类别" not in owner.get(edit_url(filing, "basic")).content.decode()
    response = owner.post(edit_url(filing, "basic"), basic_payload(filing, cooperation_category=hidden.pk))
    assert response.status_code == 400


def test_Q2_missing_or_bad_version_is_400(owner, filing):
    payload = basic_payload(filing)
    payload["version"] = "abc"
    assert owner.post(edit_url(filing, "basic"), payload).status_code == 400
    del payload["version"]
    assert owner.post(edit_url(filing, "basic"), payload).status_code == 400
    assert fresh(filing).name == ""


def test_Q2_stale_save_from_a_second_tab_is_409_and_the_first_save_is_kept(owner, filing):
    first = basic_payload(filing, name="第一个窗口的名称")
    second = basic_payload(filing, name="第二个窗口的名称")  # same version: loaded at the same time
    assert owner.post(edit_url(filing, "basic"), first).status_code == 302
    response = owner.post(edit_url(filing, "basic"), second)
    assert response.status_code == 409
    assert "该平台备案已在其他窗口或由其他人修改，请刷新页面后重新填写。" in response.content.decode()
    assert "第二个窗口的名称" in response.content.decode()  # the user's input is shown again, not lost
    saved = fresh(filing)
    assert saved.name == "第一个窗口的名称"
    assert saved.version == filing.version + 1


def test_Q2_a_part_change_bumps_the_version_so_an_older_page_conflicts(owner, filing):
    add = {"version": filing.version, **partner_payload()}
    assert owner.post(part_url(filing, "partners"), add).status_code == 302
    response = owner.post(edit_url(filing, "content"), {"version": filing.version, "conditions": "x"})
    assert response.status_code == 409
    assert fresh(filing).conditions == ""


# --- 平台人员 (F5, S3) --------------------------------------------------------------------------------------


def member_payload(**overrides):
    data = {
        "members-name": "王小明",
        "members-gender": "male",
        "members-birth_month": "1990-07",
        "members-title": "intermediate",
        "members-education": "doctor",
        "members-major": "材料科学",
        "members-task": "实验研究",
    }
    data.update(overrides)
    return data


def part_url(filing, part, item=None, action="add"):
    if item is None:
        return reverse("filings:part_add", kwargs={"public_id": filing.public_id, "part": part})
    return reverse(
        f"filings:part_{action}",
        kwargs={"public_id": filing.public_id, "part": part, "item_id": item.public_id},
    )


def test_F5_members_tab_shows_the_owner_snapshot_profile_link_and_S3_note(owner, filing, demo):
    html = owner.get(edit_url(filing, "members")).content.decode()
    for label in (
        "姓名",
        "性别",
        "职务",
        "研究方向",
        "手机",
        "证件类型",
        "证件号码",
        "出生日期",
        "职称",
        "学历",
        "电子邮箱",
    ):
        assert f"<dt>{label}</dt>" in html
    assert "张三" in html and "副高级" in html and "身份证" in html and demo.zhangsan.id_number in html
    assert f'href="{reverse("accounts:profile")}"' in html and ">个人信息</a>" in html
    assert reverse("filings:mine") in html and "删除" in html and "实际负责人" in html
    assert reverse("filings:sync_owner", kwargs={"public_id": filing.public_id}) in html


def test_F5_add_edit_delete_a_member(owner, filing):
    response = owner.post(part_url(filing, "members"), {"version": filing.version, **member_payload()})
    assert response.status_code == 302
    member = Member.objects.get(filing=filing)
    assert (member.name, str(member.birth_month)) == ("王小明", "1990-07-01")
    filing.refresh_from_db()
    edit = part_url(filing, "members", member, "edit")
    assert owner.get(edit).status_code == 200
    response = owner.post(edit, {"version": filing.version, **member_payload(**{"members-task": "负责测试"})})
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).task == "负责测试"
    filing.refresh_from_db()
    delete = part_url(filing, "members", member, "delete")
    confirm = owner.get(delete)
    assert confirm.status_code == 200 and "确定要删除平台人员“王小明”吗" in confirm.content.decode()
    assert Member.objects.filter(pk=member.pk).exists()
    assert owner.post(delete, {"version": filing.version}).status_code == 302
    assert not Member.objects.filter(pk=member.pk).exists()


def test_F5_bad_member_input_is_400_with_field_errors(owner, filing):
    payload = member_payload(
        **{"members-name": "", "members-title": "boss", "members-birth_month": "2999-01"}
    )
    response = owner.post(part_url(filing, "members"), {"version": filing.version, **payload})
    assert response.status_code == 400
    assert set(response.context["member_form"].errors) == {"name", "title", "birth_month"}
    assert not Member.objects.exists()


# --- 合作情况(近二年) (F6) -----------------------------------------------------------------------------------


def partner_payload(**overrides):
    data = {
        "partners-country": "DE",
        "partners-name_zh": "德国某大学",
        "partners-name_original": "Universität Beispiel",
        "partners-partner_type": "university",
        "partners-started_on": "2024-03-01",
        "partners-content": "联合研究寒地材料",
    }
    data.update(overrides)
    return data


def test_F6_partner_country_list_is_chinese_and_excludes_china(owner, filing):
    html = owner.get(edit_url(filing, "cooperation")).content.decode()
    assert '<option value="DE">德国</option>' in html
    assert '<option value="CN">' not in html
    assert '<option value="TW">中国台湾</option>' in html


def test_an_english_language_browser_gets_the_english_page_and_country_names(owner, filing):
    """With the English catalogue (issue 12 item 7) the browser's language is honoured, lang="en" is true, and
    the 国别 list is CLDR's English names; Chinese stays the default for everyone else."""
    html = owner.get(edit_url(filing, "cooperation"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in html
    assert '<option value="DE">Germany</option>' in html
    assert "德国" not in html and "海外合作伙伴列表" not in html
    chinese = owner.get(edit_url(filing, "cooperation")).content.decode()
    assert '<html lang="zh-Hans">' in chinese and '<option value="DE">德国</option>' in chinese


def test_F6_partner_edit_form_shows_its_country_selected_under_its_label(owner, filing):
    """The 国别 <select> is written in Python (LongSelect): still labelled, the saved country selected."""
    french = add_partner(filing, "FR")
    html = owner.get(part_url(filing, "partners", french, "edit")).content.decode()
    select = re.search(
        r'<label for="(?P<id>[^"]+)">国别.*?<select name="[^"]*country"(?P<attrs>[^>]*)>(?P<options>.*?)</select>',
        html,
        re.S,
    )
    assert f'id="{select["id"]}"' in select["attrs"]
    assert select["options"].count(" selected>") == 1
    assert '<option value="FR" selected>法国</option>' in select["options"]


def test_F6_add_partner_and_bad_partner_input(owner, filing):
    assert (
        owner.post(part_url(filing, "partners"), {"version": filing.version, **partner_payload()}).status_code
        == 302
    )
    assert OverseasPartner.objects.get(filing=filing).country.name == "德国"
    filing.refresh_from_db()
    bad = partner_payload(
        **{"partners-country": "XX", "partners-name_zh": "", "partners-started_on": "2099-01-01"}
    )
    response = owner.post(part_url(filing, "partners"), {"version": filing.version, **bad})
    assert response.status_code == 400
    assert set(response.context["partners_form"].errors) == {"country", "name_zh", "started_on"}
    assert OverseasPartner.objects.count() == 1


def test_F6_deleting_the_only_partner_of_a_chosen_country_is_refused(owner, filing):
    german = add_partner(filing, "DE")
    Filing.objects.filter(pk=filing.pk).update(main_country="DE")
    filing.refresh_from_db()
    delete = part_url(filing, "partners", german, "delete")
    confirm = owner.get(delete).content.decode()
    assert "已在“基本信息”中被选为“主要合作国别”" in confirm and "确定删除" not in confirm
    response = owner.post(delete, {"version": filing.version})
    assert response.status_code == 400
    assert "已在“基本信息”中被选为“主要合作国别”" in response.content.decode()
    assert OverseasPartner.objects.filter(pk=german.pk).exists()
    assert fresh(filing).version == filing.version


def test_F6_editing_away_the_country_of_a_chosen_partner_is_refused(owner, filing):
    german = add_partner(filing, "DE")
    Filing.objects.filter(pk=filing.pk).update(other_countries=["DE"])
    filing.refresh_from_db()
    edit = part_url(filing, "partners", german, "edit")
    response = owner.post(edit, {"version": filing.version, **partner_payload(**{"partners-country": "FR"})})
    assert response.status_code == 400
    assert "“其他国别”" in str(response.context["form"].errors["country"])
    assert OverseasPartner.objects.get(pk=german.pk).country.code == "DE"


def test_F6_a_chosen_country_partner_may_go_when_another_partner_has_that_country(owner, filing):
    first = add_partner(filing, "DE")
    add_partner(filing, "DE", "德国另一研究所")
    Filing.objects.filter(pk=filing.pk).update(main_country="DE")
    filing.refresh_from_db()
    assert (
        owner.post(part_url(filing, "partners", first, "delete"), {"version": filing.version}).status_code
        == 302
    )
    assert OverseasPartner.objects.filter(filing=filing).count() == 1


def test_F6_unchosen_partner_deletes(owner, filing):
    partner = add_partner(filing, "FR")
    assert (
        owner.post(part_url(filing, "partners", partner, "delete"), {"version": filing.version}).status_code
        == 302
    )
    assert not OverseasPartner.objects.exists()


def test_F6_projects_results_and_counts(owner, filing):
    project = {
        "version": filing.version,
        "projects-name": "寒地复合材料联合研发",
        "projects-partner": "德国某大学",
        "projects-started_on": "2024-01-01",
        "projects-ended_on": "2025-12-31",
        "projects-funding": "120.50",
    }
    assert owner.post(part_url(filing, "projects"), project).status_code == 302
    filing.refresh_from_db()
    result = {
        "version": filing.version,
        "results-title": "联合论文",
        "results-kind": "论文",
        "results-published_on": "2024-06-01",
    }
    assert owner.post(part_url(filing, "results"), result).status_code == 302
    filing.refresh_from_db()
    counts = {"version": filing.version, "exchange_visits": "12", "joint_training": "3"}
    assert owner.post(edit_url(filing, "cooperation"), counts).status_code == 302
    saved = fresh(filing)
    assert (saved.exchange_visits, saved.joint_training) == (12, 3)
    assert saved.joint_projects.get().funding == 120.5
    assert saved.joint_results.get().kind == "论文"
    html = owner.get(edit_url(filing, "cooperation")).content.decode()
    assert "寒地复合材料联合研发" in html and "联合论文" in html


def test_F6_bad_project_dates_and_negative_counts_are_400(owner, filing):
    project = {
        "version": filing.version,
        "projects-name": "项目",
        "projects-partner": "伙伴",
        "projects-started_on": "2024-01-01",
        "projects-ended_on": "2023-01-01",
        "projects-funding": "-1",
    }
    response = owner.post(part_url(filing, "projects"), project)
    assert response.status_code == 400
    assert set(response.context["projects_form"].errors) == {"ended_on", "funding"}
    response = owner.post(
        edit_url(filing, "cooperation"), {"version": filing.version, "exchange_visits": "-3"}
    )
    assert response.status_code == 400
    assert fresh(filing).exchange_visits is None


# --- 内容说明 (F7) -------------------------------------------------------------------------------------------


def test_F7_content_saves_and_shows_the_character_count(owner, filing):
    payload = {"version": filing.version, "basic_situation": "平台\r\n情况", "cooperation_basis": "基础"}
    assert owner.post(edit_url(filing, "content"), payload).status_code == 302
    saved = fresh(filing)
    assert saved.basic_situation == "平台\n情况"
    html = owner.get(edit_url(filing, "content")).content.decode()
    assert f'maxlength="{CONTENT_MAX_LENGTH}"' in html
    assert '已输入 <span class="char-count-n">5</span> / 3000 字' in html
    assert '已输入 <span class="char-count-n">0</span> / 3000 字' in html


def test_F7_content_over_the_limit_is_a_400_field_error(owner, filing):
    payload = {"version": filing.version, "goals_and_tasks": "字" * (CONTENT_MAX_LENGTH + 1)}
    response = owner.post(edit_url(filing, "content"), payload)
    assert response.status_code == 400
    assert "3000" in str(response.context["form"].errors["goals_and_tasks"])
    assert fresh(filing).goals_and_tasks == ""
    exact = {"version": filing.version, "goals_and_tasks": "字" * CONTENT_MAX_LENGTH}
    assert owner.post(edit_url(filing, "content"), exact).status_code == 302


def test_F2_save_on_a_tab_without_fields_is_a_harmless_confirmation(owner, filing):
    response = owner.post(edit_url(filing, "attachments"), {"version": filing.version}, follow=True)
    assert response.status_code == 200
    assert "保存成功" in response.content.decode()
    assert fresh(filing).version == filing.version


# --- after 上报: read-only (F9) --------------------------------------------------------------------------------


def test_F9_submitted_filing_is_read_only(owner, filing):
    Filing.objects.filter(pk=filing.pk).update(status=Status.IN_REVIEW)
    response = owner.get(edit_url(filing, "basic"))
    assert response.status_code == 302
    assert response["Location"] == reverse("filings:view", kwargs={"public_id": filing.public_id})
    response = owner.post(edit_url(filing, "basic"), basic_payload(filing, name="改了"))
    assert response.status_code == 403
    assert "已上报" in response.content.decode()
    response = owner.post(part_url(filing, "partners"), {"version": filing.version, **partner_payload()})
    assert response.status_code == 403
    assert fresh(filing).name == "" and not OverseasPartner.objects.exists()


def test_F9_returned_filing_is_editable_again(owner, filing):
    Filing.objects.filter(pk=filing.pk).update(status=Status.RETURNED)
    assert owner.get(edit_url(filing, "basic")).status_code == 200
    assert owner.post(edit_url(filing, "basic"), basic_payload(filing, name="退回后修改")).status_code == 302
    assert fresh(filing).name == "退回后修改"
