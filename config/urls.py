from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from courses.views.accounts import PasswordResetView

urlpatterns = [
    # Calendar feeds first: calendar clients poll them all day, so they resolve quickest.
    path("", include("scheduling.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("config.api")),
    path("", include("notifications.urls")),
    path("staff/", include("workspace.urls")),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("appointments.urls")),
    path("", include("courses.urls")),
]

# A request Django refuses (a body over DATA_UPLOAD_MAX_MEMORY_SIZE...): JSON under /api/.
handler400 = "config.errors.bad_request"
# A URL no route matches: JSON under /api/ too.
handler404 = "config.errors.page_not_found"
# Any exception no view answered: a 503 with Retry-After while the database, cache or broker
# is unavailable; otherwise (a bug) the site's own 500 page.
handler500 = "config.errors.server_error"
