# Money printed only in minutes belongs to the minute paragraph that prints it: a fifth owner
# of a line (issue 11, principle 5). The one-owner constraint covers the five; the record
# order index keeps the minute between the notice and the function, as ?sort=record does.

import django.db.models.deletion
from django.db import migrations, models

HELP_COUNTED = (
    "Untick when the figure repeats, is part of, or was superseded by money recorded in "
    "another line, or was cancelled (say which in the note): it is still listed, never added "
    "to a total."
)
HELP_MINUTE = (
    "The minute paragraph that prints the figure, for money printed only in minutes (no paper "
    "or notice carries it)."
)
RECORD_TYPES = [
    ("paper", "Paper"),
    ("recommendation", "Recommendation"),
    ("decision_notice", "Decision notice"),
    ("minute", "Minute"),
    ("function", "Collaborated function"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0010_meeting_chair_actions_arising_announced_action_due_precision"),
        ("finance", "0015_line_printed_total_of"),
    ]

    operations = [
        migrations.AddField(
            model_name="financialline",
            name="minute_paragraph",
            field=models.ForeignKey(
                blank=True,
                help_text=HELP_MINUTE,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="financial_lines",
                to="boards.minuteparagraph",
                verbose_name="minute",
            ),
        ),
        migrations.AddField(
            model_name="historicalfinancialline",
            name="minute_paragraph",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text=HELP_MINUTE,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="boards.minuteparagraph",
                verbose_name="minute",
            ),
        ),
        migrations.AlterField(
            model_name="financialline",
            name="counted",
            field=models.BooleanField(
                default=True, help_text=HELP_COUNTED, verbose_name="counted in totals"
            ),
        ),
        migrations.AlterField(
            model_name="historicalfinancialline",
            name="counted",
            field=models.BooleanField(
                default=True, help_text=HELP_COUNTED, verbose_name="counted in totals"
            ),
        ),
        migrations.AlterField(
            model_name="linetotal",
            name="record_type",
            field=models.CharField(choices=RECORD_TYPES, max_length=20),
        ),
        migrations.AlterField(
            model_name="columntotal",
            name="record_type",
            field=models.CharField(choices=RECORD_TYPES, max_length=20),
        ),
        migrations.RemoveConstraint(
            model_name="financialline",
            name="financialline_one_owner",
        ),
        migrations.AddConstraint(
            model_name="financialline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("decision_notice__isnull", True),
                        ("minute_paragraph__isnull", True),
                        ("paper__isnull", False),
                        ("recommendation__isnull", True),
                    ),
                    models.Q(
                        ("decision_notice__isnull", True),
                        ("minute_paragraph__isnull", True),
                        ("paper__isnull", True),
                        ("recommendation__isnull", False),
                    ),
                    models.Q(
                        ("decision_notice__isnull", False),
                        ("minute_paragraph__isnull", True),
                        ("paper__isnull", True),
                        ("recommendation__isnull", True),
                    ),
                    models.Q(
                        ("decision_notice__isnull", True),
                        ("minute_paragraph__isnull", False),
                        ("paper__isnull", True),
                        ("recommendation__isnull", True),
                    ),
                    models.Q(
                        ("decision_notice__isnull", True),
                        ("function__isnull", False),
                        ("minute_paragraph__isnull", True),
                        ("paper__isnull", True),
                        ("recommendation__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="financialline_one_owner",
                violation_error_message="A line belongs to exactly one paper, recommendation, "
                "decision notice or minute, or else to a collaborated function.",
            ),
        ),
        migrations.RemoveIndex(
            model_name="financialline",
            name="line_record_order_idx",
        ),
        migrations.AddIndex(
            model_name="financialline",
            index=models.Index(
                fields=[
                    "paper",
                    "recommendation",
                    "decision_notice",
                    "minute_paragraph",
                    "function",
                    "id",
                ],
                name="line_record_order_idx",
            ),
        ),
    ]
