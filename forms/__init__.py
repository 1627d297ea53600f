"""The wizard's forms: one module per group of steps, all on `forms.base.StepForm`."""
