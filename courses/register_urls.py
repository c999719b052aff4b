"""The trainers' register: /register/ (my sessions), /register/<session id>/ and its parts."""

from django.urls import path

from courses import register_views

urlpatterns = [
    path("register/", register_views.my_sessions, name="register-sessions"),
    path("register/<int:session_id>/", register_views.register, name="register"),
    path("register/<int:session_id>/marks/", register_views.register_marks, name="register-marks"),
    path("register/<int:session_id>/sheet/", register_views.sign_in_sheet, name="register-sheet"),
]
