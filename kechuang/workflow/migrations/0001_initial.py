"""Business (was portal) and Stage (were review) move to the workflow app. Their tables keep their names, so
this migration changes Django's state only; the content types follow so admin permissions stay attached."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in (("portal", "business"), ("review", "stage")):
        if not ContentType.objects.filter(app_label="workflow", model=model).exists():
            ContentType.objects.filter(app_label=old_app, model=model).update(app_label="workflow")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in (("portal", "business"), ("review", "stage")):
        if not ContentType.objects.filter(app_label=old_app, model=model).exists():
            ContentType.objects.filter(app_label="workflow", model=model).update(app_label=old_app)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0001_initial"),
        ("review", "0002_notification_public_id"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Business",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("name", models.CharField(max_length=100, unique=True, verbose_name="业务名称")),
                        ("section", models.CharField(choices=[("projects", "科技项目"), ("awards", "科技奖励"), ("platforms", "科技创新平台"), ("vouchers", "科技创新券"), ("statistics", "科技统计"), ("services", "科技服务"), ("contact", "联系我们")], default="platforms", max_length=20, verbose_name="所属栏目")),
                        ("period_start", models.DateField(verbose_name="申报期开始")),
                        ("period_end", models.DateField(verbose_name="申报期结束")),
                        ("description", models.TextField(blank=True, verbose_name="说明")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="排序")),
                    ],
                    options={
                        "verbose_name": "业务",
                        "verbose_name_plural": "业务",
                        "db_table": "portal_business",
                        "ordering": ["order", "name"],
                        "constraints": [models.CheckConstraint(condition=models.Q(("period_end__gte", models.F("period_start"))), name="period_end_after_start")],
                    },
                ),
                migrations.CreateModel(
                    name="Stage",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("order", models.PositiveSmallIntegerField(verbose_name="顺序")),
                        ("name", models.CharField(max_length=50, verbose_name="阶段名称")),
                        ("reviewer_kind", models.CharField(choices=[("unit_admin", "申报单位管理员"), ("department", "主管部门"), ("province", "省科技厅")], max_length=20, verbose_name="审核人")),
                        ("business", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="stages", to="workflow.business", verbose_name="业务")),
                    ],
                    options={
                        "verbose_name": "审核阶段",
                        "verbose_name_plural": "审核阶段",
                        "db_table": "review_stage",
                        "ordering": ["business", "order"],
                        "constraints": [models.UniqueConstraint(fields=("business", "order"), name="one_stage_per_order")],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
