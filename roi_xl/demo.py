"""``roi-xl demo``: the main job on the built-in seed examples, no Excel needed."""

from __future__ import annotations

import argparse

from .excel_functions import FUNCTIONS
from .i18n import language

SEED_EXAMPLES = [
    ("ROI", (10_000_000, 3_500_000, 2_720_000), "seed 002: ROI (net)", "seed 002: ROI(純利益ベース)"),
    ("ROI", (10_000_000, 3_500_000, 2_720_000, "gross"), "seed 002: ROI (gross)",
     "seed 002: ROI(粗利ベース)"),
    ("MARKETING_ROI", (100_000_000, 70_000_000, 5_000_000, 10_000_000),
     "seed 003: marketing ROI", "seed 003: マーケティングROI"),
    ("BACKCALC_FUNNEL", (3_000_000, 500_000, [[0.0666, 0.4, 0.33]]),
     "seed 001: calls needed for 3 000 000 (seed says 6 750)",
     "seed 001: 300万円に必要な架電数(記事では6,750件)"),
    ("FUNNEL_FORECAST", (50, [[0.5, 0.3, 0.667, 0.3]]), "seed 001: orders from 50 leads",
     "seed 001: リード50件からの受注見込み"),
    ("ROAS", (4_000_000, 200_000), "seed 004: ROAS", "seed 004: ROAS"),
    ("CPA", (100_000, 125), "seed 004: CPA", "seed 004: CPA"),
    ("CVR", (200, 4_000), "seed 004: CVR", "seed 004: CVR"),
    ("LTV", (1_500, 1, 6), "seed 004: LTV", "seed 004: LTV"),
]


def seed_results() -> list[tuple[str, str]]:
    """(label, formatted result) for every seed example, in the user's language."""
    from .cli import _format

    ja = language() == "ja"
    rows = []
    for name, args, en, jp in SEED_EXAMPLES:
        value = FUNCTIONS[name](*args)
        if isinstance(value, list):  # funnel tables: show the top and the last stage
            value = value[0][1] if name == "BACKCALC_FUNNEL" else value[-1][1]
            shown = f"{value:,.0f}" if name == "BACKCALC_FUNNEL" else f"{value:,.2f}"
        else:
            shown = _format(value, FUNCTIONS[name].result)
        rows.append((jp if ja else en, shown))
    return rows


def run(args: argparse.Namespace) -> int:
    rows = seed_results()
    width = max(len(label) for label, _ in rows)
    print("roi_xl demo — the seed articles' worked examples, computed correctly:\n")
    for label, shown in rows:
        print(f"  {label:<{width}}  {shown}")
    return 0
