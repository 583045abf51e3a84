"""Valid identity numbers and form data for the registration tests."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.accounts.models import Department
from kechuang.accounts.validators import credit_check_char, id_check_char
from tests.factories import PDF

PASSWORD = "Reg@2026pass"


def credit_code(seq):
    first17 = f"91230100MA{seq:07d}"
    return first17 + credit_check_char(first17)


def id_number(birth=datetime.date(1990, 6, 15), seq="12", sex_digit=3, area="230102"):
    first17 = f"{area}{birth:%Y%m%d}{seq}{sex_digit}"
    return first17 + id_check_char(first17)


def certificate(content=PDF, name="营业执照.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def unit_data(seq=1, **overrides):
    data = {
        "name": f"示例新材料有限公司{seq}",
        "credit_code": credit_code(seq),
        "unit_type": "enterprise",
        "region": "harbin",
        "department": Department.objects.get(name="哈尔滨市科学技术局").pk,
        "contact_name": "赵经理",
        "contact_phone": "0451-86400001",
        "email": f"unit{seq}@example.com",
        "username": f"newunit{seq}",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def person_data(chosen, seq="12", **overrides):
    data = {
        "name": "钱七",
        "id_type": "id_card",
        "id_number": id_number(seq=seq),
        "gender": "",
        "birth_date": "",
        "mobile": "13900000077",
        "email": f"person{seq}@example.com",
        "unit_query": chosen.name[:4],
        "unit": str(chosen.public_id),
        "username": f"person{seq}",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy": "on",
        "action": "register",
    }
    data.update(overrides)
    return data
