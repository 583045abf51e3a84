"""The applicant's whole path in the browser, as the manual describes it (F1–F11, S1, S2):
在线办理 → 在线申报 → every tab filled by its label → 保存 → 附件 → 预览 → 上报 → 所有平台 shows 平台：申报单位审核."""

import re

from playwright.sync_api import expect

from tests.factories import pdf_bytes

from .helpers import assert_accessible, login


def open_tab(page, label):
    page.get_by_role("navigation", name="填报页面").get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", level=2, name=label)).to_be_visible()


def save(page):
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("保存成功。")).to_be_visible()


def add_partner(page, country, name_zh, name_original):
    page.get_by_label("国别").select_option(label=country)
    page.get_by_label("合作伙伴名称（中文）").fill(name_zh)
    page.get_by_label("合作伙伴名称（原文）").fill(name_original)
    page.get_by_label("合作伙伴类型").select_option(label="大学")
    page.get_by_label("合作起始时间").fill("2024-03-01")
    page.get_by_label("合作内容").fill("寒地材料联合研究与人员互访")
    page.get_by_role("button", name="添加海外合作伙伴").click()
    expect(page.get_by_text("已添加海外合作伙伴。")).to_be_visible()


def test_F1_to_F9_zhangsan_files_a_platform_in_the_browser(page, live_server, demo, tmp_path):
    login(page, live_server, "zhangsan")

    # 科技创新平台 → 在线办理 → 在线申报 (F1)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="科技创新平台").click()
    page.locator("li.business", has_text="省国际科技合作平台备案").get_by_role(
        "link", name="在线办理"
    ).click()
    expect(page.get_by_text("申报期：")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="在线申报").click()

    # 填写说明 (F3)
    expect(page.get_by_role("heading", level=2, name="填写说明")).to_be_visible()
    expect(page.get_by_role("link", name="填写说明", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("1.首先添加合作情况(近两年)、海外合作伙伴列表“国别”后")).to_be_visible()
    assert_accessible(page)

    # 合作情况(近二年) first, as the instructions say (F6)
    open_tab(page, "合作情况(近二年)")
    add_partner(page, "德国", "德国某工业大学", "Technische Universität Beispiel")
    add_partner(page, "美国", "美国某研究所", "Example Institute of Technology")
    page.get_by_label("项目名称").fill("寒地复合材料联合研发")
    page.get_by_label("合作方").fill("德国某工业大学")
    page.get_by_label(re.compile("^起始时间")).fill("2024-01-01")
    page.get_by_role("button", name="添加联合项目").click()
    expect(page.get_by_role("cell", name="寒地复合材料联合研发")).to_be_visible()
    page.get_by_label("人员交流互访（人次）").fill("12")
    page.get_by_label("联合培养人才（人数）").fill("4")
    save(page)
    assert_accessible(page)

    # 基本信息 (F4, S1)
    open_tab(page, "基本信息")
    page.get_by_role("button", name="数据同步").click()
    expect(page.get_by_text("同步成功")).to_be_visible()
    page.get_by_label("平台名称").fill("寒地新材料国际联合实验室")
    page.get_by_label("合作类别").select_option(label="国际联合实验室")
    main = page.get_by_label("主要合作国别")
    expect(main.locator("option")).to_have_text(["...请选择...", "德国", "美国"])
    main.select_option(label="德国")
    page.get_by_label("第二关键国别").select_option(label="美国")
    page.get_by_label("新材料", exact=True).check()
    page.get_by_label("高端装备", exact=True).check()
    page.get_by_label("平台地址").fill("哈尔滨市南岗区示例路1号")
    page.get_by_label("成立时间").fill("2020-05-01")
    page.get_by_label("平台联系人").fill("赵老师")
    page.get_by_label("联系电话").fill("0451-86400001")
    save(page)
    expect(page.get_by_label("主要合作国别")).to_have_value("DE")
    assert_accessible(page)

    # 平台人员 (F5, S2)
    open_tab(page, "平台人员")
    expect(page.locator(".owner")).to_contain_text("张三")
    expect(page.get_by_role("link", name="个人信息", exact=True).last).to_be_visible()
    page.locator(".owner").get_by_role("button", name="数据同步").click()
    expect(page.get_by_text("同步成功")).to_be_visible()
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("性别").select_option(label="男")
    page.get_by_label("出生年月").fill("1990-07")
    page.get_by_label("职称").select_option(label="中级")
    page.get_by_label("学历").select_option(label="博士研究生")
    page.get_by_label("专业/研究方向").fill("材料科学")
    page.get_by_label("在平台中承担的任务").fill("低温性能测试")
    page.get_by_role("button", name="添加平台人员").click()
    expect(page.get_by_role("rowheader", name="王小明")).to_be_visible()
    assert_accessible(page)

    # 内容说明 (F7): live count; leaving with unsaved input warns first (F2)
    open_tab(page, "内容说明")
    page.get_by_label("平台基本情况").fill("平台面向寒地新材料开展国际合作。")
    expect(page.get_by_text("已输入 16 / 3000 字")).to_be_visible()
    warnings = []
    page.once("dialog", lambda dialog: (warnings.append(dialog.message), dialog.dismiss()))
    page.get_by_role("link", name="附件", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="内容说明")).to_be_visible()
    assert warnings and "有未保存的修改" in warnings[0]
    page.get_by_label("国际合作基础").fill("与德国、美国高校合作多年。")
    page.get_by_label("合作目标与任务").fill("联合研发寒地复合材料。")
    page.get_by_label("条件保障").fill("实验室面积两千平方米。")
    save(page)
    expect(page.get_by_label("平台基本情况")).to_have_value("平台面向寒地新材料开展国际合作。")
    assert_accessible(page)

    # 附件 (F8): three real PDF files, each confirmed by 提示
    open_tab(page, "附件")
    assert_accessible(page)
    for kind in (1, 2, 3):
        path = tmp_path / f"附件{kind}.pdf"
        path.write_bytes(pdf_bytes(pages=kind))
        section = page.locator(f"#kind-{kind}")
        section.get_by_label("选择PDF文件").set_input_files(str(path))
        section.get_by_role("button", name="添加附件").click()
        expect(page.get_by_text("提示：附件上传成功。")).to_be_visible()
        expect(page.locator(f"#kind-{kind} .attachment-meta")).to_have_text(
            re.compile(r"^pdf [\d.]+KB \| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        )
    expect(page.locator("#kind-1").get_by_role("link", name="下载")).to_be_visible()
    assert_accessible(page)

    # 预览 (F11)
    page.get_by_role("link", name="预览").click()
    expect(page.get_by_role("heading", level=2, name="基本信息")).to_be_visible()
    expect(page.locator(".filing-detail")).to_contain_text("新材料、高端装备")
    expect(page.get_by_text("导航栏")).to_be_visible()
    expect(page.get_by_role("link", name="返回顶部")).to_be_visible()
    assert_accessible(page)

    # 上报 (F9) → 我的平台 所有平台 (F10, F13)
    page.get_by_role("button", name="上报").click()
    expect(page.get_by_text("上报成功")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("寒地新材料国际联合实验室"))
    expect(row).to_contain_text("平台：申报单位审核")
    expect(row).to_contain_text("示例科技大学")
    expect(page.get_by_role("link", name=re.compile("^所有平台")).first).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)


def test_F9_incomplete_submission_lists_the_gaps_in_the_browser(page, live_server, demo):
    login(page, live_server, "zhangsan")
    page.goto(live_server.url + f"/business/{demo.business.public_id}/")
    page.get_by_role("button", name="在线申报").click()
    page.get_by_role("button", name="上报").click()
    expect(page.get_by_text("平台备案尚未填写完整，不能上报。")).to_be_visible()
    page.get_by_role("link", name="基本信息").first.click()
    expect(page.get_by_role("heading", level=2, name="基本信息")).to_be_visible()
