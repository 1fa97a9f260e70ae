"""`manage.py import_meeting <user> <meeting.json>`: a past meeting entered whole, as the
API's `meetings/import/` takes it (`meetings.backfill`), for moving a municipality's past
meetings in from files. An attachment's `file` is a path beside the JSON file."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django_scopes import scope

from core.models import User
from core.permissions import has_perm
from meetings import backfill


class Command(BaseCommand):
    help = "Enter a past meeting from a JSON file (see meetings.backfill), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("username", help="who enters it (the body's secretary)")
        parser.add_argument("path", type=Path, help="the meeting as JSON")

    def handle(self, *args, username, path, **options):
        translation.activate("da")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or user.municipality_id is None:
            raise CommandError(f"Ingen aktiv bruger i en kommune hedder {username!r}.")
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path} kan ikke læses som JSON: {error}") from error
        folder = path.resolve().parent

        def open_file(value):
            if not isinstance(value, str):
                raise ValidationError("Angiv filen som en sti ved siden af JSON-filen.")
            file_path = (folder / value).resolve()
            if folder not in file_path.parents or not file_path.is_file():
                raise ValidationError(f"Filen {value!r} findes ikke ved siden af JSON-filen.")
            return SimpleUploadedFile(file_path.name, file_path.read_bytes())

        with scope(municipality=user.municipality_id):
            found = backfill.MeetingImport(data=document)
            if not found.is_valid():
                raise CommandError(_lines(found.errors))
            body = found.validated_data["body"]
            if not has_perm(user, "meetings.edit", body):
                raise CommandError(f"{username} må ikke registrere møder i {body.name}.")
            try:
                meeting = backfill.import_meeting(found.validated_data, user, open_file)
            except ValidationError as error:
                raise CommandError(_lines(error.message_dict)) from error
        self.stdout.write(f"Mødet {meeting.heading} er registreret (id {meeting.pk}).")


def _lines(errors, prefix: str = "") -> str:
    """Every message with where it is, a line each."""
    lines = []
    if isinstance(errors, dict):
        for name, value in errors.items():
            lines.append(_lines(value, f"{prefix}.{name}" if prefix else str(name)))
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if isinstance(value, dict | list):
                lines.append(_lines(value, f"{prefix}[{index}]"))
            else:
                lines.append(f"{prefix}: {value}" if prefix else str(value))
    else:
        lines.append(f"{prefix}: {errors}" if prefix else str(errors))
    return "\n".join(line for line in lines if line)
