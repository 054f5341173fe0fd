from django.contrib import admin

from tenants.models import Board, Domain, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["name", "slug"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin[Board]):
    list_display = ["name", "slug", "kind", "region", "schema_name"]
    readonly_fields = ["schema_name"]


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin[Domain]):
    list_display = ["domain", "tenant", "is_primary"]
