from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedModelAdmin
from core.services import audit_log

from . import services
from .models import LiaisonPoint, Person, SupervisionGroup, Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "depth")
    list_filter = ("kind", "depth")
    search_fields = ("name", "code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    fields = ("name", "code", "kind", "parent")
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        # The tree path is kept by the services, so every save goes through them.
        data = {k: form.cleaned_data[k] for k in ("name", "code", "kind")}
        if not change:
            created = services.unit_create(
                parent=form.cleaned_data["parent"], by=request.user, **data
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            return
        original = Unit.objects.get(pk=obj.pk)
        services.unit_update(unit=original, by=request.user, **data)
        if "parent" in form.changed_data:
            services.unit_move(
                unit=original, new_parent=form.cleaned_data["parent"], by=request.user
            )

    def delete_model(self, request, obj):
        audit_log(actor=request.user, action="unit.deleted", obj=obj, unit=None)
        super().delete_model(request, obj)


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = (
        "name",
        "position",
        "unit",
        "cadre_rank",
        "is_main_leader",
        "is_team_member",
        "is_party_member",
    )
    list_filter = (
        "cadre_rank",
        "is_main_leader",
        "is_team_member",
        "is_mid_cadre",
        "is_party_member",
        "is_retired_cadre",
        "is_mass_observer",
        "unit__kind",
    )
    search_fields = ("name", "position", "unit__name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "home_unit", "is_active", "is_staff")
    list_filter = ("role", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "home_unit__name")
    list_select_related = ("home_unit",)
    autocomplete_fields = ("home_unit", "person")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("角色与单位"), {"fields": ("role", "home_unit", "person")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("角色与单位"), {"fields": ("last_name", "first_name", "email", "role", "home_unit")}),
    )

    @admin.display(description=_("姓名"))
    def get_full_name(self, obj):
        return obj.get_full_name()


@admin.register(SupervisionGroup)
class SupervisionGroupAdmin(AuditedModelAdmin):
    list_display = ("name", "leader_name")
    search_fields = ("name", "leader_name")
    filter_horizontal = ("members",)
    autocomplete_fields = ("units",)


@admin.register(LiaisonPoint)
class LiaisonPointAdmin(AuditedModelAdmin):
    list_display = ("leader", "unit", "note")
    search_fields = ("leader__name", "unit__name")
    list_select_related = ("leader", "unit")
    autocomplete_fields = ("leader", "unit")
