"""A newcomer's first steps: the action that made them sign up, carried through sign-up or
sign-in (the "intent"), then a short onboarding (target role, weekly hours, what they
already know, one core module a screen), every step skippable and a plain form post.

An intent travels as one query or form value, `intent`:
- `target:<role slug>`: make this role the learner's target;
- `topic:<topic slug>:<state>`: set the learner's state on a topic.
Pages that need an account link to sign-up with it (learning builds the same string), and
sign-up and sign-in carry it out in their own POST, which is CSRF-protected.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.services import target_role_set, weekly_hours_set
from careers.models import Role
from careers.readiness import role_progress
from common.redirects import safe_next
from learning.models import Topic, TopicState
from learning.progress import learner_marks
from learning.services import topic_state_set

# The intent


@dataclass(frozen=True)
class Intent:
    value: str
    role: Role | None = None
    topic: Topic | None = None
    state: str = ""

    @property
    def description(self) -> str:
        """What will be saved, after "Create a free account to"."""
        if self.role is not None:
            return f"save {self.role.title} as your target"
        label = TopicState.State(self.state).label.lower()
        return f"mark “{self.topic.title}” as {label}"


def intent_parse(value: str) -> Intent | None:
    """The intent a value names, or None when it names nothing that exists."""
    kind, _, rest = (value or "")[:200].partition(":")
    if kind == "target" and rest:
        role = Role.objects.active().filter(slug=rest).first()
        return Intent(value, role=role) if role else None
    if kind == "topic":
        slug, _, state = rest.partition(":")
        if state not in TopicState.State.values:
            return None
        topic = Topic.objects.active().filter(slug=slug).select_related("module").first()
        return Intent(value, topic=topic, state=state) if topic else None
    return None


def intent_from(request) -> Intent | None:
    return intent_parse(request.POST.get("intent") or request.GET.get("intent", ""))


def intent_apply(*, user, intent: Intent) -> str:
    """Carry out the intent for the (new or returning) learner; returns what was done."""
    if intent.role is not None:
        target_role_set(user=user, role=intent.role)
        return f"Your target role is now {intent.role.title}."
    topic_state_set(user=user, topic=intent.topic, state=intent.state)
    label = TopicState.State(intent.state).label.lower()
    return f"“{intent.topic.title}” is now marked {label}."


def signup_url(*, intent: str, next_url: str) -> str:
    return f"{reverse('accounts:signup')}?{urlencode({'intent': intent, 'next': next_url})}"


# Onboarding

WEEKLY_HOURS = [
    (2, "2 h a week: a little, steadily"),
    (5, "5 h a week: an evening or two"),
    (10, "10 h a week: a serious side project"),
    (20, "20 h a week: half of my time"),
    (40, "40 h a week: full time"),
]
STEPS = 3


def onboarding_start_url(next_url: str = "") -> str:
    url = reverse("accounts:onboarding-role")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _step_url(request, name: str, **kwargs) -> str:
    """The URL of an onboarding step (or any page), keeping where the learner goes after."""
    url = reverse(name, kwargs=kwargs or None)
    next_url = safe_next(request, "")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _finish(request):
    return redirect(safe_next(request, reverse("careers:dashboard")))


class RoleStepForm(forms.Form):
    role = forms.ModelChoiceField(
        queryset=Role.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="The role you are aiming for",
        error_messages={"required": "Choose a role, or skip this step."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Role.objects.active().order_by("order", "title")


class PaceStepForm(forms.Form):
    weekly_hours = forms.TypedChoiceField(
        choices=WEEKLY_HOURS,
        coerce=int,
        widget=forms.RadioSelect,
        label="Time you can give to learning",
        error_messages={"required": "Choose how many hours a week, or skip this step."},
    )


class KnownStepForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Topics you already know",
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(pk__in=[t.pk for t in topics])


def _context(request, step: int, **extra) -> dict:
    return {"step": step, "steps": STEPS, "next": safe_next(request, ""), **extra}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def onboarding_role(request):
    """Step 1: confirm or choose the target role."""
    form = RoleStepForm(
        request.POST if request.method == "POST" else None,
        initial={"role": request.user.target_role_id},
    )
    if form.is_valid():
        target_role_set(user=request.user, role=form.cleaned_data["role"])
        return redirect(_step_url(request, "accounts:onboarding-pace"))
    return _choice_step(
        request,
        1,
        form["role"],
        title="Your target role",
        heading="Which role are you aiming for?",
        lead="Your dashboard measures how far you are from this role. You can change it at "
        "any time without losing progress.",
        action=reverse("accounts:onboarding-role"),
        skip_url=_step_url(request, "accounts:onboarding-pace"),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def onboarding_pace(request):
    """Step 2: how many hours a week, so the dashboard can give a date."""
    user = request.user
    initial = {"weekly_hours": user.weekly_hours} if user.pace_chosen else {}
    form = PaceStepForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        weekly_hours_set(user=user, hours=form.cleaned_data["weekly_hours"])
        return redirect(_step_url(request, "accounts:onboarding-known", index=1))
    return _choice_step(
        request,
        2,
        form["weekly_hours"],
        title="Your weekly hours",
        heading="How much time can you give each week?",
        lead="With this your dashboard can say when you could be ready. An honest guess is "
        "enough; you can change it in Settings.",
        action=reverse("accounts:onboarding-pace"),
        skip_url=_step_url(request, "accounts:onboarding-known", index=1),
    )


def _choice_step(request, step: int, field, **text):
    """A step that asks one choice (the role, the pace): 400 with the form's errors."""
    context = _context(request, step, form=field.form, field=field, **text)
    return render(
        request,
        "accounts/onboarding_choice.html",
        context,
        status=400 if field.form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def onboarding_known(request, index):
    """Step 3: what the learner already knows, one core module of their target a screen;
    ticked topics are marked "already know it", unticked ones they had so marked go back to
    "not started", and topics they have done are left alone."""
    role = request.user.target_role
    core = role_progress(request.user, role).core_modules if role and not role.is_archived else []
    if not 1 <= index <= len(core):
        return _finish(request)
    module = core[index - 1].module
    topics = learner_marks(
        request.user, list(Topic.objects.active().filter(module=module).for_rows())
    )
    open_topics = [t for t in topics if t.user_state != TopicState.State.DONE]
    known = [t.pk for t in open_topics if t.user_state == TopicState.State.SKIPPED]
    form = KnownStepForm(
        request.POST if request.method == "POST" else None,
        topics=open_topics,
        initial={"topics": known},
    )
    following = (
        _step_url(request, "accounts:onboarding-known", index=index + 1)
        if index < len(core)
        else safe_next(request, reverse("careers:dashboard"))
    )
    if form.is_valid():
        chosen = {t.pk for t in form.cleaned_data["topics"]}
        for topic in open_topics:
            if topic.pk in chosen and topic.user_state != TopicState.State.SKIPPED:
                topic_state_set(user=request.user, topic=topic, state=TopicState.State.SKIPPED)
            elif topic.pk not in chosen and topic.user_state == TopicState.State.SKIPPED:
                topic_state_set(user=request.user, topic=topic, state=TopicState.State.NOT_STARTED)
        if index >= len(core):
            messages.success(request, "You are set up. Here is where you stand.")
        return redirect(following)
    context = _context(
        request,
        3,
        form=form,
        role=role,
        module=module,
        done_topics=[t for t in topics if t.user_state == TopicState.State.DONE],
        index=index,
        count=len(core),
        skip_url=following,
    )
    return render(request, "accounts/onboarding_known.html", context)
