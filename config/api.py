"""Every resource of the REST API under /api/v1/: the router's and the registers'."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from appointments.api.appointments import AppointmentViewSet
from appointments.api.slots import SlotsView
from courses.api.attendance import SessionAttendanceView
from courses.api.catalogue import CentreViewSet, CourseViewSet, VenueViewSet
from courses.api.enrolments import EnrolmentViewSet
from notifications.api import CourseMessagePreviewView, CourseMessageView
from scheduling.api import ClosureViewSet, SessionViewSet

router = DefaultRouter()
router.register("centres", CentreViewSet, basename="centre")
router.register("venues", VenueViewSet, basename="venue")
router.register("courses", CourseViewSet, basename="course")
router.register("sessions", SessionViewSet, basename="session")
router.register("closures", ClosureViewSet, basename="closure")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("appointments", AppointmentViewSet, basename="appointment")

urlpatterns = [
    path("slots/", SlotsView.as_view(), name="slots"),
    path(
        "courses/<int:pk>/messages/preview/",
        CourseMessagePreviewView.as_view(),
        name="course-messages-preview",
    ),
    path("courses/<int:pk>/messages/", CourseMessageView.as_view(), name="course-messages"),
    path(
        "sessions/<int:pk>/attendance/",
        SessionAttendanceView.as_view(),
        name="session-attendance",
    ),
    *router.urls,
]
