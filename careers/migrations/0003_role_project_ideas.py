from django.db import migrations, models


class Migration(migrations.Migration):
    """Declares on Role the idea-role link that learning.ProjectIdea used to declare, over
    the same table, so no row moves."""

    dependencies = [
        ("careers", "0002_initial"),
        ("learning", "0003_project_idea_roles_declared_on_role"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="role",
                    name="project_ideas",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="learning_projectidea_roles",
                        help_text="Portfolio project ideas that show this role's skills.",
                        related_name="roles",
                        to="learning.projectidea",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
