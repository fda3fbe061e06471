from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.forms import AdminUserChangeForm, AdminUserCreationForm
from accounts.models import TargetRoleChange, User, WeeklyEmail


class TargetRoleChangeInline(admin.TabularInline):
    """The learner's target-role history; an append-only record, so read-only here."""

    model = TargetRoleChange
    fields = ["chosen_at", "role", "role_title"]
    readonly_fields = fields
    ordering = ["-chosen_at", "-id"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    list_display = ["email", "display_name", "is_staff", "target_role", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "is_progress_public", "target_role"]
    list_select_related = ["target_role"]
    search_fields = ["email", "display_name"]
    ordering = ["email"]
    date_hierarchy = "date_joined"
    # The target role changes only through target_role_set, which keeps the history.
    readonly_fields = ["target_role", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "email_confirmed_at", "password")}),
        (
            "Profile",
            {
                "fields": (
                    "display_name",
                    "target_role",
                    "weekly_hours",
                    "public_handle",
                    "is_progress_public",
                )
            },
        ),
        (
            "Permissions",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_inlines(self, request, obj):
        # A new user has no history, and an empty inline would need its management form.
        return [TargetRoleChangeInline] if obj else []


@admin.register(WeeklyEmail)
class WeeklyEmailAdmin(admin.ModelAdmin):
    """Each learner's weekly email per week: sent, queued for another try, or failed after
    the last one with its error. The tasks themselves are under Django Tasks DB."""

    list_display = ["user", "week_start", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "week_start"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    readonly_fields = [f.name for f in WeeklyEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
