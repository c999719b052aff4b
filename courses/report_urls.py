"""Reports for staff and funders: /reports/..."""

from django.urls import path

urlpatterns: list = []  # filled by courses.report_views
