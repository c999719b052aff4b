from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    # Calendar feeds first: calendar clients poll them all day, so they resolve quickest.
    path("", include("scheduling.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("config.api")),
    path("", include("notifications.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("courses.urls")),
]

# A request Django refuses (a body over DATA_UPLOAD_MAX_MEMORY_SIZE...): JSON under /api/.
handler400 = "config.errors.bad_request"
