"""The REST API's router: every resource under /api/v1/."""

from rest_framework.routers import DefaultRouter

from courses.api.catalogue import CentreViewSet, CourseViewSet, VenueViewSet
from courses.api.enrolments import EnrolmentViewSet
from scheduling.api import ClosureViewSet, SessionViewSet

router = DefaultRouter()
router.register("centres", CentreViewSet, basename="centre")
router.register("venues", VenueViewSet, basename="venue")
router.register("courses", CourseViewSet, basename="course")
router.register("sessions", SessionViewSet, basename="session")
router.register("closures", ClosureViewSet, basename="closure")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
