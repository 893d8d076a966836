# The appraisal models now belong to the appraisals app (its 0001 takes over the tables).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_appraisals"),
        ("appraisals", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="BallotRating"),
                migrations.DeleteModel(name="BallotAnswer"),
                migrations.DeleteModel(name="PaperTally"),
                migrations.DeleteModel(name="BallotCode"),
                migrations.DeleteModel(name="Ballot"),
                migrations.DeleteModel(name="AppraisalTarget"),
                migrations.DeleteModel(name="AppraisalRound"),
            ],
            database_operations=[],
        ),
    ]
