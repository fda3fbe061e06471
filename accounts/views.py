import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.data_file.export import user_export
from accounts.data_file.import_ import user_import
from accounts.forms import (
    AccountDeleteForm,
    ImportForm,
    LoginForm,
    PasswordResetForm,
    SettingsForm,
    SignupForm,
)
from accounts.models import User
from accounts.services import target_role_set, user_delete, user_settings_save
from accounts.throttling import rate_limit_exceeded, too_many_attempts
from careers.models import Role
from careers.readiness import role_progress
from common.redirects import safe_next
from learning.models import Module, PortfolioProject, TopicState
from learning.progress import FRESHLY_VERIFIED

# Backend named on sign-in without a password check (sign-up), so adding another
# authentication backend later cannot break it.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _posted(request):
    """Form data when the request is a POST (even an empty one), else None: an unbound form."""
    return request.POST if request.method == "POST" else None


# Sign-up, sign-in, sign-out


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect(safe_next(request, reverse("careers:dashboard")))
    if request.method == "POST" and rate_limit_exceeded(
        request, "signup", settings.SIGNUP_RATE_LIMIT
    ):
        return too_many_attempts(request, "sign-up")
    form = SignupForm(_posted(request))
    if form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
        except IntegrityError:
            form.add_duplicate_email_error()
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, "Welcome to GenAI Pathways! Your account is ready.")
            return redirect(safe_next(request, reverse("careers:dashboard")))
    return render(
        request,
        "accounts/signup_form.html",
        {"form": form, "next": safe_next(request, ""), "nav": "signup"},
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login_form.html"
    authentication_form = LoginForm
    extra_context = {"nav": "login"}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"Welcome back, {form.get_user().get_short_name()}.")
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response


# Passwords: Django's views with our templates and URL names.


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password-change-done")
    extra_context = {"nav": "settings"}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
    extra_context = {"nav": "settings"}


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")
    extra_context = {"nav": "login"}

    def post(self, request, *args, **kwargs):
        if rate_limit_exceeded(request, "password-reset", settings.PASSWORD_RESET_RATE_LIMIT):
            return too_many_attempts(request, "password-reset")
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"nav": "login"}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
    extra_context = {"nav": "login"}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"nav": "login"}


# Settings and target role


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settings_update(request):
    form = SettingsForm(_posted(request), instance=request.user)
    if form.is_valid():
        try:
            user_settings_save(form=form)
        except IntegrityError:
            form.add_handle_taken_error()
        else:
            messages.success(request, "Your settings are saved.")
            return redirect("accounts:settings")
    return render(request, "accounts/settings_form.html", {"form": form, "nav": "settings"})


@require_POST
def target_role_update(request):
    """Set (or, with an empty `role`, clear) the learner's target role; a plain form post."""
    slug = request.POST.get("role", "")
    role = get_object_or_404(Role.objects.active(), slug=slug) if slug else None
    if not request.user.is_authenticated:
        # Back to the role's page after signing in; this URL only takes POSTs.
        fallback = reverse("careers:role-list")
        return redirect_to_login(role.get_absolute_url() if role else safe_next(request, fallback))
    if target_role_set(user=request.user, role=role):
        if role:
            messages.success(request, f"Your target role is now {role.title}.")
        else:
            messages.success(request, "You no longer have a target role.")
    elif role:
        messages.info(request, f"{role.title} is already your target role.")
    fallback = role.get_absolute_url() if role else reverse("careers:dashboard")
    return redirect(safe_next(request, fallback))


# Your data: export, import, deletion


@never_cache
@login_required
@require_GET
def export(request):
    data = user_export(user=request.user)
    filename = f"genai-pathways-export-{timezone.localdate():%Y-%m-%d}.json"
    return HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def import_(request):
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_valid():
        try:
            result = user_import(user=request.user, data=form.cleaned_data["data"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _import_message(result))
            return redirect("accounts:settings")
    # A refused file answers 400 so scripts and tests can tell it from the blank form.
    return render(
        request,
        "accounts/import_form.html",
        {"form": form, "nav": "settings"},
        status=400 if form.errors else 200,
    )


def _import_message(result) -> str:
    if not result.changed_anything:
        return "That file matches what we already hold; nothing needed changing."
    saved, changes = result.topic_states_saved, result.state_changes_added
    projects, choices = result.projects_added, result.history_added
    return (
        f"Imported your data: {saved} topic state{pluralize(saved)} saved; "
        f"{changes} progress change{pluralize(changes)}, "
        f"{projects} portfolio project{pluralize(projects)} and "
        f"{choices} target-role choice{pluralize(choices)} added"
        f"{'; profile updated' if result.profile_updated else ''}"
        f"{_checks_added(result.checks_added)}."
    )


def _checks_added(count: int) -> str:
    return f"; {count} check{pluralize(count)} added" if count else ""


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    form = AccountDeleteForm(request.user, _posted(request))
    if form.is_valid():
        user = request.user
        user_delete(user=user)
        logout(request)
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form, "nav": "settings"})


# Public progress page


@require_GET
def public_progress(request, handle):
    owner = (
        User.objects.filter(public_handle__iexact=handle, is_progress_public=True, is_active=True)
        .select_related("target_role")
        .first()
    )
    if owner is None:
        raise Http404("No public progress page here.")
    role = owner.target_role if owner.target_role and not owner.target_role.is_archived else None
    progress = role_progress(owner, role) if role else None
    projects = (
        PortfolioProject.objects.for_user(owner)
        .filter(status=PortfolioProject.Status.DONE)
        .prefetch_related(Prefetch("modules", queryset=Module.objects.active()))
    )
    # Evidence an employer can tell from a claim: what a check proved, and when.
    verified_topics = (
        TopicState.objects.for_user(owner)
        .complete()
        .filter(FRESHLY_VERIFIED, topic__is_archived=False, topic__module__is_archived=False)
        .order_by("-verified_at", "topic__title")
        .values("topic__title", "topic__module__title", "verified_at")
    )
    return render(
        request,
        "accounts/public_progress.html",
        {
            "owner": owner,
            "role": role,
            "progress": progress,
            "projects": projects,
            "verified_topics": verified_topics,
        },
    )
