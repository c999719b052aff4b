from django.urls import path

from scheduling import views

# The calendar feeds, which calendar clients poll all day: also answered ahead of most of the
# middleware (config.feeds.CalendarFeeds).
feed_patterns = [
    path("calendars/private/<str:token>.ics", views.private_calendar, name="calendar-private"),
    path("calendars/<slug:centre>.ics", views.centre_calendar, name="calendar-centre"),
    path(
        "calendars/<slug:centre>/<slug:course>.ics", views.course_calendar, name="calendar-course"
    ),
]

urlpatterns = [
    path("centres/<slug:centre>/", views.centre_page, name="centre-detail"),
    path("centres/<slug:centre>/logo/", views.centre_logo, name="centre-logo"),
    path("embed/<slug:centre>/", views.embed, name="embed"),
    *feed_patterns,
]
