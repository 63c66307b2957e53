from django.apps import AppConfig


class ClinicianConfig(AppConfig):
    name = "crampwise.clinician"
    label = "clinician"
