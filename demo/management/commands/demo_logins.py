"""`manage.py demo_logins`: the demo logins as a short table (`make run` prints it)."""

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from core.models import User


class Command(BaseCommand):
    help = "Print the demo logins: username, password, role, municipality and linked person."

    def handle(self, *args, **options):
        from organisation import demo  # the demo data lives with the organisation app

        usernames = [username for username, *_ in demo.demo_users()]
        with scopes_disabled():
            found = {
                user.username: user
                for user in User.objects.filter(username__in=usernames).select_related(
                    "municipality", "person"
                )
            }
        if not found:
            self.stdout.write("Ingen demo-logins fundet. Kør først: manage.py load_demo")
            return

        header = ("Brugernavn", "Adgangskode", "Rolle", "Kommune", "Person")
        rows = []
        for username in usernames:
            user = found.get(username)
            if user is None:
                continue
            person = getattr(user, "person", None)
            password = demo.DEMO_PASSWORD if user.check_password(demo.DEMO_PASSWORD) else "(ændret)"
            rows.append(
                (
                    user.username,
                    password,
                    str(user.get_role_display()),
                    user.municipality.name if user.municipality else "–",
                    f"{person.name}, {person.title}" if person else "–",
                )
            )
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def line(cells):
            return "  ".join(
                cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()

        self.stdout.write("Demo-logins")
        self.stdout.write(line(header))
        self.stdout.write(line(["-" * width for width in widths]))
        for row in rows:
            self.stdout.write(line(row))
