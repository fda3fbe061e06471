from django import forms

from careers.models import Role


class RoleFilterForm(forms.Form):
    """The role list's filters; an unknown value is reported, not obeyed."""

    focus = forms.ChoiceField(
        choices=[("", "Any focus"), *Role.Focus.choices], required=False, label="Focus"
    )
    seniority = forms.ChoiceField(
        choices=[("", "Any seniority"), *Role.Seniority.choices],
        required=False,
        label="Seniority",
    )

    def filter(self, roles):
        if not self.is_valid():
            return roles
        if focus := self.cleaned_data["focus"]:
            roles = roles.filter(focus=focus)
        if seniority := self.cleaned_data["seniority"]:
            roles = roles.filter(seniority=seniority)
        return roles
