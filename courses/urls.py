"""Every page of the courses app: public pages, enrolment, the personal page, the trainers'
register and the reports."""

from django.urls import path

from courses.views import enrol, me, public, register, reports

urlpatterns = [
    path("register/", register.my_sessions, name="register-sessions"),
    path("register/<int:session_id>/", register.register, name="register"),
    path("register/<int:session_id>/marks/", register.register_marks, name="register-marks"),
    path("register/<int:session_id>/sheet/", register.sign_in_sheet, name="register-sheet"),
    path("reports/", reports.funder_report, name="reports"),
    path("reports/funder.csv", reports.funder_csv, name="report-funder-csv"),
    path("reports/funder.xlsx", reports.funder_xlsx, name="report-funder-xlsx"),
    path("reports/courses/<int:course_id>/", reports.course_report, name="report-course"),
    path(
        "reports/courses/<int:course_id>/attendance.csv",
        reports.course_csv,
        name="report-course-csv",
    ),
    path(
        "reports/courses/<int:course_id>/attendance.xlsx",
        reports.course_xlsx,
        name="report-course-xlsx",
    ),
    path("", public.home, name="home"),
    path(
        "centres/<slug:centre>/courses/<slug:course>/", public.course_detail, name="course-detail"
    ),
    path("centres/<slug:centre>/courses/<slug:course>/enrol/", enrol.enrol, name="enrol"),
    path("me/<str:token>/", me.me, name="me"),
    path("me/<str:token>/export/", me.me_export, name="me-export"),
    path("me/<str:token>/erase/", me.me_erase, name="me-erase"),
    path("me/<str:token>/sms/<slug:action>/", me.me_sms, name="me-sms"),
    path(
        "me/<str:token>/enrolments/<int:enrolment_id>/<slug:action>/",
        me.me_action,
        name="me-action",
    ),
]
