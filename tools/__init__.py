"""Tools for tests, benchmarks and documentation, run from a checkout (not installed).

- :mod:`tools.libreoffice`: LibreOffice headless as an independent engine (recalculation,
  conversion), for the tests and the refresh benchmark;
- :mod:`tools.render_templates`: ``python -m tools.render_templates`` renders every template
  to PNG for ``docs/templates/``.
"""
