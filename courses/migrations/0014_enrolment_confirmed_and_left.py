"""When each place was confirmed and when it stopped being confirmed, filled in from the
enrolment's history (its last change to confirmed, and the first change away after it); rows
without a history use their arrival (confirmed ones) and their last change (left ones)."""

from django.db import migrations, models

BATCH = 2000


def backfill(apps, schema_editor):
    Enrolment = apps.get_model("courses", "Enrolment")
    EnrolmentEvent = apps.get_model("courses", "EnrolmentEvent")
    history: dict[int, list[tuple[str, str, object]]] = {}
    for enrolment_id, before, after, at in (
        EnrolmentEvent.objects.order_by("enrolment_id", "at", "id")
        .values_list("enrolment_id", "from_status", "to_status", "at")
        .iterator(chunk_size=BATCH)
    ):
        history.setdefault(enrolment_id, []).append((before, after, at))
    changed = []
    for enrolment in Enrolment.objects.order_by("pk").iterator(chunk_size=BATCH):
        confirmed_at = left_at = None
        for before, after, at in history.get(enrolment.pk, []):
            if after == "confirmed":
                confirmed_at, left_at = at, None
            elif before == "confirmed" and confirmed_at is not None and left_at is None:
                left_at = at
        if confirmed_at is None and enrolment.status == "confirmed":
            confirmed_at = enrolment.created_at
        if confirmed_at is not None and left_at is None and enrolment.status != "confirmed":
            left_at = enrolment.updated_at
        if confirmed_at is not None:
            enrolment.confirmed_at, enrolment.left_at = confirmed_at, left_at
            changed.append(enrolment)
        if len(changed) >= BATCH:
            Enrolment.objects.bulk_update(changed, ["confirmed_at", "left_at"])
            changed = []
    Enrolment.objects.bulk_update(changed, ["confirmed_at", "left_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0013_audit_message_sent"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="place confirmed at"),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="left_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="place left at"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
