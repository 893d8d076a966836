from django.contrib import admin

from .models import DigestOutbox


@admin.register(DigestOutbox)
class DigestOutboxAdmin(admin.ModelAdmin):
    """Read-only: the office can see what was sent and what waits, not edit it."""

    list_display = ["day", "kind", "user", "subject", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status", "day"]
    search_fields = ["user__username", "user__last_name", "subject"]
    readonly_fields = [f.name for f in DigestOutbox._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
