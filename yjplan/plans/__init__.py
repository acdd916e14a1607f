"""The Youth Justice Plan: authoring, review, renditions and the sign-off chain (part of the hub)."""
