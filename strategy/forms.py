"""Forms of strategy: a strategy with its document, and a goal.

Rules live on the models (`clean`) and in `strategy.services`; these forms collect input.
A project's links to goals, focus areas and SDGs are chosen on the project
(`portfolio.forms.projects.ProjectLinksForm`).
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.forms import TenantModelForm, style_fields
from documents import scan
from meetings.uploads import check_upload, extension
from strategy.models import Goal, Strategy

# The documents a strategy may carry.
DOCUMENT_EXTENSIONS = ("pdf", "docx")


class StrategyForm(TenantModelForm):
    """A strategy: title, period, vision, approval, and its document (a PDF or Word file
    uploaded here, checked and scanned for viruses, or a link). `user` is who uploads it."""

    document = forms.FileField(
        label=_("Document"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
        help_text=_("A PDF or Word file (.pdf, .docx)."),
    )
    remove_document = forms.BooleanField(label=_("Remove the uploaded document"), required=False)
    document_url = forms.URLField(
        label=_("Link to the document"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the document is published, e.g. on the municipality's website."),
    )

    class Meta(TenantModelForm.Meta):
        model = Strategy
        fields = [
            "title",
            "start_year",
            "end_year",
            "vision",
            "approved_by",
            "approved_on",
            "document",
            "document_url",
        ]
        widgets = {"vision": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("start_year", "end_year"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
        if not self.instance.document:
            del self.fields["remove_document"]
        else:
            self.fields["document"].help_text = _(
                "A PDF or Word file (.pdf, .docx). A new file replaces “%(name)s”."
            ) % {"name": self.instance.document.name.rsplit("/", 1)[-1]}
        style_fields(self)

    def clean_document(self):
        uploaded = self.cleaned_data.get("document")
        if not isinstance(uploaded, UploadedFile):
            return None  # nothing new: the document stays as it is
        if extension(uploaded.name) not in DOCUMENT_EXTENSIONS:
            raise forms.ValidationError(
                _("Upload a PDF or Word document (.pdf, .docx)."), code="extension"
            )
        check_upload(uploaded)  # size and content: a .pdf must be a PDF
        scan.check_clean(uploaded, user=self.user, sender=type(self))
        return uploaded

    def save(self, commit=True):
        strategy = super().save(commit=False)
        if self.cleaned_data.get("remove_document") and not self.cleaned_data.get("document"):
            strategy.document = ""
        if commit:
            strategy.save()
        return strategy


class GoalForm(TenantModelForm):
    class Meta(TenantModelForm.Meta):
        model = Goal
        fields = ["number", "title", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"position": _("Goals are shown by this number, lowest first.")}

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
