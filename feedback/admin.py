from django.contrib import admin

from core.admin import ReadOnlyAdmin
from core.bigtables import BigTableAdmin

from .models import Opinion, OpinionNote


class OpinionNoteInline(admin.TabularInline):
    model = OpinionNote
    extra = 0
    readonly_fields = ("author", "text")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Opinion)
class OpinionAdmin(BigTableAdmin, ReadOnlyAdmin):
    """Opinions are kept verbatim: the admin shows them; corrections are notes in the app."""

    list_display = (
        "__str__",
        "unit",
        "channel",
        "source_group",
        "four_winds",
        "status",
        "received_on",
    )
    list_filter = ("channel", "source_group", "four_winds", "status", "is_anonymous")
    # A million rows: LIKE on the text (its pg_trgm index), the unit by name; no date
    # hierarchy (its year and month links scan the table).
    search_fields = ("text__contains",)
    search_related = {"unit": "name"}
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "campaign", "entered_by", "target_person")
    inlines = [OpinionNoteInline]


@admin.register(OpinionNote)
class OpinionNoteAdmin(ReadOnlyAdmin):
    list_display = ("opinion", "author", "created")
    search_fields = ("text",)
    list_select_related = ("opinion", "author")
