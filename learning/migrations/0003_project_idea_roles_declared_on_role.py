from django.db import migrations


class Migration(migrations.Migration):
    """The idea-role link is now declared on careers.Role (models point down the chain of
    apps). Only Django's picture of the models changes: the table and its rows stay."""

    dependencies = [
        ("learning", "0002_topic_state_complete_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="projectidea", name="roles")],
            database_operations=[],
        ),
    ]
