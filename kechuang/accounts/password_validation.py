"""Password rules for 等保2.0 身份鉴别: "口令具有复杂度要求并定期更换".

Length ≥ 8, at least three of the four character classes (upper case, lower case, digits, symbols), and the
password must not contain the account name. Registered in AUTH_PASSWORD_VALIDATORS, so every form that sets a
password (registration, password change, password reset, the admin site) applies it.
"""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def character_classes(password):
    """How many of the four classes the password uses; anything but an ASCII letter or digit is a symbol."""
    return sum(
        [
            any(c in string.ascii_uppercase for c in password),
            any(c in string.ascii_lowercase for c in password),
            any(c in string.digits for c in password),
            any(c not in string.ascii_letters + string.digits for c in password),
        ]
    )


class ComplexityValidator:
    def __init__(self, min_length=8, min_classes=3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    ngettext(
                        "密码长度至少为 %(min_length)d 个字符。",
                        "密码长度至少为 %(min_length)d 个字符。",
                        self.min_length,
                    ),
                    code="password_too_short",
                    params={"min_length": self.min_length},
                )
            )
        if character_classes(password) < self.min_classes:
            errors.append(
                ValidationError(
                    _("密码须至少包含大写字母、小写字母、数字、特殊符号中的 %(min_classes)d 类。"),
                    code="password_too_simple",
                    params={"min_classes": self.min_classes},
                )
            )
        username = (user.get_username() if user is not None else "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            errors.append(ValidationError(_("密码不能包含账号名。"), code="password_contains_username"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _(
            "密码长度至少为 %(min_length)d 个字符，须至少包含大写字母、小写字母、数字、特殊符号中的 "
            "%(min_classes)d 类，且不能包含账号名。"
        ) % {"min_length": self.min_length, "min_classes": self.min_classes}
