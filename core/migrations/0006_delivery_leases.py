from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_report_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reportfile",
            name="queued_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
