"""The guided wizard: which screens (steps.py), what each asks (forms/), and the HTTP glue (views.py)."""
