"""The workspace's pages, under /staff/ (config/urls.py)."""

from django.urls import path

from workspace.views import (
    appointment_book,
    appointments,
    closures,
    course_people,
    course_people_export,
    courses,
    interpreters,
    people,
    registers,
    sessions,
    sms,
    terms,
    timetable,
    today,
)
from workspace.views import messages as staff_messages

app_name = "workspace"

urlpatterns = [
    path("", today.today, name="today"),
    path("timetable/", timetable.timetable, name="timetable"),
    path("registers/", registers.registers, name="registers"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session"),
    path("sessions/<int:session_id>/cancel/", sessions.session_cancel, name="session-cancel"),
    path("sessions/<int:session_id>/move/", sessions.session_move, name="session-move"),
    path("sessions/<int:session_id>/restore/", sessions.session_restore, name="session-restore"),
    path("courses/", courses.course_list, name="courses"),
    path("courses/new/", courses.course_new, name="course-new"),
    path("courses/<int:course_id>/", courses.course_edit, name="course"),
    path("courses/<int:course_id>/sessions/new/", sessions.session_add, name="session-add"),
    path("courses/<int:course_id>/copy/", terms.course_copy, name="course-copy"),
    path(
        "courses/<int:course_id>/messages/",
        staff_messages.course_messages,
        name="course-messages",
    ),
    path(
        "sessions/<int:session_id>/messages/",
        staff_messages.session_messages,
        name="session-messages",
    ),
    path("courses/<int:course_id>/people/", course_people.course_people, name="course-people"),
    path(
        "courses/<int:course_id>/people/enrol/",
        course_people.course_people_enrol,
        name="course-people-enrol",
    ),
    path(
        "courses/<int:course_id>/people/export/",
        course_people_export.course_people_export,
        name="course-people-export",
    ),
    path("sessions/<int:session_id>/people/", course_people.session_people, name="session-people"),
    path(
        "sessions/<int:session_id>/people/enrol/",
        course_people.session_people_enrol,
        name="session-people-enrol",
    ),
    path(
        "sessions/<int:session_id>/people/export/",
        course_people_export.session_people_export,
        name="session-people-export",
    ),
    path("places/<int:enrolment_id>/move/", course_people.place_move, name="place-move"),
    path("places/<int:enrolment_id>/cancel/", course_people.place_cancel, name="place-cancel"),
    path("people/", people.people, name="people"),
    path("people/<int:person_id>/", people.person, name="person"),
    path("people/<int:person_id>/sms/", people.person_opt_out, name="person-opt-out"),
    path("people/<int:person_id>/export/", people.person_export, name="person-export"),
    path("people/<int:person_id>/erase/", people.person_erase, name="person-erase"),
    path("sms/", sms.sms_list, name="sms"),
    path("closures/", closures.closure_list, name="closures"),
    path("closures/new/", closures.closure_edit, name="closure-new"),
    path("closures/<int:closure_id>/", closures.closure_edit, name="closure"),
    path("closures/<int:closure_id>/delete/", closures.closure_delete, name="closure-delete"),
    path("appointments/", appointments.appointments_day, name="appointments"),
    path(
        "appointments/sessions/<int:session_id>/book/",
        appointment_book.appointment_book_view,
        name="appointment-book",
    ),
    path(
        "appointments/sessions/<int:session_id>/block/",
        appointments.slot_block_view,
        name="slot-block",
    ),
    path(
        "appointments/sessions/<int:session_id>/unblock/",
        appointments.slot_unblock_view,
        name="slot-unblock",
    ),
    path(
        "appointments/<int:appointment_id>/mark/",
        appointments.appointment_mark_view,
        name="appointment-mark",
    ),
    path(
        "appointments/<int:appointment_id>/video/",
        appointments.appointment_video_view,
        name="appointment-video",
    ),
    path(
        "appointments/<int:appointment_id>/cancel/",
        appointments.appointment_cancel_view,
        name="appointment-cancel",
    ),
    path("interpreters/", interpreters.interpreter_list, name="interpreters"),
    path("interpreters/new/", interpreters.interpreter_edit, name="interpreter-new"),
    path("interpreters/<int:interpreter_id>/", interpreters.interpreter_edit, name="interpreter"),
    path("specialists/", interpreters.specialist_list, name="specialists"),
    path(
        "specialists/<int:user_id>/",
        interpreters.specialist_languages,
        name="specialist-languages",
    ),
]
