"""Small builders for the 单位管理 tests (valid GB 32100 codes, a third unit)."""

from kechuang.accounts.models import Department, Region, Unit
from kechuang.accounts.validators import credit_check_char


def credit_code(first17):
    """A valid 统一社会信用代码 from its first 17 characters."""
    return first17 + credit_check_char(first17)


NEW_CODE = credit_code("12230000MB7654321")
OTHER_CODE = credit_code("91230100MA1XYW001")


def registration(name="示例理工大学", code=NEW_CODE, unit_type=Unit.Type.UNIVERSITY):
    return {"name": name, "credit_code": code, "unit_type": unit_type}


def contacts(**overrides):
    data = {
        "contact_name": "孙老师",
        "contact_phone": "0451-86400099",
        "contact_email": "kjc@example.edu.cn",
        "address": "哈尔滨市南岗区示例路99号",
        "postcode": "150001",
    }
    data.update(overrides)
    return data


def make_unit(name="第三测试单位", code=OTHER_CODE):
    return Unit.objects.create(
        name=name,
        credit_code=code,
        unit_type=Unit.Type.ENTERPRISE,
        region=Region.HARBIN,
        department=Department.objects.get(name="哈尔滨市科学技术局"),
    )
