from django.contrib import admin

from careers.models import Responsibility, Role, RoleRequirement
from learning.admin import ContentAdmin, archive_selected, restore_selected


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    fields = ["text", "order"]
    extra = 0


class RoleRequirementInline(admin.TabularInline):
    model = RoleRequirement
    fields = ["module", "importance"]
    autocomplete_fields = ["module"]
    extra = 0


@admin.register(Role)
class RoleAdmin(ContentAdmin):
    """Roles may be deleted: learners' target role and its history are set to empty."""

    list_display = [
        "title",
        "slug",
        "focus",
        "seniority",
        "salary_range",
        "order",
        "is_archived",
        "updated_at",
    ]
    list_editable = ["order"]
    list_filter = ["focus", "seniority", "is_archived"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["leads_to", "project_ideas"]
    readonly_fields = ["updated_at"]
    inlines = [ResponsibilityInline, RoleRequirementInline]
    actions = [archive_selected, restore_selected]

    @admin.display(description="Salary (USD)")
    def salary_range(self, role):
        if role.salary_min is None and role.salary_max is None:
            return "–"
        low = f"{role.salary_min:,}" if role.salary_min is not None else "?"
        high = f"{role.salary_max:,}" if role.salary_max is not None else "?"
        return f"{low} – {high}"


@admin.register(Responsibility)
class ResponsibilityAdmin(ContentAdmin):
    list_display = ["text", "role", "order"]
    list_filter = ["role__focus"]
    list_select_related = ["role"]
    search_fields = ["text", "role__title"]
    autocomplete_fields = ["role"]


@admin.register(RoleRequirement)
class RoleRequirementAdmin(ContentAdmin):
    list_display = ["role", "module", "importance"]
    list_filter = ["importance", "module__category", "role"]
    list_select_related = ["role", "module"]
    search_fields = ["role__title", "module__title"]
    autocomplete_fields = ["role", "module"]
