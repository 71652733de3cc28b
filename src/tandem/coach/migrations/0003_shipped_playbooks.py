"""Load the playbooks Tandem ships with and the new-manager path (coach/playbook_content.py).
Idempotent: a playbook whose slug exists is left as HR edited it."""

from typing import Any

from django.db import migrations

from tandem.coach.playbook_content import NEW_MANAGER_PATH, PLAYBOOKS


def load(apps: Any, schema_editor: Any) -> None:
    Playbook = apps.get_model("coach", "Playbook")
    Step = apps.get_model("coach", "PlaybookStep")
    Question = apps.get_model("coach", "PlaybookQuestion")
    Path = apps.get_model("coach", "PlaybookPath")
    Item = apps.get_model("coach", "PlaybookPathItem")
    for data in PLAYBOOKS:
        if Playbook.objects.filter(slug=data["slug"]).exists():
            continue
        playbook = Playbook.objects.create(
            slug=data["slug"], title=data["title"], summary=data["summary"],
            ordering=data["ordering"],
        )  # fmt: skip
        for n, (title, body) in enumerate(data["steps"], 1):
            Step.objects.create(playbook=playbook, position=n, title=title, body=body)
        for n, (prompt, choices, answer, explanation) in enumerate(data["questions"], 1):
            Question.objects.create(
                playbook=playbook, position=n, prompt=prompt, choices=list(choices),
                answer=answer, explanation=explanation,
            )  # fmt: skip
    path, _ = Path.objects.get_or_create(
        slug=NEW_MANAGER_PATH["slug"],
        defaults={"title": NEW_MANAGER_PATH["title"], "summary": NEW_MANAGER_PATH["summary"]},
    )
    if not Item.objects.filter(path=path).exists():
        for n, slug in enumerate(NEW_MANAGER_PATH["playbooks"], 1):
            playbook = Playbook.objects.filter(slug=slug).first()
            if playbook is not None:
                Item.objects.create(path=path, playbook=playbook, position=n)


class Migration(migrations.Migration):
    dependencies = [("coach", "0002_playbooks")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
