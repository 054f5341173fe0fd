"""Forms of the library's pages. They check what a form can; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from tenant_apps.resources.files import ACCEPT
from tenant_apps.resources.models import Resource
from tenant_apps.resources.selectors import Topic

LINK_FORMAT = "Enter a link in the correct format, like https://www.example.org/page"


def _too_long(label: str, length: int) -> dict[str, str]:
    return {"max_length": f"{label} must be {length} characters or fewer"}


class LibraryFilterForm(forms.Form):
    """Search and filters of the library; rendered with the values in use, never shown with errors."""

    q = forms.CharField(label="Search the library", required=False, max_length=200)
    kind = forms.ChoiceField(label="Kind of resource", required=False)
    topic = forms.ChoiceField(label="Topic", required=False)

    def __init__(self, *args: Any, topics: list[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        topic_field = self.fields["topic"]
        assert isinstance(kind_field, forms.ChoiceField) and isinstance(topic_field, forms.ChoiceField)
        kind_field.choices = [("", "All kinds"), *Resource.Kind.choices]
        topic_field.choices = [("", "All topics"), *[(t.name, f"{t.name} ({t.count})") for t in topics]]


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title", **_too_long("The title", 200)})
    kind = forms.ChoiceField(
        label="Kind of resource",
        choices=Resource.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of resource this is"},
    )
    topic = forms.CharField(
        required=False,
        max_length=100,
        help_text="For example, Neglect or Child sexual exploitation",
        error_messages=_too_long("The topic", 100),
    )
    summary = forms.CharField(
        required=False,
        max_length=600,
        widget=forms.Textarea,
        help_text="One or two sentences shown in the library",
        error_messages=_too_long("The summary", 600),
    )
    body = forms.CharField(
        label="Text",
        required=False,
        max_length=50000,
        widget=forms.Textarea,
        help_text="The resource itself. For learning objectives, write one objective on each line",
        error_messages=_too_long("The text", 50000),
    )
    link_url = forms.URLField(
        label="Link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="A web page or document elsewhere, starting https://",
        error_messages={"invalid": LINK_FORMAT, **_too_long("The link", 500)},
    )
    file = forms.FileField(
        label="Upload a file",
        required=False,
        help_text=f"A PDF, Word, Excel, PowerPoint or image file ({ACCEPT.replace(',', ', ')}), smaller than 10 MB",
        error_messages={"empty": "The selected file is empty"},
    )
    provider_name = forms.CharField(
        label="Trainer or provider's name",
        required=False,
        max_length=200,
        help_text="Needed for a recommended trainer or provider",
        error_messages=_too_long("The name", 200),
    )
    contact_email = forms.EmailField(
        label="Contact email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    website = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": LINK_FORMAT, **_too_long("The website", 500)},
    )


class AddResourceForm(ResourceForm):
    published = forms.BooleanField(
        label="Publish it now", required=False, help_text="Everyone in the board or partnership will see it"
    )


class EditResourceForm(ResourceForm):
    field_order = ["title", "kind", "topic", "summary", "body", "link_url", "file", "remove_file"]
    remove_file = forms.BooleanField(label="Remove the current file", required=False)

    def __init__(self, *args: Any, has_file: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Replace the file" if has_file else "Upload a file"
        if not has_file:
            del self.fields["remove_file"]
