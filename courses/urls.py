from django.urls import path

from courses import views

urlpatterns = [
    path("", views.home, name="home"),
    path("centres/<slug:centre>/courses/<slug:course>/", views.course_detail, name="course-detail"),
]
