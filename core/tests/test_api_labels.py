"""The choice labels beside the codes in API answers (`core.api.ChoiceLabels`)."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import StrictSerializer


class Colour(models.TextChoices):
    RED = "red", _("Red")
    GREEN = "green", _("Green")


class Light(StrictSerializer):
    colour = serializers.ChoiceField(choices=Colour.choices, allow_blank=True)
    secret = serializers.ChoiceField(choices=Colour.choices)
    wish = serializers.ChoiceField(choices=Colour.choices, write_only=True)
    several = serializers.MultipleChoiceField(choices=Colour.choices)


class Withholding(Light):
    """Withholds a code, as the agenda item's serializer withholds an unapproved outcome."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["secret"] = ""
        return data


ROW = {"colour": "red", "secret": "green", "wish": "red", "several": {"red"}}


def test_every_choice_that_answers_has_its_label_in_the_request_language():
    with translation.override("da"):
        data = Light(ROW).data
        assert data["colour_label"] == str(Colour.RED.label) == "Rød"
    with translation.override("en"):
        assert Light(ROW).data["colour_label"] == "Red"
    # neither a write-only nor a multiple choice gets one
    assert "wish_label" not in data and "several_label" not in data
    assert Light({**ROW, "colour": ""}).data["colour_label"] is None


def test_a_withheld_code_has_no_label():
    data = Withholding(ROW).data
    assert data["secret"] == "" and data["secret_label"] is None
    assert data["colour_label"] is not None
    # nested in a list, too
    rows = Withholding([ROW, ROW], many=True).data
    assert [row["secret_label"] for row in rows] == [None, None]


def test_a_label_sent_in_a_request_is_ignored():
    light = Light(data={**ROW, "colour_label": "Grøn", "several": ["red"]})
    assert light.fields["colour_label"].read_only
    assert light.is_valid(), light.errors
    assert "colour_label" not in light.validated_data
    assert light.validated_data["colour"] == "red"
