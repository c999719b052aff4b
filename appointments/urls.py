"""The appointments' pages: booking a consultation slot (public) and the person's own
appointments under their personal link (/me/<token>/...). The API is in config.api."""

from django.urls import path
from django.views.decorators.cache import never_cache

from appointments.views import booking, me

urlpatterns = [
    path(
        "centres/<slug:centre>/courses/<slug:course>/book/",
        never_cache(booking.book),
        name="appointment-book",
    ),
    path(
        "me/<str:token>/appointments/<int:appointment_id>/cancel/",
        me.appointment_cancel_view,
        name="me-appointment-cancel",
    ),
    path(
        "me/<str:token>/appointments/<int:appointment_id>/move/",
        me.appointment_move_view,
        name="me-appointment-move",
    ),
    path(
        "me/<str:token>/waiting/<int:entry_id>/leave/",
        me.waiting_leave_view,
        name="me-waiting-leave",
    ),
]
