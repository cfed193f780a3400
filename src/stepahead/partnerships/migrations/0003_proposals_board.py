"""The proposals board's needs: Partnership.cross_function (filled for the partnerships that
exist already) and an index that orders a programme's proposals by score."""

from typing import Any

from django.conf import settings
from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    partnership = apps.get_model("partnerships", "Partnership")
    member = apps.get_model("partnerships", "PartnershipMember")
    functions: dict[int, set[str]] = {}
    rows = member.objects.values_list("partnership_id", "enrolment__person__function").iterator()
    for pk, function in rows:
        if function:
            functions.setdefault(pk, set()).add(function)
    crossing = [pk for pk, found in functions.items() if len(found) > 1]
    for start in range(0, len(crossing), 500):
        partnership.objects.filter(pk__in=crossing[start : start + 500]).update(cross_function=True)


class Migration(migrations.Migration):
    dependencies = [
        ("matchruns", "0002_lease_and_cancel"),
        ("organisations", "0002_shared_cache_table"),
        ("partnerships", "0002_partnership_activated_at_partnership_ended_at_and_more"),
        ("programmes", "0006_time_limit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="partnership",
            name="partnership_program_ec41c8_idx",
        ),
        migrations.AddField(
            model_name="partnership",
            name="cross_function",
            field=models.BooleanField(
                default=False, help_text="Its members come from more than one function."
            ),
        ),
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(
                fields=["programme", "status", "score"], name="partnership_program_6730ee_idx"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
