from django.contrib import admin

from core.admin import AuditedModelAdmin, ReadOnlyAdmin
from core.bigtables import BigTableAdmin

from .models import (
    Activity,
    CalendarFeed,
    Campaign,
    CampaignTemplate,
    EnrolmentBatch,
    InspectionFinding,
    InspectionRound,
    Material,
    MaterialRequirement,
    MaterialTemplate,
    Participation,
    Review,
    Revision,
    Stage,
    StageClosure,
    StageTemplate,
    Talk,
    Task,
    TaskDefinition,
    TaskTemplate,
)
from .services import participation_refresh


class StageTemplateInline(admin.TabularInline):
    model = StageTemplate
    extra = 0


@admin.register(CampaignTemplate)
class CampaignTemplateAdmin(AuditedModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    inlines = [StageTemplateInline]

    def audit_unit(self, obj):
        return None


class TaskTemplateInline(admin.StackedInline):
    model = TaskTemplate
    extra = 0


class MaterialTemplateInline(admin.TabularInline):
    model = MaterialTemplate
    extra = 0


@admin.register(StageTemplate)
class StageTemplateAdmin(AuditedModelAdmin):
    list_display = ("name", "template", "order")
    list_filter = ("template",)
    search_fields = ("name",)
    list_select_related = ("template",)
    inlines = [TaskTemplateInline, MaterialTemplateInline]

    def audit_unit(self, obj):
        return None


@admin.register(Campaign)
class CampaignAdmin(AuditedModelAdmin):
    list_display = ("name", "organiser", "start_date", "end_date", "template")
    list_filter = ("template",)
    search_fields = ("name", "organiser__name")
    list_select_related = ("organiser", "template")
    autocomplete_fields = ("organiser",)
    date_hierarchy = "start_date"

    def audit_unit(self, obj):
        return obj.organiser


@admin.register(Stage)
class StageAdmin(AuditedModelAdmin):
    list_display = ("name", "campaign", "order")
    list_filter = ("campaign",)
    search_fields = ("name", "campaign__name")
    list_select_related = ("campaign",)

    def audit_unit(self, obj):
        return obj.campaign.organiser


@admin.register(TaskDefinition)
class TaskDefinitionAdmin(AuditedModelAdmin):
    """Read-mostly: edit tasks on the campaign's task page so enrolled units follow."""

    list_display = ("title", "stage", "office", "due_offset_days", "due_date", "quota_minimum")
    list_filter = ("stage__campaign", "quota_host", "quota_measure")
    search_fields = ("title", "office", "description")
    list_select_related = ("stage__campaign",)
    readonly_fields = ("due_offset_days", "due_date", "quota_kinds", "quota_minimum")

    def audit_unit(self, obj):
        return obj.stage.campaign.organiser


@admin.register(MaterialRequirement)
class MaterialRequirementAdmin(AuditedModelAdmin):
    list_display = ("title", "kind", "stage", "is_gate")
    list_filter = ("kind", "is_gate", "stage__campaign")
    search_fields = ("title",)
    list_select_related = ("stage__campaign",)

    def audit_unit(self, obj):
        return obj.stage.campaign.organiser


@admin.register(EnrolmentBatch)
class EnrolmentBatchAdmin(admin.ModelAdmin):
    list_display = ("label", "campaign", "start_date", "unit_count", "created_at")
    list_filter = ("campaign",)
    search_fields = ("label", "campaign__name")
    list_select_related = ("campaign",)
    readonly_fields = ("campaign", "unit_count", "created_by", "created_at")


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("unit", "campaign", "start_date", "current_stage", "tasks_done", "tasks_total")
    list_filter = ("campaign", "current_stage", "unit__kind")
    search_fields = ("unit__name", "unit__code", "campaign__name")
    list_select_related = ("unit", "campaign", "current_stage")
    readonly_fields = ("tasks_total", "tasks_done", "oldest_open_due", "current_stage")
    autocomplete_fields = ("unit",)
    raw_id_fields = ("batch",)


@admin.register(Task)
class TaskAdmin(BigTableAdmin, admin.ModelAdmin):
    """Progress is computed from activity records, so it cannot be edited here."""

    list_display = ("definition", "participation", "due_date", "progress", "completed_at")
    # Filtering by stage name listed the distinct names of 320,000 joined rows: by stage.
    list_filter = ("participation__campaign", "definition__stage")
    search_fields = ()
    search_related = {"definition": "title", "participation__unit": "name"}
    list_select_related = ("definition", "participation__unit", "participation__campaign")
    readonly_fields = ("participation", "definition", "progress", "completed_at", "completed_by")


@admin.register(Activity)
class ActivityAdmin(BigTableAdmin, AuditedModelAdmin):
    list_display = ("date", "title", "kind", "participation", "host", "attendee_count")
    list_filter = ("kind", "participation__campaign")
    search_fields = ("title__contains",)
    search_related = {"participation__unit": "name", "host": "name"}
    list_select_related = ("participation__unit", "participation__campaign", "host")
    raw_id_fields = ("participation", "host", "attendees", "recorded_by")

    def audit_unit(self, obj):
        return obj.participation.unit

    # Quotas follow activity records, including the ones an admin corrects here.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        participation_refresh(obj.participation)

    def delete_model(self, request, obj):
        participation = obj.participation
        super().delete_model(request, obj)
        participation_refresh(participation)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    search_fields = ("user__username",)
    list_select_related = ("user",)
    readonly_fields = ("token",)


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = (
        "requirement",
        "person",
        "participation",
        "status",
        "revision_count",
        "submitted_at",
    )
    list_filter = ("status", "requirement__kind", "participation__campaign")
    search_fields = ("requirement__title", "participation__unit__name", "person__name")
    list_select_related = ("requirement", "person", "participation__unit")
    readonly_fields = ("participation", "requirement", "person", "status", "revision_count",
                       "submitted_at")  # fmt: skip


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ("material", "number", "submitted_by", "submitted_at")
    list_filter = ("material__requirement__kind",)
    search_fields = ("material__requirement__title", "material__participation__unit__name")
    list_select_related = ("material__requirement", "material__person", "submitted_by")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("revision", "decision", "reviewer", "decided_at")
    list_filter = ("decision",)
    search_fields = ("revision__material__participation__unit__name", "comment")
    list_select_related = ("revision__material__requirement", "reviewer")


@admin.register(StageClosure)
class StageClosureAdmin(ReadOnlyAdmin):
    list_display = ("participation", "stage", "waived", "closed_at", "closed_by")
    list_filter = ("waived", "stage__campaign")
    search_fields = ("participation__unit__name", "reason")
    list_select_related = ("participation__unit", "participation__campaign", "stage", "closed_by")


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    """Talk records are confidential to the supervision group: only superusers here."""

    list_display = ("date", "interviewee", "category", "group", "participation")
    list_filter = ("category", "group")
    search_fields = ("interviewee", "participation__unit__name")
    list_select_related = ("group", "participation__unit")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class InspectionFindingInline(admin.TabularInline):
    model = InspectionFinding
    extra = 0
    can_delete = False
    fields = ("position", "participation", "required_checked", "optional_checked", "inspector")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyAdmin):
    """Random inspections are drawn and recorded in the app (the draw must stay provable)."""

    list_display = ("name", "campaign", "size", "seed", "drawn_at", "drawn_by")
    list_select_related = ("campaign", "drawn_by")
    inlines = [InspectionFindingInline]
