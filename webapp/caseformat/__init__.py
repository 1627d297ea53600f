"""The case formats `traject-case/1` and `traject-samenwerking/1`: allowed values, schemas and validation."""
from webapp.caseformat.enums import CASE_FORMAAT, FORMATEN, LABELS, SAMENWERKING_FORMAAT, choices, label
from webapp.caseformat.schema import CASE_SCHEMA, SAMENWERKING_SCHEMA
from webapp.caseformat.validate import (CaseFormatError, Problem, check, load, parse_json, regulation_problems,
                                       validate)
from webapp.caseformat.warnings import warnings


__all__ = [
    'CASE_FORMAAT', 'CASE_SCHEMA', 'FORMATEN', 'LABELS', 'SAMENWERKING_FORMAAT', 'SAMENWERKING_SCHEMA',
    'CaseFormatError', 'Problem', 'check', 'choices', 'label', 'load', 'parse_json', 'regulation_problems', 'validate',
    'warnings',
]
