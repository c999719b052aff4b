from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = _("Scheduling")

    def ready(self) -> None:
        from django.utils import autoreload

        from scheduling import release

        # This release's digests from the files the process started with, not from files
        # replaced later under a running worker that still renders the old ones.
        release.html_version()
        release.texts_version()
        autoreload.file_changed.connect(release.forget, dispatch_uid="release-forget")
