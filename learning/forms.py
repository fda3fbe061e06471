from django import forms

from learning.models import Module, PortfolioProject, TopicState
from learning.validators import project_url


class TopicStateForm(forms.Form):
    state = forms.ChoiceField(choices=TopicState.State.choices)


class TopicNoteForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Your private note",
        help_text="Markdown. Only you can see it.",
    )

    def clean_note(self):
        note = self.cleaned_data["note"]
        if "\x00" in note:
            raise forms.ValidationError("The note contains a character we cannot store.")
        return note.strip()


class PortfolioProjectForm(forms.ModelForm):
    class Meta:
        model = PortfolioProject
        fields = [
            "title",
            "description",
            "status",
            "repository_url",
            "demo_url",
            "modules",
            "started_on",
            "finished_on",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "modules": forms.CheckboxSelectMultiple,
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "finished_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "repository_url": "Repository URL",
            "demo_url": "Demo URL",
            "modules": "Skills it demonstrates",
        }
        help_texts = {
            "description": "Markdown. What you built, how, and what you learnt.",
            "repository_url": "For example a GitHub or GitLab link.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = Module.objects.active()
        for name in ("repository_url", "demo_url"):
            # Our validator only, so a bad address gets one message, not Django's too.
            self.fields[name].validators = [project_url]

    def clean(self):
        cleaned = super().clean()
        started, finished = cleaned.get("started_on"), cleaned.get("finished_on")
        if started and finished and finished < started:
            self.add_error("finished_on", "The finish date cannot be before the start date.")
        for name in ("title", "description"):
            if "\x00" in (cleaned.get(name) or ""):
                self.add_error(name, "This contains a character we cannot store.")
        return cleaned
