"""Check characters of 身份证 (GB 11643) and 统一社会信用代码 (GB 32100) — U2, A3 (unit registration)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from kechuang.accounts.validators import (
    validate_credit_code,
    validate_id_number,
    validate_identity,
    validate_mobile,
)


def error_code(validator, value):
    with pytest.raises(ValidationError) as info:
        validator(value)
    return info.value.code


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the standard's own example: check character X
        "11010519491231002x",  # lower-case x is the same number
        "440524188001010014",
    ],
)
def test_u2_valid_id_numbers_pass(number):
    validate_id_number(number)


def test_u2_id_number_with_wrong_check_character_is_refused():
    assert error_code(validate_id_number, "110105194912310021") == "checksum"
    assert error_code(validate_id_number, "440524188001010015") == "checksum"


def test_u2_x_is_only_accepted_where_the_checksum_yields_x():
    assert error_code(validate_id_number, "44052418800101001X") == "checksum"


@pytest.mark.parametrize("number", ["11010519490230002X", "110105194913010028", "110105000001010027"])
def test_u2_impossible_birth_date_in_id_number_is_refused(number):
    assert error_code(validate_id_number, number) == "birth_date"


@pytest.mark.parametrize("number", ["1101051949123100", "11010519491231002Y", "A1010519491231002X", ""])
def test_u2_malformed_id_numbers_are_refused(number):
    assert error_code(validate_id_number, number) == "format"


def test_u2_identity_must_agree_with_birth_date():
    validate_identity("id_card", "11010519491231002X", datetime.date(1949, 12, 31))
    with pytest.raises(ValidationError) as info:
        validate_identity("id_card", "11010519491231002X", datetime.date(1949, 12, 30))
    assert info.value.message_dict == {"birth_date": ["出生日期与身份证号码不一致。"]}


def test_u2_identity_errors_are_keyed_to_the_id_number_field():
    with pytest.raises(ValidationError) as info:
        validate_identity("id_card", "110105194912310021", None)
    assert info.value.message_dict == {"id_number": ["身份证号码校验位不正确，请核对。"]}


def test_u2_passport_numbers_are_not_checked_as_id_cards():
    validate_identity("passport", "E12345678", datetime.date(1980, 1, 1))


@pytest.mark.parametrize("code", ["91350100M000100Y43", "911100007109288314", "91350100m000100y43"])
def test_valid_credit_codes_pass(code):
    validate_credit_code(code)


@pytest.mark.parametrize("code", ["91350100M000100Y44", "911100007109288315"])
def test_credit_code_with_wrong_check_character_is_refused(code):
    assert error_code(validate_credit_code, code) == "checksum"


@pytest.mark.parametrize(
    "code", ["91350100M000100Y4", "91350100M000100I43", "91350100M000100O43", "91350100M0001-0Y43"]
)
def test_malformed_credit_codes_are_refused(code):
    assert error_code(validate_credit_code, code) == "format"


@pytest.mark.parametrize(
    "mobile", ["1380000000", "23800000001", "12800000001", "138000000012", "1380000000a"]
)
def test_bad_mobile_numbers_are_refused(mobile):
    assert error_code(validate_mobile, mobile) == "mobile"


def test_good_mobile_number_passes():
    validate_mobile("13800000001")
