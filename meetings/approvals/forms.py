"""The participant's remark on the minutes (bemærkning til referatet)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import style_fields

MAX_REMARK = 4000


class RemarkForm(forms.Form):
    comment = forms.CharField(
        label=_("Your remark on the minutes"),
        max_length=MAX_REMARK,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The secretary sees it on the meeting's page. You can still approve later."),
        error_messages={"required": _("Write your remark on the minutes.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
