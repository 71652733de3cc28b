from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0015_participant_framework_to_snapshot_references'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='participant',
            name='framework',
        ),
    ]
