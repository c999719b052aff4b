"""Who sees what in the workspace: staff their centres' courses, trainers the courses they
teach (read-only), a superuser everything."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User as AuthUser
from django.db.models import Q, QuerySet
from django.http import Http404

from courses.models import Centre, Course, Venue
from courses.selectors.tenancy import User, as_user
from scheduling.models import Closure, Session


@dataclass(frozen=True)
class Scope:
    """The user's reach: `managed` centre ids (they may change those), `teaches` (they may see
    the courses they teach). Computed once per request, in two queries."""

    user: AuthUser
    managed: frozenset[int]
    superuser: bool
    teaches: bool

    @property
    def is_manager(self) -> bool:
        return self.superuser or bool(self.managed)

    def _course_q(self, prefix: str = "") -> Q:
        if self.superuser:
            return Q()
        taught = Course.objects.filter(trainers=self.user).values("pk")
        return Q(**{f"{prefix}centre_id__in": self.managed}) | Q(**{f"{prefix}pk__in": taught})

    def courses(self) -> QuerySet[Course]:
        """Every course the user may open in the workspace."""
        return Course.objects.filter(self._course_q()).select_related("centre", "venue")

    def sessions(self) -> QuerySet[Session]:
        return Session.objects.filter(self._course_q("course__")).select_related(
            "course__centre", "venue", "course__venue"
        )

    def managed_courses(self) -> QuerySet[Course]:
        qs = Course.objects.select_related("centre", "venue")
        return qs if self.superuser else qs.filter(centre_id__in=self.managed)

    def centres(self) -> QuerySet[Centre]:
        """The centres the user manages."""
        return (
            Centre.objects.all() if self.superuser else Centre.objects.filter(pk__in=self.managed)
        )

    def venues(self) -> QuerySet[Venue]:
        qs = Venue.objects.select_related("centre").order_by("centre__name", "name")
        return qs if self.superuser else qs.filter(centre_id__in=self.managed)

    def closures(self) -> QuerySet[Closure]:
        """Closures that touch the user's centres: their own and those of every centre."""
        qs = Closure.objects.select_related("centre")
        if self.superuser:
            return qs
        return qs.filter(Q(centre_id__in=self.managed) | Q(centre__isnull=True))

    def manages(self, centre_id: int | None) -> bool:
        if self.superuser:
            return True
        return centre_id is not None and centre_id in self.managed


def scope_for(user: User) -> Scope:
    """The user's scope; Http404 for someone who is neither staff nor a trainer (the workspace
    then does not exist for them)."""
    account = as_user(user)
    if account is None:
        raise Http404
    if account.is_superuser:
        return Scope(account, frozenset(), True, True)
    managed = frozenset(account.staff_centres.values_list("pk", flat=True))
    teaches = account.courses.exists()
    if not managed and not teaches:
        raise Http404
    return Scope(account, managed, False, teaches)
