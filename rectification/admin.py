"""Admin for the rectification app. Status moves and progress go through the services only,
so those fields are read-only here; every edit is audited."""

from django.contrib import admin

from core.admin import AuditedModelAdmin
from core.bigtables import BigTableAdmin

from .models import (
    Problem,
    ProgressReport,
    PublicRating,
    RectificationItem,
    Regulation,
    SpecialCampaign,
)


@admin.register(SpecialCampaign)
class SpecialCampaignAdmin(AuditedModelAdmin):
    list_display = ("name", "unit", "order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "unit__name", "unit__code")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)


@admin.register(Problem)
class ProblemAdmin(AuditedModelAdmin):
    list_display = ("title", "unit", "four_winds", "kind", "scope", "person", "created_at")
    list_filter = ("four_winds", "kind", "scope")
    search_fields = ("title", "description", "unit__name", "unit__code")
    list_select_related = ("unit", "person")
    raw_id_fields = ("unit", "person", "campaign", "found_by")
    date_hierarchy = "created_at"


@admin.register(RectificationItem)
class RectificationItemAdmin(BigTableAdmin, AuditedModelAdmin):
    list_display = (
        "title",
        "unit",
        "lead_leader",
        "responsible_office",
        "deadline",
        "status",
        "progress_percent",
    )
    list_filter = ("status", "problem__kind", "problem__four_winds", "special_campaign")
    search_fields = ("title__contains", "responsible_office__startswith")
    search_related = {"unit": "name"}
    list_select_related = ("unit", "lead_leader")
    raw_id_fields = ("problem", "lead_leader", "person", "special_campaign", "created_by")
    readonly_fields = (
        "unit",
        "status",
        "progress_percent",
        "last_report_month",
        "completed_at",
        "verified_at",
        "verified_by",
        "return_reason",
    )

    def save_model(self, request, obj, form, change):
        obj.unit_id = obj.problem.unit_id  # the ledger is scoped by the problem's unit
        super().save_model(request, obj, form, change)


@admin.register(ProgressReport)
class ProgressReportAdmin(BigTableAdmin, admin.ModelAdmin):
    """Reports are records (nothing lost): read them here, file them on the item's page."""

    list_display = ("item", "month", "percent", "reported_by", "created_at")
    list_filter = ("month",)
    search_fields = ("what_done__contains",)
    search_related = {"item": "title", "item__unit": "name"}
    list_select_related = ("item", "reported_by")
    raw_id_fields = ("item", "reported_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Regulation)
class RegulationAdmin(AuditedModelAdmin):
    list_display = ("title", "unit", "action", "status", "adopted_on", "document_number")
    list_filter = ("action", "status")
    search_fields = ("title", "document_number", "unit__name", "unit__code")
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "items", "created_by")
    readonly_fields = ("status", "adopted_on")


@admin.register(PublicRating)
class PublicRatingAdmin(admin.ModelAdmin):
    """Anonymous ratings are counted, never edited."""

    list_display = ("item", "rating", "day")
    list_filter = ("rating", "day")
    search_fields = ("item__title", "item__unit__name")
    list_select_related = ("item",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
