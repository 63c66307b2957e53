"""FHIR R4 resources for the diary: building, reading and checking bundles. Django-free."""
