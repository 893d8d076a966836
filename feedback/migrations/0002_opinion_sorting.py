# Placeholder: the opinion sorting work (duplicate groups, trigram index) fills this in.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = []
