# Placeholder: the appraisal work (rounds, codes, ballots, tallies) fills this in.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_opinion_sorting")]

    operations = []
