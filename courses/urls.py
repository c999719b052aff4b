from django.urls import path

from courses import enrol_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("centres/<slug:centre>/courses/<slug:course>/", views.course_detail, name="course-detail"),
    path("centres/<slug:centre>/courses/<slug:course>/enrol/", enrol_views.enrol, name="enrol"),
    path("me/<str:token>/", enrol_views.me, name="me"),
    path("me/<str:token>/export/", enrol_views.me_export, name="me-export"),
    path("me/<str:token>/erase/", enrol_views.me_erase, name="me-erase"),
    path("me/<str:token>/sms/<slug:action>/", enrol_views.me_sms, name="me-sms"),
    path(
        "me/<str:token>/enrolments/<int:enrolment_id>/<slug:action>/",
        enrol_views.me_action,
        name="me-action",
    ),
]
