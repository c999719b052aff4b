"""The video link of an appointment held by video: set by staff of the course's centre, shown only
to the booked person (their personal page; staff see it in the workspace and the API), never on
a public page or in a feed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from appointments.errors import AppointmentClosed
from appointments.models import Appointment, AppointmentStatus
from courses.errors import DomainError, WrongCentre
from courses.models import AppointmentMode
from courses.selectors.tenancy import Actor
from courses.services.audit import audit_record
from courses.services.enrolment_request import is_staff_of

LINK_MAX = 200  # Appointment.video_link's length
https_only = URLValidator(schemes=["https"])


def appointment_video_link_set(*, appointment: Appointment, link: str, actor: Actor) -> Appointment:
    """Give a booked video appointment its link (an https address), or take it away (empty).
    Refused for another centre's appointment, one not held by video, or one no longer booked;
    the audit row says that the link changed, never the link."""
    if not is_staff_of(actor, appointment.course):
        raise WrongCentre(_("This appointment belongs to another centre."))
    link = (link or "").strip()
    if link:
        try:
            if len(link) > LINK_MAX:
                raise ValidationError("too long")
            https_only(link)
        except ValidationError as exc:
            raise DomainError(
                _("Enter the video call's address, starting with https://."), field="video_link"
            ) from exc
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("course__centre", "participant")
            .get(pk=appointment.pk)
        )
        if locked.mode != AppointmentMode.VIDEO:
            raise DomainError(_("This appointment is not held by video."), field="video_link")
        if locked.status != AppointmentStatus.BOOKED:
            raise AppointmentClosed(_("This appointment is no longer booked."))
        if locked.video_link == link:
            return locked
        locked.video_link = link
        locked.save(update_fields=["video_link", "updated_at"])
        audit_record(
            actor=actor,
            action="appointment.video_link",
            target=locked,
            centre=locked.course.centre,
            participant=locked.participant,
            detail={"link": bool(link)},
        )
    return locked
