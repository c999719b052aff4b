from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.conf import settings

        from notifications import receivers  # noqa: F401 - connects the receivers
        from notifications.pricing import PriceSpecError, parse_prices

        # A price list that cannot be read stops every process at startup, not a preview later.
        try:
            parse_prices(settings.SMS_PRICE_PER_SEGMENT)
        except PriceSpecError as exc:
            raise ImproperlyConfigured(f"SMS_PRICE_PER_SEGMENT: {exc}") from exc
