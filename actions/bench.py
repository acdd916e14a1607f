"""Bench data for the actions spoke: the bench partnership's tracker with 150 actions and 1,500 updates,
appended to ``bench.generate.GENERATORS``."""

import datetime as dt

from django.utils import timezone

ACTIONS = 150
UPDATES_PER_ACTION = 10
PRIORITIES = 10
VERBS = ["Review", "Embed", "Agree", "Audit", "Develop", "Monitor", "Refresh", "Deliver", "Evaluate", "Extend"]
TOPICS = [
    "the remand strategy",
    "out-of-court disposals",
    "the transitions protocol",
    "ETE provision for over-16s",
    "the disproportionality action plan",
    "health screening",
    "the resettlement policy",
    "victim contact",
    "the serious violence duty plan",
    "the National Standards self-audit",
    "SEND support",
    "the reoffending toolkit",
]


def generate_tracker(partnerships, rng) -> None:
    from actions.models import Action, Priority, ProgressUpdate
    from bench.generate import bulk
    from yjplan.models import Membership

    partnership = partnerships[0]
    members = list(Membership.objects.filter(partnership=partnership).select_related("user").order_by("pk"))
    today = timezone.localdate()
    priorities = bulk(
        Priority,
        [
            Priority(partnership=partnership, number=str(n), title=f"Priority {n}: {rng.choice(TOPICS)}")
            for n in range(1, PRIORITIES + 1)
        ],
    )
    completions = ["not_started", "red", "amber", "green", "green", "complete"]
    impacts = ["no_impact", "progress_starting", "progress_made"]
    actions = []
    for n in range(ACTIONS):
        priority = priorities[n % PRIORITIES]
        created = timezone.now() - dt.timedelta(days=rng.randint(200, 700))
        actions.append(
            Action(
                partnership=partnership,
                reference=f"{priority.number}.{n // PRIORITIES + 1}",
                priority=priority,
                text=f"{rng.choice(VERBS)} {rng.choice(TOPICS)} with partners and report to the board.",
                target_date=today + dt.timedelta(days=rng.randint(-120, 240)),
                completion=rng.choice(completions),
                impact=rng.choice(impacts),
                outcome="Measured through the quarterly performance report.",
                created_at=created,
            )
        )
    actions = bulk(Action, actions)
    through = Action.leads.through
    bulk(
        through,
        [through(action_id=a.pk, membership_id=m.pk) for a in actions for m in rng.sample(members, rng.randint(1, 2))],
    )
    updates = []
    for action in actions:
        for k in range(UPDATES_PER_ACTION):
            author = rng.choice(members)
            when = action.created_at + dt.timedelta(days=15 * (k + 1) + rng.randint(0, 10))
            when = min(when, timezone.now() - dt.timedelta(days=rng.randint(0, 120)))
            updates.append(
                ProgressUpdate(
                    partnership=partnership,
                    action=action,
                    author=author.user,
                    author_name=author.user.full_name,
                    date=timezone.localtime(when).date(),
                    created_at=when,
                    text=f"Update {k + 1}: {rng.choice(VERBS).lower()}ed {rng.choice(TOPICS)}; next steps agreed.",
                    completion_from=action.completion,
                    completion_to=action.completion,
                    impact_from=action.impact,
                    impact_to=action.impact,
                )
            )
    updates = bulk(ProgressUpdate, updates)
    latest = {}
    for update in updates:
        if update.action_id not in latest or update.created_at >= latest[update.action_id].created_at:
            latest[update.action_id] = update
    for action in actions:
        action.latest_update = latest[action.pk]
        action.last_update_at = latest[action.pk].created_at
    Action.objects.bulk_update(actions, ["latest_update", "last_update_at"], batch_size=500)
