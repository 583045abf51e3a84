"""Admin site for review: stages are configuration (W1); 流转记录 and 站内消息 are read-only history."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.admin import ReadOnlyAdmin
from kechuang.filings.models import Filing
from kechuang.workflow.models import Stage

from .models import FlowRecord, Notification

STAGE_CHANGE_RULES = _(
    "审核阶段是每个业务的配置（W1）。对正在流转的备案的影响："
    "① 有备案正在某阶段等待审核、或流转记录引用了该阶段时，该阶段不能删除（系统会列出受保护的对象）；"
    "② 新增的阶段对尚未经过该顺序的备案立即生效：前一阶段通过后将进入新阶段；已经过该顺序的备案不受影响；"
    "③ 修改阶段名称不会改写已有的流转记录（记录保存的是当时的名称），正在该阶段等待的备案显示新名称；"
    "④ 修改“审核人”会立即改变谁能审核正在该阶段等待的备案；"
    "⑤ 勾选依托单位的“直报省科技厅”后，该单位的备案跳过“主管部门”类型的阶段。"
)


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["business", "order", "name", "reviewer_kind"]
    list_display_links = ["name"]
    list_filter = ["business"]
    list_select_related = ["business"]
    ordering = ["business", "order"]
    fieldsets = [
        (None, {"fields": ["business", "order", "name", "reviewer_kind"], "description": STAGE_CHANGE_RULES})
    ]

    def get_deleted_objects(self, objs, request):
        """Name what keeps a stage in use (waiting filings, history) instead of Django's generic
        "no permission to delete 流转记录", so the administrator sees why deleting is refused."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        in_use = stage_usage([stage.pk for stage in objs])
        if in_use:
            return deleted, counts, set(), in_use
        return deleted, counts, perms_needed, protected


def stage_usage(stage_ids, shown=10):
    """Why these stages cannot be deleted, one line per reason (empty when they are unused)."""
    filings = Filing.objects.filter(Q(stage_id__in=stage_ids) | Q(return_stage_id__in=stage_ids))
    lines = [
        gettext("平台备案“%(name)s”正在该阶段等待审核，或退回后将回到该阶段") % {"name": filing}
        for filing in filings.order_by("pk")[:shown]
    ]
    total = filings.count() if len(lines) == shown else len(lines)
    if total > shown:
        lines.append(gettext("……共 %(count)d 个平台备案") % {"count": total})
    records = FlowRecord.objects.filter(Q(from_stage_id__in=stage_ids) | Q(to_stage_id__in=stage_ids)).count()
    if records:
        lines.append(gettext("%(count)d 条流转记录引用了该阶段（流转记录不可删除）") % {"count": records})
    return lines


@admin.register(FlowRecord)
class FlowRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "filing",
        "action",
        "from_status",
        "to_status",
        "actor",
        "actor_organisation",
    ]
    list_filter = ["action"]
    list_select_related = ["filing", "actor"]
    search_fields = ["filing__name", "actor__name", "actor_organisation"]
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "text", "read_at"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__name", "recipient__username", "text"]
    date_hierarchy = "created_at"
