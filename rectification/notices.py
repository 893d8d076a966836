"""The e-mails the ledger sends: a subject, a text body and an HTML body each."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from units.models import User
from units.selectors import supervisors_of

from .models import RectificationItem


def _send(template: str, context: dict, recipients: list[str]) -> int:
    if not recipients:
        return 0
    subject = render_to_string(f"rectification/email/{template}_subject.txt", context)
    text = render_to_string(f"rectification/email/{template}.txt", context)
    html = render_to_string(f"rectification/email/{template}.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()), text, settings.DEFAULT_FROM_EMAIL, bcc=recipients
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return len(recipients)


def _context(item: RectificationItem) -> dict:
    url = settings.SITE_URL.rstrip("/") + reverse("rectification:item_detail", args=[item.pk])
    return {"item": item, "unit": item.unit, "url": url}


def _addresses(users) -> list[str]:
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def item_completed_notice(*, item_id: int) -> int:
    item = RectificationItem.objects.select_related("unit").get(pk=item_id)
    return _send("item_completed", _context(item), _addresses(supervisors_of(item.unit)))


def item_returned_notice(*, item_id: int) -> int:
    item = RectificationItem.objects.select_related("unit").get(pk=item_id)
    staff = User.objects.filter(is_active=True, role=User.Role.UNIT_STAFF, home_unit=item.unit)
    return _send("item_returned", _context(item), _addresses(staff))
