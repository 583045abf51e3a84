"""Check-character validators for Chinese identity numbers.

- 公民身份号码 (GB 11643-1999): 17 digits + a check character (0-9 or X), ISO 7064 MOD 11-2.
- 统一社会信用代码 (GB 32100-2015): 17 characters + a check character, MOD 31 over a 31-symbol alphabet.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_char(first17):
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_birth_date(number):
    """The birth date encoded in an 18-digit 身份证 number, or None if it is not a real date."""
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_id_number(value):
    number = value.upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(_("身份证号码应为18位，前17位为数字，最后一位为数字或X。"), code="format")
    if id_birth_date(number) is None:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="birth_date")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对。"), code="checksum")


def credit_check_char(first17):
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value):
    code = value.upper()
    if len(code) != 18 or any(c not in CREDIT_ALPHABET for c in code):
        raise ValidationError(
            _("统一社会信用代码应为18位，由数字和大写字母组成（不含I、O、Z、S、V）。"), code="format"
        )
    if credit_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对。"), code="checksum")


def validate_mobile(value):
    if not MOBILE_RE.match(value):
        raise ValidationError(_("请输入11位手机号码。"), code="mobile")


def validate_identity(id_type, id_number, birth_date):
    """身份证 numbers must pass GB 11643 and agree with 出生日期. Raises field-keyed errors."""
    if id_type != "id_card" or not id_number:
        return
    try:
        validate_id_number(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    if birth_date and id_birth_date(id_number.upper()) != birth_date:
        raise ValidationError({"birth_date": _("出生日期与身份证号码不一致。")})
