"""Every domain model is in the audit trail, or on the list below with the reason it is not.

A new model in yjplan, budgets, performance, actions or boards fails this test until it has
django-simple-history and ``registry.register_audited`` (docs/developing.md), or an entry here saying why not.
"""

from django.apps import apps

from yjplan.registry import registry

DOMAIN_APPS = ("yjplan", "budgets", "performance", "actions", "boards")

NOT_AUDITED = {
    "yjplan.user": "has history, but a person belongs to several partnerships: no one partnership's timeline shows it",
    "yjplan.documentjob": "a job log (queued, rendering, done) made from audited records; the SHA-256 is its evidence",
    "yjplan.plantemplate": "reference data issued by the YJB, loaded from fixtures, not edited in the service",
    "yjplan.templateheading": "part of a plan template (reference data, as above)",
    "yjplan.sectionrevision": "is itself the history of a section's text: written once, never changed",
    "yjplan.sectiondraft": "an author's unsaved autosave, replaced every few seconds; saving makes a revision",
    "yjplan.dataversion": "a cache counter bumped after every committed write (ADR 014), not a record anyone edits",
    "performance.criticalactivity": "reference data: the capacity and capability framework, loaded from fixtures",
    "performance.outcomearea": "reference data: the framework's nine outcome areas, loaded from fixtures",
    "actions.reminderoptout": "a person's own choice not to get reminder e-mails, not partnership data",
    "actions.reminderdigest": "a log of reminder e-mails sent, written once by the daily task",
}
HISTORY_WITHOUT_TIMELINE = {"yjplan.user"}


def domain_models():
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model._meta.auto_created:
                continue
            yield model._meta.label_lower, model


def test_every_domain_model_has_history_and_a_timeline_or_a_reason():
    missing = []
    for label, model in domain_models():
        if label in NOT_AUDITED:
            continue
        if not hasattr(model, "history"):
            missing.append(f"{label}: no django-simple-history")
        if label not in registry.audited:
            missing.append(f"{label}: not registered with registry.register_audited")
    assert not missing, missing


def test_the_list_of_exceptions_is_current():
    labels = dict(domain_models())
    assert set(NOT_AUDITED) <= set(labels), set(NOT_AUDITED) - set(labels)
    assert not set(NOT_AUDITED) & set(registry.audited)
    for label in HISTORY_WITHOUT_TIMELINE:
        assert hasattr(labels[label], "history")


def test_every_audited_model_keeps_history():
    for key, audited in registry.audited.items():
        assert hasattr(audited.model, "history"), key
