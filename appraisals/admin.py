from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import AppraisalRound, AppraisalTarget, Ballot, BallotCode, BallotRating

# Read-only: rounds change through the app's services. The ballot
# admin shows a ballot's round, day and ratings only; nothing on it leads to a code.


class AppraisalTargetInline(admin.TabularInline):
    model = AppraisalTarget
    extra = 0
    fields = ("order", "label", "person")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AppraisalRound)
class AppraisalRoundAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "kind", "mode", "status", "opens_at", "closes_at", "issued")
    list_filter = ("kind", "mode", "status")
    search_fields = ("title", "unit__name")
    list_select_related = ("unit",)
    inlines = [AppraisalTargetInline]


@admin.register(BallotCode)
class BallotCodeAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "round", "spent")
    list_filter = ("spent",)
    list_select_related = ("round",)
    search_fields = ("code",)


class BallotRatingInline(admin.TabularInline):
    model = BallotRating
    extra = 0
    fields = ("target", "rating")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ("round", "day")
    list_filter = ("day",)
    list_select_related = ("round",)
    # Within a day by the random key: a shuffled order that reveals no arrival order.
    ordering = ("round", "day", "id")
    fields = ("round", "day")
    inlines = [BallotRatingInline]
