from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from careers.content_pack.report import (
    RoleFigures,
    content_report,
    pack_totals,
    question_report,
)
from careers.models import ContentVersion, Responsibility, Role, RoleRequirement
from learning.admin import ContentAdmin, ReadOnlyAdmin, archive_selected, restore_selected


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


@admin.register(ContentVersion)
class ContentVersionAdmin(ReadOnlyAdmin):
    """Loads of the content pack, read-only; the changelist links to the editors' report."""

    list_display = ["number", "loaded_at", "roles", "modules", "topics", "carried_states"]
    date_hierarchy = "loaded_at"
    change_list_template = "admin/careers/contentversion/change_list.html"

    def get_urls(self):
        report = path(
            "report/",
            self.admin_site.admin_view(self.report_view),
            name="careers_contentversion_report",
        )
        return [report, *super().get_urls()]

    def report_view(self, request):
        """The figures of `manage.py content_report`, from the content in the database."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        modules = question_report()
        context = {
            **self.admin_site.each_context(request),
            "title": "Content report",
            "opts": self.model._meta,
            "columns": list(RoleFigures.COLUMNS.values()),
            "rows": [
                [getattr(row, name) for name in RoleFigures.COLUMNS] for row in content_report()
            ],
            "totals": list(pack_totals().items()),
            "modules": modules,
            "questions": sum(module.questions for module in modules),
            "under_minimum": sum(len(module.under_minimum) for module in modules),
        }
        return TemplateResponse(request, "admin/careers/content_report.html", context)
