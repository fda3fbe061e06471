"""Sign-up that does not tell anyone whether an address has an account, and the
signed, expiring links that confirm an address.

Whatever the address, sign-up does the same work and answers the same way: it hashes
the password, queues one email and says "check your inbox". A new address gets its
account (usable at once) and a confirmation link; an address that has an account gets
a note that someone tried to sign up with it, with links to sign in and to reset the
password.

The emails are sent by the worker (accounts/tasks.py): the request only queues one, the
same work for either address, and a slow mail server never holds it."""

import hashlib

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tasks import email_confirm_email_send, signup_existing_email_send
from common import ratelimit

CONFIRM_SALT = "accounts.email-confirm"


def _address_digest(email: str) -> str:
    # The token is signed, not encrypted: it names the address by a digest, so the
    # address itself never appears in a URL.
    return hashlib.sha256(email.lower().encode()).hexdigest()[:24]


def email_confirm_token(user: User) -> str:
    """A signed, timestamped token naming the user and the address it confirms."""
    return signing.dumps({"user": user.pk, "email": _address_digest(user.email)}, salt=CONFIRM_SALT)


def email_confirm_user(token: str) -> User | None:
    """The user a token confirms, or None when it is forged, expired or names an address
    the account no longer has."""
    try:
        data = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.EMAIL_CONFIRM_MAX_AGE.total_seconds()
        )
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None or _address_digest(user.email) != data.get("email"):
        return None
    return user


def email_confirm(*, user: User) -> bool:
    """Mark the user's address confirmed; False when it already was."""
    updated = User.objects.filter(pk=user.pk, email_confirmed_at__isnull=True).update(
        email_confirmed_at=timezone.now()
    )
    return bool(updated)


def _message(template: str, *, to: str, context: dict) -> EmailMessage:
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    body = render_to_string(f"accounts/email/{template}.txt", context)
    return EmailMessage(" ".join(subject.split()), body, None, [to])


def email_confirm_message(*, user: User, site_url: str) -> EmailMessage:
    """The email with a link confirming the user's address (made by the worker)."""
    path = reverse("accounts:email-confirm", args=[email_confirm_token(user)])
    days = settings.EMAIL_CONFIRM_MAX_AGE.days
    context = {"user": user, "confirm_url": site_url + path, "days": days}
    return _message("confirm", to=user.email, context=context)


def signup_existing_message(*, email: str, site_url: str) -> EmailMessage:
    """The note to an address that has an account: someone tried to sign up with it."""
    context = {
        "email": email,
        "login_url": site_url + reverse("accounts:login"),
        "reset_url": site_url + reverse("accounts:password-reset"),
    }
    return _message("signup_existing", to=email, context=context)


def email_confirm_send(*, user: User, site_url: str) -> None:
    """Queue an email with a link confirming the user's address."""
    email_confirm_email_send.enqueue(user.pk, site_url)


def user_signup(*, email: str, password: str, site_url: str) -> User | None:
    """Create an account for a new address and send it a confirmation link; for an
    address that has one, send a note with sign-in and reset links instead. Both ways
    hash the password once and queue one email (at most SIGNUP_RATE_LIMIT an hour to
    one address). Returns the new user, or None: callers must not tell the two apart."""
    user = None
    if not User.objects.filter(email__iexact=email).exists():
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=email, password=password)
        except IntegrityError:  # a sign-up with the same address won the race
            user = None
    if user is None:
        make_password(password)  # the same slow hashing a new account costs
    if ratelimit.over_limit("signup-email", email, limit=settings.SIGNUP_RATE_LIMIT):
        return user
    if user is not None:
        email_confirm_send(user=user, site_url=site_url)
    else:
        signup_existing_email_send.enqueue(email, site_url)
    return user
