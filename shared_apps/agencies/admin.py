from django.contrib import admin

from shared_apps.agencies.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "agency_type", "is_active"]
    list_filter = ["agency_type"]
    search_fields = ["name"]
