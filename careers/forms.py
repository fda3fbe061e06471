from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(
        max_length=100,
        label="Search",
        error_messages={
            "required": "Type a word or two to search for.",
            "max_length": "That search is too long; use at most %(limit_value)d characters.",
        },
    )

    def clean_q(self):
        query = " ".join(self.cleaned_data["q"].replace("\x00", "").split())
        if not query:
            raise forms.ValidationError("Type a word or two to search for.")
        return query
