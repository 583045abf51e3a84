from django.contrib import admin

from kechuang.admin import ReadOnlyAdmin

from .models import OutboxMail


@admin.register(OutboxMail)
class OutboxMailAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "to", "subject", "sent_at", "attempts", "last_error")
    list_filter = ("sent_at",)
    search_fields = ("to", "subject")
