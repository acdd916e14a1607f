from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    """National indicators and KPIs, observations, comparators and self-assessments (spoke)."""

    name = "performance"
    verbose_name = "Performance"

    def ready(self):
        from performance import blocks  # noqa: F401 - registers blocks, tile, nav, attention and audited models
        from performance.capability import blocks as capability_blocks  # noqa: F401 - self-assessment blocks, tile, PDF, audit
        from performance.standards import blocks as standards_blocks  # noqa: F401 - National Standards and HMIP
