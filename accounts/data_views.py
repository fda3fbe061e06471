"""A learner's data: export, import and deletion of their account, and the public progress
page they may choose to share."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.data_file.export import user_export
from accounts.data_file.import_ import user_import
from accounts.forms import (
    AccountDeleteForm,
    ImportForm,
    posted,
)
from accounts.models import User
from accounts.services import user_delete
from accounts.throttling import (
    locked_out,
    password_checks_allowed,
)
from careers.readiness import role_progress
from learning.models import Module, PortfolioProject, TopicState
from learning.progress import FRESHLY_VERIFIED

# Your data: export, import, deletion


@never_cache
@login_required
@require_safe
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
@require_http_methods(["GET", "HEAD", "POST"])
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
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request):
    if request.method == "POST" and not password_checks_allowed(request):
        return locked_out(request)
    form = AccountDeleteForm(request.user, posted(request), request=request)
    if form.is_valid():
        user = request.user
        user_delete(user=user)
        logout(request)
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form, "nav": "settings"})


# Public progress page


@require_safe
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
