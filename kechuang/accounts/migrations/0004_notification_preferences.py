"""个人信息 → 通知设置: daily digest instead of one mail per arrival, and switching off daily reminders."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_tokens_and_call_log")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="mail_digest",
            field=models.BooleanField(
                default=False,
                help_text="勾选后，新到达的待审核平台不再逐条发送邮件，而在每日提醒中汇总（站内消息照常）。",
                verbose_name="待审核提醒改为每日汇总邮件",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="reminders_enabled",
            field=models.BooleanField(
                default=True,
                help_text="待审核汇总、再次上报截止等每日提醒（站内消息和邮件）。",
                verbose_name="接收每日提醒",
            ),
        ),
    ]
