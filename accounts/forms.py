import json

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils.text import slugify

from accounts.models import DUPLICATE_EMAIL, WEEKDAYS, User
from accounts.services import HANDLE_RULES, HANDLE_TAKEN, handle_problems
from accounts.tasks import password_reset_email_send
from accounts.throttling import password_matches
from careers.models import Role
from common.timezones import time_zone_names

IMPORT_MAX_BYTES = 5 * 1024 * 1024


def posted(request):
    """Form data when the request is a POST (even an empty one), else None: an unbound form."""
    return request.POST if request.method == "POST" else None


def email_normalize(email: str) -> str:
    """The one spelling we store: trimmed and lowercased."""
    return User.objects.normalize_email(email.strip()).lower()


def email_clean(email: str, *, exclude_pk=None) -> str:
    """Normalise an email address and refuse one another account has, in any case."""
    email = email_normalize(email)
    others = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError(DUPLICATE_EMAIL, code="duplicate_email")
    return email


class EmailAddressField(forms.EmailField):
    widget = forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"})


class FirstErrorFocus:
    """After a refused post, the focus starts in the first field that needs correcting,
    not in the form's first field (works without JavaScript: `autofocus`)."""

    def full_clean(self):
        super().full_clean()
        wrong = next((name for name in self.fields if name in self.errors), None)
        if wrong is None:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields[wrong].widget.attrs["autofocus"] = True


# Sign-up and sign-in


class SignupForm(FirstErrorFocus, auth_forms.SetPasswordMixin, forms.Form):
    """An email and a password. Whether the address has an account is not checked here:
    sign-up answers the same either way (see `user_signup`)."""

    email = EmailAddressField(label="Email", max_length=254)
    password1, password2 = auth_forms.SetPasswordMixin.create_password_fields(
        label1="Password", label2="Confirm password"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autofocus"] = True

    def clean_email(self):
        return email_normalize(self.cleaned_data["email"])

    def clean(self):
        self.validate_passwords()
        return super().clean()

    def _post_clean(self):
        super()._post_clean()
        # The validators compare the password with the address, as for any account.
        self.validate_password_for_user(User(email=self.cleaned_data.get("email", "")))

    def validate_password_for_user(self, user, password_field_name="password2"):
        """Every problem with the password at once: its strength is checked even when the
        confirmation does not match (Django checks it only after they match)."""
        if "password2" not in self.errors:
            return super().validate_password_for_user(user, password_field_name)
        password = self.cleaned_data.get("password1")
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error("password1", error)


class LoginForm(FirstErrorFocus, auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": (
            "That email and password do not match an account. Check both and try again."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        email = self.fields["username"]
        # Django sets max_length on this field after building it, so its length is never
        # checked: without this validator a 50,000-character "email" reaches the query.
        email.validators.append(MaxLengthValidator(email.max_length))
        email.label = "Email"
        email.widget.input_type = "email"
        email.widget.attrs["autocomplete"] = "email"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        if self.initial.get("username"):  # straight after sign-up: the password is next
            email.widget.attrs.pop("autofocus", None)
            self.fields["password"].widget.attrs["autofocus"] = True


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = EmailAddressField(label="Email", max_length=254)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """Hand the email to the worker: a slow or absent mail server never holds the
        request. The worker makes the link itself, so no reset token is ever stored."""
        password_reset_email_send.enqueue(
            context["user"].pk, context["domain"], context["protocol"]
        )


# Settings


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, role):
        return f"{role.title} (retired)" if role.is_archived else role.title


class SettingsForm(FirstErrorFocus, forms.ModelForm):
    """The learner's profile. The target role is saved by `target_role_set`, not here."""

    target_role = RoleChoiceField(
        queryset=Role.objects.none(),
        required=False,
        empty_label="No target yet",
        label="Target role",
        help_text="The role your dashboard measures your readiness against.",
    )
    weekly_hours = forms.IntegerField(
        label="Hours a week for learning",
        min_value=1,
        max_value=100,
        help_text="From 1 to 100; used to estimate how long your path will take.",
        error_messages=dict.fromkeys(
            ("min_value", "max_value", "invalid", "required"),
            "Enter a whole number of hours from 1 to 100.",
        ),
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=[],
        help_text="Your weeks, streaks, plan, calendar and emails follow it.",
        error_messages=dict.fromkeys(
            ("invalid_choice", "required"),
            "Choose a time zone from the list, such as Europe/Paris.",
        ),
    )
    study_days = forms.TypedMultipleChoiceField(
        label="Study days",
        choices=list(enumerate(WEEKDAYS)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Your calendar's study block and the weekly email fall on the first of them.",
        error_messages={
            "required": "Choose at least one study day.",
            "invalid_choice": "Choose days from the list.",
        },
    )
    study_time = forms.TimeField(
        label="Study time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="When a study session starts, in your time zone.",
        error_messages=dict.fromkeys(("invalid", "required"), "Enter a time such as 18:30."),
    )
    public_handle = forms.CharField(
        label="Public handle",
        required=False,
        max_length=40,
        empty_value=None,
        help_text=f"Your public page’s address is /u/ followed by this. {HANDLE_RULES}",
    )

    class Meta:
        model = User
        # target_role is deliberately not here: the view saves it through
        # target_role_set, which records the history.
        fields = [
            "display_name",
            "weekly_hours",
            "time_zone",
            "study_days",
            "study_time",
            "weekly_email",
            "is_progress_public",
            "public_handle",
        ]
        labels = {
            "display_name": "Display name",
            "is_progress_public": "Show my progress on a public page",
            "weekly_email": "Send me a weekly email",
        }
        help_texts = {
            "display_name": "How we greet you; shown on your public page if you have one.",
            "is_progress_public": (
                "Shows your target role, readiness and finished projects at your "
                "handle’s address. Your notes and email stay private."
            ),
            "weekly_email": (
                "Last week’s progress, your streak and this week’s plan, on your first "
                "study day at your study time. Each email has a one-click unsubscribe link."
            ),
        }

    field_order = ["display_name", "target_role", *Meta.fields[1:]]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A retired target stays selectable so saving other fields does not drop it.
        target_id = self.instance.target_role_id
        current = Q(pk=target_id) if target_id else Q(pk__in=[])
        self.fields["target_role"].queryset = Role.objects.filter(Q(is_archived=False) | current)
        self.fields["target_role"].initial = target_id
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"
        handle = self.fields["public_handle"]
        handle.widget.attrs["autocapitalize"] = "none"
        handle.optional_note = "needed for a public page"
        suggestion = slugify(self.instance.display_name or "")[:40].strip("-_")
        if not self.instance.public_handle and len(suggestion) >= 3:
            handle.widget.attrs["placeholder"] = suggestion
            handle.help_text = f"{handle.help_text} Suggested from your name: {suggestion}."
        self.fields["time_zone"].choices = [(name, name) for name in time_zone_names()]
        if not self.is_bound:
            self.initial["study_days"] = self.instance.study_weekdays

    def clean_study_days(self) -> int:
        """The chosen weekdays as the stored bit mask."""
        return sum(1 << day for day in set(self.cleaned_data["study_days"]))

    def clean_public_handle(self):
        handle = self.cleaned_data["public_handle"]
        if handle is None:
            return None
        handle = handle.lower()
        if problems := handle_problems(handle, user_pk=self.instance.pk):
            raise ValidationError(problems)
        return handle

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("is_progress_public")
            and not cleaned_data.get("public_handle")
            and "public_handle" not in self.errors
        ):
            self.add_error("public_handle", "Choose a handle to make your progress public.")
        return cleaned_data

    def save(self, commit=True):
        """Write only this form's columns, so a target role set meanwhile is kept."""
        user = super().save(commit=False)
        if commit:
            user.save(update_fields=self._meta.fields)
        return user

    def add_handle_taken_error(self):
        """For the race the database's unique constraint catches after validation passed."""
        self.add_error("public_handle", ValidationError(HANDLE_TAKEN, code="handle_taken"))


# Data export, import and deletion


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Export file",
        help_text="A .json file downloaded from “Download my data”, at most 5 MB.",
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError("That file is larger than 5 MB, so it cannot be an export.")
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("That file is not text; choose the .json export file.") from None
        try:
            self.cleaned_data["data"] = json.loads(text)
        except (ValueError, RecursionError):
            raise ValidationError(
                "That file is not valid JSON; choose the .json export file, unchanged."
            ) from None
        return upload


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with a wrong old password counted toward the sign-in lockout."""

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not password_matches(self.request, self.user, old_password):
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, request, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password_matches(self.request, self.user, password):
            raise ValidationError("That password is not right; nothing was deleted.")
        return password


# Admin


class AdminUserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        return email_clean(self.cleaned_data["email"])


class AdminUserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        return email_clean(self.cleaned_data["email"], exclude_pk=self.instance.pk)
