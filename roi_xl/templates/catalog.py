"""Find template definitions in ``workbook_templates/`` by the name users type."""

from __future__ import annotations

import importlib

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
)


class UnknownTemplateError(LookupError):
    """No template of that name; the message lists the names there are."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"unknown template {name!r}; choose one of: {', '.join(NAMES)}")


def get(name: str) -> Template:
    """The definition of template ``name`` (``funnel-budget`` or ``funnel_budget``)."""
    key = name.strip().lower().replace("_", "-")
    if key not in NAMES:
        raise UnknownTemplateError(name)
    module = importlib.import_module(f"workbook_templates.{key.replace('-', '_')}")
    template: Template = module.TEMPLATE
    return template


def all_templates() -> list[Template]:
    return [get(n) for n in NAMES]
