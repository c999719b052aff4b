"""Reports for staff and funders: /reports/..."""

from django.urls import path

from courses import report_views

urlpatterns = [
    path("reports/", report_views.funder_report, name="reports"),
    path("reports/funder.csv", report_views.funder_csv, name="report-funder-csv"),
    path("reports/funder.xlsx", report_views.funder_xlsx, name="report-funder-xlsx"),
    path("reports/courses/<int:course_id>/", report_views.course_report, name="report-course"),
    path(
        "reports/courses/<int:course_id>/attendance.csv",
        report_views.course_csv,
        name="report-course-csv",
    ),
    path(
        "reports/courses/<int:course_id>/attendance.xlsx",
        report_views.course_xlsx,
        name="report-course-xlsx",
    ),
]
