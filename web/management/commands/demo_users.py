"""Create (or reset) the demo logins printed by ``make run``. Refuses to run with DEBUG off."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

from boards.models import Membership
from finance.groups import finance_officers_group

# Models OPCC staff enter in the admin.
STAFF_MODELS = [
    "organisation",
    "person",
    "board",
    "membership",
    "meeting",
    "attendance",
    "agendaitem",
    "minuteparagraph",
    "action",
    "declaration",
    "paper",
]

DEMO_PASSWORD = "minutebook-demo"


def opcc_staff_group() -> Group:
    """The "OPCC staff" group: add/change/delete/view on the boards and decisions records, and
    approving minutes, without the right to sign or publish decision notices or to reopen
    approved minutes."""
    group, _ = Group.objects.get_or_create(name="OPCC staff")
    perms = (
        Permission.objects.filter(
            content_type__app_label="boards", content_type__model__in=STAFF_MODELS
        ).exclude(codename="reopen_minutes")
        | Permission.objects.filter(
            content_type__app_label="decisions",
            content_type__model__in=["decisionnotice", "recommendation"],
        ).exclude(
            codename__in=[
                "sign_decisionnotice",
                "publish_decisionnotice",
                "record_historic_signing",
            ]
        )
        | Permission.objects.filter(content_type__app_label__in=["finance", "collaboration"])
        | Permission.objects.filter(content_type__app_label="boards", codename="read_restricted")
    )
    group.permissions.set(perms)
    return group


def signatories_group() -> Group:
    """The "Signatories" group: may sign, publish and withdraw decision notices, and reopen
    approved minutes with a reason."""
    group, _ = Group.objects.get_or_create(name="Signatories")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="decisions",
            codename__in=[
                "sign_decisionnotice",
                "publish_decisionnotice",
                "record_historic_signing",
            ],
        )
        | Permission.objects.filter(
            content_type__app_label="boards", codename__in=["read_restricted", "reopen_minutes"]
        )
    )
    return group


class Command(BaseCommand):
    help = "Create the demo logins (staff, board member, signatory, finance officer) and print them. Development only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_users only runs with DJANGO_DEBUG on: it sets known passwords."
            )
        User = get_user_model()
        staff, _ = User.objects.get_or_create(
            username="staff", defaults={"first_name": "Demo", "last_name": "Staff"}
        )
        staff.is_staff = True
        staff.set_password(DEMO_PASSWORD)
        staff.save()
        staff.groups.add(opcc_staff_group())

        member, _ = User.objects.get_or_create(
            username="member", defaults={"first_name": "Demo", "last_name": "Member"}
        )
        member.is_staff = False
        member.set_password(DEMO_PASSWORD)
        member.save()
        # The demo member reads as a sitting member of the first board with a current membership.
        membership = (
            Membership.objects.filter(end__isnull=True).select_related("person", "board").first()
        )
        note = "no board membership to link"
        if membership and (membership.person.user_id in (None, member.pk)):
            membership.person.user = member
            membership.person.save()
            note = f"sees exempt items of {membership.board}"

        signatory, _ = User.objects.get_or_create(
            username="signatory", defaults={"first_name": "Demo", "last_name": "Signatory"}
        )
        signatory.is_staff = True
        signatory.set_password(DEMO_PASSWORD)
        signatory.save()
        signatory.groups.add(opcc_staff_group(), signatories_group())

        finance, _ = User.objects.get_or_create(
            username="finance", defaults={"first_name": "Demo", "last_name": "Finance officer"}
        )
        finance.is_staff = True
        finance.set_password(DEMO_PASSWORD)
        finance.save()
        finance.groups.add(finance_officers_group(reset=False))

        self.stdout.write("Demo logins (development only):")
        self.stdout.write(f"  OPCC staff    staff / {DEMO_PASSWORD}   (admin at /admin/)")
        self.stdout.write(f"  Board member  member / {DEMO_PASSWORD}  ({note})")
        self.stdout.write(
            f"  Signatory     signatory / {DEMO_PASSWORD}  (signs and publishes decision notices)"
        )
        self.stdout.write(
            f"  Finance       finance / {DEMO_PASSWORD}    (edits financial lines, not minutes)"
        )
