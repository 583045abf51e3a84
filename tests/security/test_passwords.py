"""等保2.0 身份鉴别 — 口令复杂度: the validator and its registration in AUTH_PASSWORD_VALIDATORS (A3)."""

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError

from kechuang.accounts.models import User
from kechuang.accounts.password_validation import ComplexityValidator, character_classes


def messages_for(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abcdefgh", 1), ("abcd1234", 2), ("Abcd1234", 3), ("Abcd123!", 4), ("密码Abcd12", 4), ("ABCD!@#$", 2)],
)
def test_character_classes_counts_upper_lower_digit_symbol(password, classes):
    assert character_classes(password) == classes


@pytest.mark.django_db
def test_demo_password_passes_every_registered_validator():
    user = User(username="zhangsan", name="张三")
    assert messages_for("Demo@2026", user) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "密码长度至少为 8 个字符。"),
        ("abcdefgh12", "密码须至少包含大写字母、小写字母、数字、特殊符号中的 3 类。"),
        ("ABCDEFGH!!", "密码须至少包含大写字母、小写字母、数字、特殊符号中的 3 类。"),
        ("Zhangsan@2026", "密码不能包含账号名。"),
        ("xxZHANGSANxx1", "密码不能包含账号名。"),
    ],
)
def test_weak_passwords_are_refused_with_chinese_messages(password, message):
    user = User(username="zhangsan", name="张三")
    assert message in messages_for(password, user)


def test_short_account_names_do_not_forbid_common_substrings():
    """A two-letter account name would forbid too much; the rule applies from three characters."""
    ComplexityValidator().validate("Ab12cd!x", User(username="ab"))


def test_help_text_is_chinese_and_names_the_rules():
    text = " ".join(password_validators_help_texts())
    assert "至少为 8 个字符" in text
    assert "大写字母、小写字母、数字、特殊符号中的 3 类" in text
    assert "不能包含账号名" in text


@pytest.mark.django_db
def test_password_change_form_applies_the_rules(client, demo):
    """The 修改密码 page (accounts:password_change) refuses a weak password with 400 and keeps the old one."""
    from django.urls import reverse

    client.force_login(demo.zhangsan)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Demo@2026", "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert response.status_code == 400
    assert "密码须至少包含大写字母、小写字母、数字、特殊符号中的 3 类。" in response.content.decode()
    demo.zhangsan.refresh_from_db()
    assert demo.zhangsan.check_password("Demo@2026")
