from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0003_register_note"),
    ]

    operations = [
        migrations.AlterField(
            model_name="session",
            name="note",
            field=models.TextField(
                blank=True,
                help_text="Participants see it on the course page, their personal page and in the calendar: why the session is cancelled or moved, what instead.",
                verbose_name="note for participants",
            ),
        ),
    ]
