"""Validators shared by the learning forms and the learner's data-file import."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# Its own code: a form field replaces the message of an "invalid" error with its own.
http_url = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address starting with http:// or https://.",
    code="http_url",
)


def project_url(value: str) -> None:
    """A plain http(s) address. None with a user name or password in it: in
    `http://host@evil.example/` the real host is the part after the @."""
    http_url(value)
    if "@" in urlsplit(value).netloc:
        raise ValidationError(
            "Leave out the “name@” part: in this address the site is what follows the @, "
            "which is not what it seems.",
            code="userinfo",
        )
