"""Create the first 系统管理员, 安全管理员 and 审计管理员 of a new installation (README, 生产环境部署).

    manage.py bootstrap_admins --system-admin sysadmin --security-admin secadmin --audit-admin auditadmin

Passwords are asked for interactively (typed twice, never echoed) or, with ``--noinput``, read from the
environment variables ``BOOTSTRAP_SYSTEM_ADMIN_PASSWORD``, ``BOOTSTRAP_SECURITY_ADMIN_PASSWORD`` and
``BOOTSTRAP_AUDIT_ADMIN_PASSWORD`` (never from the command line, which other users can see in the process list).
Every password passes AUTH_PASSWORD_VALIDATORS. A password that came from the environment was known to whoever
set it, so its owner must change it at the first login. Each administrator binds an authenticator app (TOTP) at
the first login. A role that already has an active administrator is left alone, so running the command again
changes nothing; an existing account name of another role is refused.
"""

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kechuang.accounts.models import Role, User
from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record

ROLES = (
    ("system_admin", Role.SYSTEM_ADMIN, "BOOTSTRAP_SYSTEM_ADMIN_PASSWORD"),
    ("security_admin", Role.SECURITY_ADMIN, "BOOTSTRAP_SECURITY_ADMIN_PASSWORD"),
    ("audit_admin", Role.AUDIT_ADMIN, "BOOTSTRAP_AUDIT_ADMIN_PASSWORD"),
)


class Command(BaseCommand):
    help = "Create the first system, security and audit administrators (三员). Idempotent per role."

    def add_arguments(self, parser):
        parser.add_argument("--system-admin", default="sysadmin", help="系统管理员的账号 (default sysadmin)")
        parser.add_argument(
            "--security-admin", default="secadmin", help="安全管理员的账号 (default secadmin)"
        )
        parser.add_argument(
            "--audit-admin", default="auditadmin", help="审计管理员的账号 (default auditadmin)"
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Read the passwords from BOOTSTRAP_*_PASSWORD instead of asking.",
        )

    def handle(self, *args, **options):
        plan = []
        usernames = [options[option] for option, _role, _env in ROLES]
        if len(set(usernames)) != len(usernames):
            raise CommandError("三个管理员必须使用三个不同的账号（三员分立）。")
        for option, role, env in ROLES:
            username = options[option].strip()
            if not username:
                raise CommandError(f"--{option.replace('_', '-')} 不能为空。")
            if User.objects.filter(role=role, is_active=True).exists():
                self.stdout.write(f"{role.label}已存在，跳过。")
                continue
            existing = User.objects.filter(username=username).first()
            if existing is not None:
                raise CommandError(f"账号 {username} 已存在（{existing.get_role_display()}），请换一个账号。")
            password, from_env = self.password_for(role, username, env, options["interactive"])
            plan.append((role, username, password, from_env))
        with transaction.atomic():
            for role, username, password, from_env in plan:
                user = User(username=username, name=str(role.label), role=role, is_staff=True)
                user.set_password(password)
                user.must_change_password = from_env
                user.save()
                record(
                    EventKind.ADMIN_CHANGE,
                    user=user,
                    action="新增",
                    model="accounts.user",
                    object_id=str(user.pk),
                    object_repr=username,
                    change_message=f"bootstrap_admins 创建{role.label}",
                )
                self.stdout.write(self.style.SUCCESS(f"已创建{role.label}：{username}"))
        if plan:
            self.stdout.write("首次登录 /admin/ 时需绑定手机身份验证器（TOTP）。")

    def password_for(self, role, username, env, interactive):
        if not interactive:
            password = os.environ.get(env, "")
            if not password:
                raise CommandError(f"--noinput 时必须设置环境变量 {env}。")
            self.validate(password, username, role)
            return password, True
        if not sys.stdin.isatty():
            raise CommandError(
                "没有终端可以输入密码：请在终端中运行，或使用 --noinput 和 BOOTSTRAP_*_PASSWORD。"
            )
        while True:
            password = getpass.getpass(f"{role.label} {username} 的密码：")
            if password != getpass.getpass("再次输入密码："):
                self.stderr.write("两次输入的密码不一致。")
                continue
            try:
                self.validate(password, username, role)
            except CommandError as exc:
                self.stderr.write(str(exc))
                continue
            return password, False

    def validate(self, password, username, role):
        try:
            validate_password(password, User(username=username, name=str(role.label), role=role))
        except ValidationError as exc:
            raise CommandError(
                f"{role.label} {username} 的密码不符合要求：" + "；".join(exc.messages)
            ) from exc
