"""The Today page: what needs a coordinator's eye this morning, one query per panel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from courses.models import Course, Enrolment, EnrolmentStatus
from notifications.models import MessageStatus, OutboundMessage
from scheduling import rules
from scheduling.models import Closure, Session, SessionStatus
from workspace.selectors.scope import Scope

OFFERS_WITHIN = timedelta(hours=24)  # an offer "about to expire"
FAILED_SMS_DAYS = 7
PANEL_LIMIT = 20
WEEK = 7


@dataclass(frozen=True)
class Today:
    day: date
    today: list[Session]
    week: list[Session]
    waiting: Sequence[Course]
    offers: list[Enrolment]
    failed_sms: list[OutboundMessage]
    without_trainer: list[Course]
    closures: list[Closure]


def local_day_start(day: date) -> datetime:
    return rules.localize(datetime.combine(day, time()), timezone.get_current_timezone())


def today_for(scope: Scope, *, now: datetime | None = None) -> Today:
    """Sessions of today and the next six days, courses with people waiting, offers that end
    within a day, SMS that failed this week, courses to come with no trainer, next closures.
    Trainers see their own courses' sessions and waitlists; the rest is for staff."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    start, end = local_day_start(day), local_day_start(day + timedelta(days=WEEK))
    sessions = list(
        scope.sessions().filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "id")
    )
    tomorrow = local_day_start(day + timedelta(days=1))
    courses = scope.courses()
    waiting = list(
        courses.annotate(
            waiting_count=Count(
                "enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)
            )
        )
        .filter(waiting_count__gt=0)
        .order_by("-waiting_count", "title", "pk")[:PANEL_LIMIT]
    )
    offers = list(
        Enrolment.objects.filter(
            course__in=courses.values("pk"),
            status=EnrolmentStatus.OFFERED,
            offer_expires_at__lte=now + OFFERS_WITHIN,
        )
        .select_related("participant", "course__centre")
        .order_by("offer_expires_at", "pk")[:PANEL_LIMIT]
    )
    failed_sms: list[OutboundMessage] = []
    without_trainer: list[Course] = []
    closures: list[Closure] = []
    if scope.is_manager:
        failed_sms = list(
            OutboundMessage.objects.filter(
                participant__centre__in=scope.centres().values("pk"),
                status__in=[MessageStatus.FAILED, MessageStatus.UNDELIVERED],
                created_at__gte=now - timedelta(days=FAILED_SMS_DAYS),
            )
            .select_related("participant", "session__course")
            .order_by("-created_at", "-pk")[:PANEL_LIMIT]
        )
        without_trainer = list(
            scope.managed_courses()
            .filter(trainers__isnull=True)
            .filter(
                pk__in=Session.objects.filter(
                    status=SessionStatus.SCHEDULED, ends_at__gt=now
                ).values("course_id")
            )
            .order_by("start_date", "title", "pk")[:PANEL_LIMIT]
        )
        closures = list(scope.closures().filter(ends_on__gte=day).order_by("starts_on", "pk")[:5])
    return Today(
        day=day,
        today=[s for s in sessions if s.starts_at < tomorrow],
        week=[s for s in sessions if s.starts_at >= tomorrow],
        waiting=waiting,
        offers=offers,
        failed_sms=failed_sms,
        without_trainer=without_trainer,
        closures=closures,
    )
