def test_demo_data_is_idempotent(demo):
    from django.core.management import call_command

    from kechuang.accounts.models import User
    from kechuang.workflow.models import Stage

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.count() == 11  # the 9 of the README and the 安全管理员 and 审计管理员
    assert list(Stage.objects.filter(business=demo.business).values_list("name", flat=True)) == [
        "申报单位审核",
        "主管部门审核",
        "省科技厅审核",
    ]
    assert demo.zhangsan.check_password("Demo@2026")
    assert demo.zhangsan.unit.name == "示例科技大学"
