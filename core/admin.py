from django.contrib import admin

from .bigtables import BigTableAdmin
from .models import Attachment, AuditLog, Notification, ReportFile


class ReadOnlyAdmin(admin.ModelAdmin):
    """For append-only rows (the audit log, revisions, reviews): shown, never changed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(BigTableAdmin, ReadOnlyAdmin):
    # A year of history: no filter listing the distinct actions of every row, no date
    # hierarchy; an action code is searched by its prefix ("material.").
    list_display = ("created_at", "actor_name", "action", "object_repr", "unit")
    list_filter = ("content_type",)
    search_fields = ("actor_name__startswith", "action__startswith", "object_repr__contains")
    list_select_related = ("unit",)


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "mime", "size", "uploaded_by", "uploaded_at")
    list_filter = ("mime", "content_type")
    search_fields = ("name", "unit__name")
    list_select_related = ("unit", "uploaded_by")
    readonly_fields = ("content_type", "object_id", "unit", "file", "mime", "size", "uploaded_by")

    def has_add_permission(self, request):
        return False  # files arrive through the validated upload forms only


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits write the project's audit log too, not only Django's LogEntry."""

    def audit_unit(self, obj):
        return getattr(obj, "unit", None)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._audit(request, obj, "updated" if change else "created", form.changed_data)

    def delete_model(self, request, obj):
        self._audit(request, obj, "deleted", [])
        super().delete_model(request, obj)

    def _audit(self, request, obj, verb, fields):
        from .services import audit_log

        changes = {name: _printable(getattr(obj, name, None)) for name in fields}
        audit_log(
            actor=request.user,
            action=f"{obj._meta.model_name}.{verb}",
            obj=obj,
            unit=self.audit_unit(obj),
            changes=changes,
        )


def _printable(value):
    if hasattr(value, "all"):  # a many-to-many manager
        return ", ".join(str(v) for v in value.all())
    return None if value is None else str(value)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("subject", "user", "created_at", "read_at", "emailed_at")
    list_filter = ("read_at", "emailed_at")
    search_fields = ("subject", "user__username")
    list_select_related = ("user",)
    readonly_fields = ("user", "created_at", "read_at", "emailed_at")


@admin.register(ReportFile)
class ReportFileAdmin(ReadOnlyAdmin):
    """Rendered reports: who asked for what, and how it went. The files are served only
    through the scope-checked download view, never from here."""

    list_display = ("title", "fmt", "status", "requested_by", "unit", "created_at")
    list_filter = ("status", "fmt", "kind")
    list_select_related = ("requested_by", "unit")
    search_fields = ("title",)
