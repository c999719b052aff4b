from django.db import migrations, models

import courses.logos


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0014_enrolment_confirmed_and_left"),
    ]

    operations = [
        migrations.AddField(
            model_name="centre",
            name="funding_emblem",
            field=models.CharField(
                blank=True,
                choices=[("eu", "European Union (e.g. AMIF, ESF+)")],
                max_length=8,
                verbose_name="funder's emblem",
            ),
        ),
        migrations.AddField(
            model_name="centre",
            name="funding_text",
            field=models.TextField(
                blank=True,
                help_text="E.g. the project's name and its funding, as the funder asks to show it.",
                verbose_name="funding line",
            ),
        ),
        migrations.AddField(
            model_name="centre",
            name="funding_text_en",
            field=models.TextField(
                blank=True,
                help_text="E.g. the project's name and its funding, as the funder asks to show it.",
                null=True,
                verbose_name="funding line",
            ),
        ),
        migrations.AddField(
            model_name="centre",
            name="funding_text_pl",
            field=models.TextField(
                blank=True,
                help_text="E.g. the project's name and its funding, as the funder asks to show it.",
                null=True,
                verbose_name="funding line",
            ),
        ),
        migrations.AddField(
            model_name="centre",
            name="funding_text_ru",
            field=models.TextField(
                blank=True,
                help_text="E.g. the project's name and its funding, as the funder asks to show it.",
                null=True,
                verbose_name="funding line",
            ),
        ),
        migrations.AddField(
            model_name="centre",
            name="funding_text_uk",
            field=models.TextField(
                blank=True,
                help_text="E.g. the project's name and its funding, as the funder asks to show it.",
                null=True,
                verbose_name="funding line",
            ),
        ),
        migrations.AddField(
            model_name="centre",
            name="logo",
            field=models.FileField(
                blank=True,
                help_text="PNG, JPEG or WebP, at most 512 KB.",
                upload_to="centres/logos/",
                validators=[courses.logos.validate_logo],
                verbose_name="logo",
            ),
        ),
    ]
