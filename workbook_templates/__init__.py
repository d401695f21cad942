"""One declarative definition per budget workbook template (SPEC §4).

Each module holds ``TEMPLATE``, a :class:`roi_xl.templates.model.Template`: texts in
Japanese and English, the seed's worked example as input values, and which metric of
:mod:`roi_xl.templates.formulas` each result cell uses. ``roi_xl.templates`` builds them.
"""
