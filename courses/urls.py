"""Every page of the courses app: public pages, enrolment, the personal page, the trainers'
register and the reports."""

from django.urls import path
from django.views.decorators.cache import never_cache

from courses.views import enrol, me, me_party, privacy, public, register, reports

# The register and the reports show people's names and attendance: no cache, shared or the
# browser's, may keep them (`never_cache`: Cache-Control: no-store and friends).
urlpatterns = [
    path("register/", never_cache(register.my_sessions), name="register-sessions"),
    path("register/<int:session_id>/", never_cache(register.register), name="register"),
    path(
        "register/<int:session_id>/marks/",
        never_cache(register.register_marks),
        name="register-marks",
    ),
    path(
        "register/<int:session_id>/sheet/",
        never_cache(register.sign_in_sheet),
        name="register-sheet",
    ),
    path("reports/", never_cache(reports.funder_report), name="reports"),
    path("reports/funder.csv", never_cache(reports.funder_csv), name="report-funder-csv"),
    path("reports/funder.xlsx", never_cache(reports.funder_xlsx), name="report-funder-xlsx"),
    path(
        "reports/courses/<int:course_id>/",
        never_cache(reports.course_report),
        name="report-course",
    ),
    path(
        "reports/courses/<int:course_id>/attendance.csv",
        never_cache(reports.course_csv),
        name="report-course-csv",
    ),
    path(
        "reports/courses/<int:course_id>/attendance.xlsx",
        never_cache(reports.course_xlsx),
        name="report-course-xlsx",
    ),
    path("", public.home, name="home"),
    path(
        "centres/<slug:centre>/courses/<slug:course>/", public.course_detail, name="course-detail"
    ),
    path("centres/<slug:centre>/courses/<slug:course>/enrol/", enrol.enrol, name="enrol"),
    path("privacy/", privacy.privacy_index, name="privacy"),
    path("centres/<slug:centre>/privacy/", privacy.privacy_notice, name="centre-privacy"),
    path("me/<str:token>/", me.me, name="me"),
    path("me/<str:token>/export/", me.me_export, name="me-export"),
    path("me/<str:token>/erase/", me.me_erase, name="me-erase"),
    path("me/<str:token>/sms/<slug:action>/", me.me_sms, name="me-sms"),
    path("me/<str:token>/language/", me.me_language, name="me-language"),
    path(
        "me/<str:token>/enrolments/<int:enrolment_id>/<slug:action>/",
        me.me_action,
        name="me-action",
    ),
    path(
        "me/<str:token>/enrolments/<int:enrolment_id>/people/<slug:who>/give-up/",
        me_party.me_member_cancel,
        name="me-member-cancel",
    ),
]
