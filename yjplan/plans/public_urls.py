"""Published plans: public, read-only, no sign-in (views in views_public), under /published/."""

from django.urls import path

from yjplan.plans import views_public as public

urlpatterns = [
    path("<slug:partnership>/", public.partnership_plans, name="public_partnership_plans"),
    path("<slug:partnership>/<slug:plan>/", public.plan_page, name="public_plan"),
    path("<slug:partnership>/<slug:plan>/plan.pdf", public.plan_pdf, name="public_plan_pdf"),
    path("<slug:partnership>/<slug:plan>/plan.json", public.plan_json, name="public_plan_json"),
]
