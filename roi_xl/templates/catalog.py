"""Find template definitions in ``workbook_templates/`` by the name users type."""

from __future__ import annotations

import importlib

from ..errors import UnknownTemplateError
from .model import Template

#: The templates, in the order `roi-xl list` shows them.
NAMES: tuple[str, ...] = (
    "roi",
    "marketing-roi",
    "funnel-budget",
    "event-roi",
    "lift-test",
    "roi-ranking",
    "kpi",
    "attribution",
    "mmm",
)


def get(name: str) -> Template:
    """The definition of template ``name`` (``funnel-budget`` or ``funnel_budget``).

    Parameters
    ----------
    name : str
        A name of :data:`NAMES` (``-`` or ``_``, any case).

    Returns
    -------
    Template

    Raises
    ------
    UnknownTemplateError
        For any other name; the message lists the names there are.
    """
    key = name.strip().lower().replace("_", "-")
    if key not in NAMES:
        raise UnknownTemplateError(name, NAMES)
    module = importlib.import_module(f"workbook_templates.{key.replace('-', '_')}")
    template: Template = module.TEMPLATE
    return template


def all_templates() -> list[Template]:
    """Every template definition.

    Parameters
    ----------
    None

    Returns
    -------
    list of Template
        In the order of :data:`NAMES`.
    """
    return [get(n) for n in NAMES]
