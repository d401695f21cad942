"""The one place where a metric becomes spreadsheet formula text.

Every calculated cell of every template names a metric from :data:`METRICS` and the cells
its parameters come from; the builder fills the pattern with A1 references. ``native`` is
plain Excel (it computes in Excel, LibreOffice and Google Sheets without the add-in);
``udf`` is the same cell as a call of our Excel functions (SPEC §3, ``--udf``), ``None``
where no function of ours covers the cell (sums, ranks, shares stay native).
``native=None`` marks a cell that calls our function by intent even in a native template
(Bayesian A/B, attribution: no portable formula computes them); such a cell shows the
value cached on creation until the add-in is installed (see :func:`add_in_only`).

The native patterns follow the library, not the other way round: funnel stages round up
exactly as :func:`roi_xl.funnel.backcalc_funnel` does (ceil of x − |x|·1e-9), the p-value
is the two-sided normal tail of the pooled z statistic and the interval is Wald's, as in
:mod:`roi_xl.stats`. Tests compare every pattern with the library through LibreOffice.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter

# roi_xl.funnel._CEIL_SLACK: 6.000000000000001 deals are 6, not 7.
CEIL_SLACK = "1E-9"


@dataclass(frozen=True)
class Metric:
    """Formula patterns of one metric; ``{param}`` is replaced by a cell or range."""

    native: str | None
    udf: str | None = None

    @property
    def add_in_only(self) -> bool:
        """True when the cell calls our function in every variant (no native pattern)."""
        return self.native is None

    def _pattern(self, udf: bool) -> str:
        pattern = self.udf if (udf or self.native is None) and self.udf else self.native
        if pattern is None:
            raise ValueError("a metric needs a native or a udf pattern")
        return pattern

    def params(self, udf: bool = False) -> set[str]:
        return {f for _, f, _, _ in Formatter().parse(self._pattern(udf)) if f}

    def formula(self, refs: dict[str, str], udf: bool = False) -> str:
        """``=``-formula text with every ``{param}`` replaced from ``refs``."""
        return "=" + self._pattern(udf).format(**refs)


def _ceil(x: str) -> str:
    return f"ROUNDUP({x}-ABS({x})*{CEIL_SLACK},0)"


_LIFT_ARGS = "{treated_conversions},{treated_size},{control_conversions},{control_size}"
_P2 = "({baseline_rate}+{minimum_detectable_lift})"
_PBAR = f"(({{baseline_rate}}+{_P2})/2)"
_SAMPLE_N = (
    f"(NORMSINV(1-{{alpha}}/2)*SQRT(2*{_PBAR}*(1-{_PBAR}))"
    f"+NORMSINV({{power}})*SQRT({{baseline_rate}}*(1-{{baseline_rate}})"
    f"+{_P2}*(1-{_P2})))^2/({_P2}-{{baseline_rate}})^2"
)

_AB = "{treated_conversions},{treated_size},{control_conversions},{control_size}"
# one channel's row of ATTRIBUTION's spilled table (channel, conversions, value)
_ATTRIBUTION = 'ATTRIBUTION({paths},{conversions},{model},{values},">",{non_conversions})'


# the marketing mix (SPEC §3c): a fit over the history's ranges (cached, so the many cells
# that read one table of it fit once), and the model table the other functions read
def _mmm(measure: str) -> str:
    """MMM's ``measure`` over the history and its lift tests (default forms)."""
    return f'MMM({{revenue}},{{spends}},{{names}},{{controls}},"{measure}",,,{{lift_tests}})'


_PLAN = "{model},{budget},{min_spend},{max_spend}"
_TARGET = "{model},{target_revenue},{min_spend},{max_spend}"
_RANGE = _mmm("draws") + ',{budget},{min_spend},{max_spend},"range"'
_TARGET_RANGE = _mmm("draws") + ',{target_revenue},{min_spend},{max_spend},"range"'
# a channel's response at a steady spend: beta × saturation(spend × 1 ÷ (1 − decay)),
# geometric carryover; Hill (x/half)^shape ÷ (1 + (x/half)^shape) or logistic tanh
_X = "({spend}/(1-{decay}))"
_RESPONSE = (
    f'{{beta}}*IF({{saturation}}="logistic",TANH(LN(3)*{_X}/(2*{{half}})),'
    f"({_X}/{{half}})^{{shape}}/(1+({_X}/{{half}})^{{shape}}))"
)

METRICS: dict[str, Metric] = {
    # plain arithmetic, no function of ours
    "sum": Metric("SUM({cells})"),
    "copy": Metric("{value}"),
    "product": Metric("{a}*{b}"),
    "plus": Metric("{a}+{b}"),
    "minus": Metric("{a}-{b}"),
    "ratio": Metric("{part}/{whole}"),
    "share": Metric("{part}/SUM({all})"),
    "rank": Metric("RANK({value},{values})"),
    "net_profit": Metric("{revenue}-{cost_of_sales}-{investment}"),
    "gross_profit": Metric("{revenue}-{cost_of_sales}"),
    "marketing_profit": Metric("{revenue}-{cost_of_sales}-{selling_expenses}-{marketing_cost}"),
    "cost_of_sales_from_margin": Metric("{revenue}*(1-{gross_margin})"),
    # SPEC §3 metrics
    "roi": Metric(
        "({revenue}-{cost_of_sales}-{investment})/{investment}",
        "ROI({revenue},{cost_of_sales},{investment})",
    ),
    "roi_gross": Metric(
        "({revenue}-{cost_of_sales})/{investment}",
        'ROI({revenue},{cost_of_sales},{investment},"gross")',
    ),
    "marketing_roi": Metric(
        "({revenue}-{cost_of_sales}-{selling_expenses}-{marketing_cost})/{marketing_cost}",
        "MARKETING_ROI({revenue},{cost_of_sales},{selling_expenses},{marketing_cost})",
    ),
    "roas": Metric("{revenue}/{ad_spend}", "ROAS({revenue},{ad_spend})"),
    "cpa": Metric("{cost}/{conversions}", "CPA({cost},{conversions})"),
    "cvr": Metric("{conversions}/{visits}", "CVR({conversions},{visits})"),
    "ltv": Metric(
        "{average_order_value}*{purchase_frequency}*{retention_periods}",
        "LTV({average_order_value},{purchase_frequency},{retention_periods})",
    ),
    # seed 004's chain: LTV → allowable CPA → required CVR (SPEC §3b)
    "allowable_cpa": Metric("{ltv}/(1+{target_roi})", "ALLOWABLE_CPA({ltv},{target_roi})"),
    "required_cvr": Metric(
        "{cost_per_click}/{allowable_cpa}", "REQUIRED_CVR({cost_per_click},{allowable_cpa})"
    ),
    # sample-ratio mismatch: Pearson's chi-square of the two group sizes against the plan
    "split_share": Metric("({a}+{b})*{share}"),
    "split_rest": Metric("({a}+{b})*(1-{share})"),
    "srm_p_value": Metric("CHITEST({sizes},{expected})", "SRM_CHECK({sizes},{expected})"),
    # funnels: {row} is the stage's row in the function's spilled table (top = 1)
    "funnel_deals": Metric(
        _ceil("{target_revenue}/{unit_price}"),
        "INDEX(BACKCALC_FUNNEL({target_revenue},{unit_price},{rates}),{row},2)",
    ),
    "funnel_stage_up": Metric(
        _ceil("{next}/{rate}"),
        "INDEX(BACKCALC_FUNNEL({target_revenue},{unit_price},{rates}),{row},2)",
    ),
    "forecast_step": Metric(
        "{previous}*{rate}", "INDEX(FUNNEL_FORECAST({top_count},{rates}),{row},2)"
    ),
    # lift test (pooled z-test, Wald interval), seed 003
    "treated_rate": Metric(
        "{treated_conversions}/{treated_size}", f'LIFT({_LIFT_ARGS},"treated_rate")'
    ),
    "control_rate": Metric(
        "{control_conversions}/{control_size}", f'LIFT({_LIFT_ARGS},"control_rate")'
    ),
    "lift": Metric("{treated_rate}-{control_rate}", f'LIFT({_LIFT_ARGS},"lift")'),
    "relative_lift": Metric("{lift}/{control_rate}", f'LIFT({_LIFT_ARGS},"relative")'),
    "incremental_conversions": Metric("{treated_size}*{lift}", f'LIFT({_LIFT_ARGS},"incremental")'),
    "z": Metric(
        "{lift}/SQRT(({treated_conversions}+{control_conversions})/({treated_size}"
        "+{control_size})*(1-({treated_conversions}+{control_conversions})/({treated_size}"
        "+{control_size}))*(1/{treated_size}+1/{control_size}))",
        f'LIFT({_LIFT_ARGS},"z")',
    ),
    "p_value": Metric("2*NORMSDIST(-ABS({z}))", f'LIFT({_LIFT_ARGS},"p_value")'),
    "ci_low": Metric(
        "{lift}-NORMSINV(1-(1-{confidence})/2)*SQRT({treated_rate}*(1-{treated_rate})"
        "/{treated_size}+{control_rate}*(1-{control_rate})/{control_size})",
        f'LIFT({_LIFT_ARGS},"ci_low",{{confidence}})',
    ),
    "ci_high": Metric(
        "{lift}+NORMSINV(1-(1-{confidence})/2)*SQRT({treated_rate}*(1-{treated_rate})"
        "/{treated_size}+{control_rate}*(1-{control_rate})/{control_size})",
        f'LIFT({_LIFT_ARGS},"ci_high",{{confidence}})',
    ),
    "sample_size": Metric(
        f"ROUNDUP({_SAMPLE_N}*(1-1E-12),0)",
        "SAMPLE_SIZE({baseline_rate},{minimum_detectable_lift},{alpha},{power})",
    ),
    "mmm_response": Metric(_RESPONSE, "MMM_RESPONSE({model},{channel},{spend})"),
    # add-in only (SPEC §3c): the fit, the allocator and the target-budget search
    "mmm_summary": Metric(None, f"VLOOKUP({{channel}},{_mmm('summary')},{{column}},FALSE)"),
    "mmm_model": Metric(None, f"VLOOKUP({{channel}},{_mmm('model')},{{column}},FALSE)"),
    # the baseline per period, on every row (MMM spills it on the first only)
    "mmm_baseline": Metric(None, f"INDEX({_mmm('model')},2,10)"),
    "mmm_fit": Metric(None, f"INDEX({_mmm('fit')},{{row}},2)"),
    "budget_allocate": Metric(
        None, f"VLOOKUP({{channel}},BUDGET_ALLOCATE({_PLAN}),{{column}},FALSE)"
    ),
    "budget_uplift": Metric(None, f'BUDGET_ALLOCATE({_PLAN},"uplift")'),
    # how sure the split is: the 90 % ranges over the models drawn from the fit (MMM's
    # "draws"), from BUDGET_ALLOCATE's "range" table (a channel's row; the uplift's last)
    "budget_range": Metric(
        None, f"VLOOKUP({{channel}},BUDGET_ALLOCATE({_RANGE}),{{column}},FALSE)"
    ),
    "budget_uplift_range": Metric(None, f"INDEX(BUDGET_ALLOCATE({_RANGE}),{{row}},{{column}})"),
    "budget_for_target": Metric(
        None, f"VLOOKUP({{channel}},BUDGET_FOR_TARGET({_TARGET}),{{column}},FALSE)"
    ),
    "least_budget": Metric(None, f'BUDGET_FOR_TARGET({_TARGET},"budget")'),
    "least_budget_range": Metric(
        None, f"INDEX(BUDGET_FOR_TARGET({_TARGET_RANGE}),{{row}},{{column}})"
    ),
    # add-in only (SPEC §3b): exact Beta sums and attribution models have no portable
    # native formula; the cells carry the value computed on creation
    "ab_prob_better": Metric(None, f'AB_BAYES({_AB},"prob_better")'),
    "ab_expected_loss": Metric(None, f'AB_BAYES({_AB},"expected_loss")'),
    "attributed_conversions": Metric(None, f"VLOOKUP({{channel}},{_ATTRIBUTION},2,FALSE)"),
    "attributed_value": Metric(None, f"VLOOKUP({{channel}},{_ATTRIBUTION},3,FALSE)"),
    # (credited revenue − credited cost of sales − the channel's cost) ÷ the channel's cost
    "attributed_roi": Metric(
        None,
        f"(VLOOKUP({{channel}},{_ATTRIBUTION},3,FALSE)-VLOOKUP({{channel}},"
        f"{_ATTRIBUTION.replace('{values}', '{cost_of_sales}')},3,FALSE)-{{cost}})/{{cost}}",
    ),
}
