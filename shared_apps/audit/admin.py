from django.contrib import admin

from shared_apps.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["at", "board", "actor_email", "action", "summary"]
    list_filter = ["board", "action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
