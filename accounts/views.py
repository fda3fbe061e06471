import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SettingsForm,
    SignupForm,
    posted,
)
from accounts.models import User
from accounts.onboarding import intent_apply, intent_from, onboarding_start_url, signup_url
from accounts.services import target_role_set, user_settings_save
from accounts.signup import email_confirm as email_confirm_mark
from accounts.signup import email_confirm_send, email_confirm_user, user_signup
from accounts.throttling import (
    locked_out,
    password_checks_allowed,
    rate_limit_exceeded,
    too_many_attempts,
)
from accounts.weekly_email import unsubscribe_user_id
from careers.models import Role, StudyPlan
from careers.services import feed_token_create, feed_token_revoke
from common import ratelimit
from common.redirects import safe_next

SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")

# The address just signed up with, for the sign-in form that follows.
SIGNUP_EMAIL_KEY = "signup_email"


# Sign-up, sign-in, sign-out


def _site_url(request) -> str:
    """This site's address as the request reached it, for links in emails."""
    return request.build_absolute_uri("/").rstrip("/")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    """The same answer whether or not the address has an account (see accounts.signup):
    on to sign-in, with a message to check the inbox."""
    if request.user.is_authenticated:
        return redirect(safe_next(request, reverse("careers:dashboard")))
    if request.method == "POST" and rate_limit_exceeded(
        request, "signup", settings.SIGNUP_RATE_LIMIT
    ):
        return too_many_attempts(request, "sign-up")
    form = SignupForm(posted(request))
    intent = intent_from(request)
    if form.is_valid():
        email = form.cleaned_data["email"]
        user_signup(
            email=email, password=form.cleaned_data["password1"], site_url=_site_url(request)
        )
        request.session[SIGNUP_EMAIL_KEY] = email
        messages.info(
            request,
            f"Thank you. We have sent a message to {email}. If the address is new to us, "
            "your account is ready: sign in with the password you just chose. If you "
            "already have an account, the message tells you how to get back in.",
        )
        # Signed in, a new learner starts with onboarding; what they were doing as a
        # visitor (the intent) rides along and is carried out at sign-in.
        query = {"next": onboarding_start_url(safe_next(request, ""))}
        if intent is not None:
            query["intent"] = request.POST.get("intent") or request.GET.get("intent", "")
        return redirect(reverse("accounts:login") + "?" + urlencode(query))
    return render(
        request,
        "accounts/signup_form.html",
        {"form": form, "next": safe_next(request, ""), "intent": intent, "nav": "signup"},
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login_form.html"
    authentication_form = LoginForm
    extra_context = {"nav": "login"}

    def get_initial(self):
        # Straight after sign-up, the address just given.
        return {"username": self.request.session.pop(SIGNUP_EMAIL_KEY, "")}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "intent": intent_from(self.request)}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"Welcome back, {form.get_user().get_short_name()}.")
        if (intent := intent_from(self.request)) is not None:
            messages.success(self.request, intent_apply(user=form.get_user(), intent=intent))
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response


# Passwords: Django's views with our templates and URL names.


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password-change-done")
    extra_context = {"nav": "settings"}

    def post(self, request, *args, **kwargs):
        if not password_checks_allowed(request):
            return locked_out(request)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


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


# Email confirmation


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def email_confirm(request, token):
    """A confirmation link shows a button; the POST confirms (a GET changes nothing, so
    mail scanners that open links do not confirm anything)."""
    user = email_confirm_user(token)
    if user is None:
        return render(request, "accounts/email_confirm.html", {"user_to_confirm": None}, status=400)
    if request.method == "POST":
        email_confirm_mark(user=user)
        messages.success(request, f"Thank you: {user.email} is confirmed.")
        return redirect("accounts:settings" if request.user == user else "accounts:login")
    return render(request, "accounts/email_confirm.html", {"user_to_confirm": user})


@require_POST
@login_required
def email_confirm_resend(request):
    user = request.user
    if user.email_confirmed_at:
        messages.info(request, f"{user.email} is already confirmed.")
    elif ratelimit.over_limit("confirm-resend", str(user.pk), limit=settings.SIGNUP_RATE_LIMIT):
        return too_many_attempts(request, "confirmation-email")
    else:
        email_confirm_send(user=user, site_url=_site_url(request))
        messages.success(request, f"We have sent a new confirmation link to {user.email}.")
    return redirect("accounts:settings")


# Settings and target role


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_update(request):
    form = SettingsForm(posted(request), instance=request.user)
    if form.is_valid():
        try:
            user_settings_save(form=form)
        except IntegrityError:
            form.add_handle_taken_error()
        else:
            messages.success(request, "Your settings are saved.")
            return redirect("accounts:settings")
    context = {"form": form, "nav": "settings", **_feed_context(request)}
    return render(request, "accounts/settings_form.html", context)


# Calendar feed: its address is shown once, right after it is made; only a hash is kept.

NEW_FEED_TOKEN = "new-feed-token"


def _feed_context(request) -> dict:
    token = request.session.pop(NEW_FEED_TOKEN, None)
    has_feed = StudyPlan.objects.filter(user=request.user, feed_token_hash__isnull=False).exists()
    if token is None:
        return {"has_feed": has_feed, "feed_url": None}
    feed_url = request.build_absolute_uri(reverse("careers:plan-feed", args=[token]))
    return {
        "has_feed": has_feed,
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
    }


@require_POST
@login_required
def feed_create(request):
    """Make (or replace) the learner's private calendar address."""
    replaced = StudyPlan.objects.filter(user=request.user, feed_token_hash__isnull=False).exists()
    request.session[NEW_FEED_TOKEN] = feed_token_create(user=request.user)
    messages.success(
        request,
        "Your new calendar address is below; the old one no longer works."
        if replaced
        else "Your calendar address is below.",
    )
    return redirect(reverse("accounts:settings") + "#calendar-heading")


@require_POST
@login_required
def feed_revoke(request):
    if feed_token_revoke(user=request.user):
        messages.success(request, "Your calendar feed is turned off; its address no longer works.")
    else:
        messages.info(request, "You had no calendar feed.")
    return redirect(reverse("accounts:settings") + "#calendar-heading")


@require_POST
def target_role_update(request):
    """Set (or, with an empty `role`, clear) the learner's target role; a plain form post."""
    slug = request.POST.get("role", "")
    if slug and not SLUG_RE.fullmatch(slug):
        raise Http404("No such role.")  # before any query: PostgreSQL refuses a NUL byte
    role = get_object_or_404(Role.objects.active(), slug=slug) if slug else None
    if not request.user.is_authenticated:
        # To sign-up, which says what it will save and saves it; after the onboarding the
        # dashboard then measures the new target (this URL only takes POSTs).
        if role is None:
            return redirect_to_login(safe_next(request, reverse("careers:role-list")))
        return redirect(
            signup_url(intent=f"target:{role.slug}", next_url=reverse("careers:dashboard"))
        )
    if target_role_set(user=request.user, role=role):
        if role:
            messages.success(request, f"Your target role is now {role.title}.")
        else:
            messages.success(request, "You no longer have a target role.")
    elif role:
        messages.info(request, f"{role.title} is already your target role.")
    fallback = role.get_absolute_url() if role else reverse("careers:dashboard")
    return redirect(safe_next(request, fallback))


# Weekly email: one-click unsubscribe, without signing in


# Mail clients post RFC 8058's one-click request without a CSRF token; the signed token
# in the address is what authorises it, and it can only ever turn the email off.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        user_id = unsubscribe_user_id(token)
    except signing.BadSignature:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        User.objects.filter(pk=user_id).update(weekly_email=False, weekly_email_due_at=None)
        return render(request, "accounts/unsubscribe.html", {"done": True})
    return render(request, "accounts/unsubscribe.html", {"token": token})
