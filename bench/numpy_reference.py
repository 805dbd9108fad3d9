#!/usr/bin/python3
"""A vectorised NumPy version of the per-firm work of ipsim's quarter, for issue 9's target
"ipsim >= 10x faster than a vectorised NumPy version of the same model, 1 thread".

It is what a user without ipsim would write: one NumPy array per firm column (the columns of
IPSIM_FIRM_COLUMNS in engine/model/state.hpp; money and quantities float64, identity int64, flags
bool), and per quarter the per-firm equations of the C++ phases in the same order, vectorised over
firms, with per-sector values gathered by `x[sector]` and per-sector sums taken by np.bincount
(dead firms stay in their rows until the yearly compaction, as in the C++, and fall into an extra
bin that the sums drop). It does not reproduce ipsim's numbers (other random numbers, a simpler
setup); it does the same kind and amount of per-firm work. `--count` counts the transcendental
calls per firm-quarter, `--passes` the operations over firm-length arrays per quarter, `--profile`
times the phases, `--trace` prints entries and exits.

Covered, per firm and quarter, as in the C++ (file: function):
  markets.cpp    set_prices (list_price, price war), clear_markets (reputation, AR(1) demand shock,
                 competitiveness with policy terms, replicator step, renormalisation, segment
                 price indexes and demand, produce with the demand-variance update)
  firms.cpp      settle_accounts (account_firm, local-government sums), invest_capacity
                 (invest_firm: target_capacity_at with the newsvendor quantile of newsvendor.hpp,
                 scrapping, the ordering rule of capacity_rule.hpp, finance, debt repayment)
  technology.cpp advance_technology (90th-percentile best practice per sector, cluster sums,
                 innovation draw, imitation, transfer, learning, capacity update)
  demography.cpp update_population (ageing, year-end zombie test, resolve_firm with the
                 refinancing and bail-out draws and distress sales, entry with Poisson arrivals
                 per local government and sector and business stealing, yearly compaction)
  governments.cpp the per-firm sums of settle_governments (government_firm_sums)
  outcomes.cpp   summarize_sectors (the 42 sector sums and the reference costs in one pass each
                 in the C++; one bincount per sum here), compute_outcomes (misallocation terms,
                 value added per government, the national firm sums)
  update_conditions per sector (instruments, trend levels, frontier step, normal utilisation).
Simplified or left out:
  - governments: focus sectors are fixed at setup (top `focus_count` by strength x (1 + priority));
    support multiplier 1; no budgets, debt, tournament or transfers (choose_focus,
    central_government, plan_local_support, the per-government part of settle_governments);
  - funds: none (invest_funds left out; fund_stake and fund_equity stay 0);
  - localization of foreign exporters (localize, open_china_plant, yearly) left out;
  - capacity-removal programmes (retire_ordered_capacity) and scarcity pricing: off in mic2025,
    left out;
  - setup: no demand-history replay; capacity starts at max(output, target), the pipeline at the
    steady path; no scenario loader checks (scenarios/mic2025.yaml is read with PyYAML, and
    engine defaults are written below);
  - the ledger is kept as counterpart sums but not checked; no per-region series, no output file.
Less work than the C++ on purpose, as a NumPy user would write it: the local support weight is
computed once per quarter (and again after entry) where the C++ recomputes it in each phase, and the
expected growth factor of produce serves invest_capacity too. More: entrants are appended with
np.concatenate of every column. Because local support never falls here, the population grows more
than ipsim's (about 32,000 rows against 25,000 at the end of the default run); comparisons divide
by firm-quarters.
Random numbers: numpy's Generator (PCG64), the same number of draws per firm as the C++ (two
uniforms for a normal there: Box-Muller; one standard_normal here).
"""
import argparse
import pathlib
import time

import numpy as np
import yaml

# Engine defaults (engine/model/scenario.hpp) for the fields mic2025 does not set.
MARKETS = dict(selection_intensity=0.25, price_weight=2.0, quality_weight=1.0, unfilled_weight=1.0,
               procurement_weight=2.0, localization_penalty=1.0, market_access_penalty=1.5,
               markup_share_sensitivity=0.5, price_war_sensitivity=1.5, target_utilisation=0.8,
               expectation_weight=0.3, capacity_adjustment=0.25, min_share=1e-7, export_control_penalty=1.0,
               volatility_weight=0.1, planning_uncertainty=0.3, planning_horizon=4.0, scrap_rate=0.05,
               scrap_threshold=0.25, payout_ratio=0.3, subsidy_pass_through=0.5, price_convergence=0.5,
               appeal_adjustment=0.02, demand_shock=0.15, demand_shock_persistence=0.9, supply_line_weight=0.35)
FINANCE = dict(base_rate=0.045, leverage_spread=0.04, soe_rate_discount=0.01, fund_backed_rate_discount=0.005,
               max_leverage_soe=3.0, max_leverage_private=1.0, max_leverage_foreign=1.0,
               private_credit_rationing=0.5, corporate_tax=0.25, local_tax_share=0.5, depreciation=0.025,
               bailout_soe=0.8, bailout_fund_backed=0.5, bailout_private=0.1, bailout_foreign=0.0,
               bailout_cost_share=0.5, distress_sale_price=0.5, initial_leverage=0.5, initial_cash=0.1,
               crowding_out=0.3, loan_maturity=8.0, zombie_years=3.0, refinance_base=-1.0,
               refinance_coverage_weight=1.5, refinance_collateral_weight=1.0, refinance_soe_bonus=2.5,
               refinance_fund_bonus=1.5, refinance_local_bonus=1.5)
TECHNOLOGY = dict(innovation_rate=1.0, imitation_rate=0.005, transfer_boost=1.0, cluster_boost=0.5,
                  learning_rate=0.03, max_relative_productivity=1.3, export_control_setback=1.0)
LOCAL = dict(focus_count=4, output_subsidy=0.05, investment_subsidy=0.15, tax_rebate=0.5,
             procurement_preference=0.3, capacity_push=0.3)
FIRMS = dict(count=20000, productivity_dispersion=0.25, entry_rate=0.002, entry_profit_sensitivity=5.0,
             entry_subsidy_sensitivity=5.0, entry_focus_multiplier=2.0, entrant_size=0.5, entrant_soe_share=0.05,
             entrant_productivity=0.85, soe_size_premium=5.0, size_dispersion=1.0)
SECTOR = dict(
    demand=dict(china=100.0, world=300.0, china_growth=0.06, world_growth=0.03, trend_price_change=0.0,
                elasticity=1.0, procurement_segment=0.1),
    supply=dict(firm_share=0.07, soe_share=0.2, foreign_share=0.1, localized_share=0.5, china_productivity=0.6,
                capital_per_output=1.5, capital_share=0.4, markup=0.15, china_world_share=0.2,
                initial_domestic_share=0.5, build_quarters=0.0, central_soe_share=0.0),
    technology=dict(frontier_growth=0.02, rd_intensity=0.02, difficulty=1.0, component_intensity=0.0,
                    learning_per_doubling=0.0),
    policy=dict(priority=0.0, output_subsidy=0.0, investment_subsidy=0.0, rd_tax_credit=0.0, tax_rebate=0.0,
                loan_discount=0.0, procurement_share=0.0, localization_requirement=0.0,
                market_access_restriction=0.0, cluster_support=0.0),
    world=dict(tariff=0.0, export_control=0.0))
CASH_BUFFER, CASH_CEILING, MIN_LOAN_RATE, MAX_SPREAD_LEVERAGE = 0.02, 0.2, 0.005, 3.0
MAX_INVESTMENT_SUBSIDY, MAX_OUTPUT_SUBSIDY, LENDER_MEMORY, COVERAGE_CAP, RESCUE_EQUITY = 0.9, 0.9, 0.25, 5.0, 0.05
MIN_RATIO, EXPONENT_CAP, GROWTH_WEIGHT = 0.02, 5.0, 0.25

# The transcendental functions, behind names so that --count can wrap them.
log, exp, sqrt, power, log1p = np.log, np.exp, np.sqrt, np.power, np.log1p
COUNTS = {}


def erfc(x):
    """Complementary error function (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7):
    NumPy has none, and a user of NumPy alone writes one like this."""
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    y = poly * np.exp(-a * a)
    return np.where(x >= 0.0, y, 2.0 - y)


def enable_counting():
    global log, exp, sqrt, power, log1p, erfc
    def wrap(name, fn):
        def counted(*args, **kw):
            out = fn(*args, **kw)
            COUNTS[name] = COUNTS.get(name, 0) + np.size(out)
            return out
        return counted
    log, exp, sqrt, power, log1p, erfc = (wrap(n, f) for n, f in
                                          [("log", log), ("exp", exp), ("sqrt", sqrt), ("pow", power),
                                           ("log1p", log1p), ("erfc", erfc)])


PASSES = {"ops": 0, "threshold": 1000}


class Counted(np.ndarray):
    """A column type for --passes: counts every NumPy operation (ufunc, function, gather) that reads
    or writes a firm-length array, i.e. one pass over a column's memory."""
    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kw):
        plain = [x.view(np.ndarray) if isinstance(x, Counted) else x for x in inputs]
        if out is not None:
            kw["out"] = tuple(x.view(np.ndarray) if isinstance(x, Counted) else x for x in out)
        result = getattr(ufunc, method)(*plain, **kw)
        return _counted(result, plain)

    def __array_function__(self, func, types, args, kwargs):
        unwrap = lambda x: x.view(np.ndarray) if isinstance(x, Counted) else \
            [unwrap(y) for y in x] if isinstance(x, (list, tuple)) else x
        plain = [unwrap(a) for a in args]
        result = func(*plain, **{k: unwrap(v) for k, v in kwargs.items()})
        return _counted(result, plain)

    def __getitem__(self, key):
        result = self.view(np.ndarray)[key.view(np.ndarray) if isinstance(key, Counted) else key]
        return _counted(result, [self, key])

    def __setitem__(self, key, value):
        self.view(np.ndarray)[key.view(np.ndarray) if isinstance(key, Counted) else key] = \
            value.view(np.ndarray) if isinstance(value, Counted) else value
        if np.size(value) >= PASSES["threshold"] or np.size(self) >= PASSES["threshold"] and not np.isscalar(key):
            PASSES["ops"] += 1


def _counted(result, inputs):
    big = lambda x: isinstance(x, np.ndarray) and x.size >= PASSES["threshold"]
    if big(result) or any(big(x) for x in inputs):
        PASSES["ops"] += 1
    return result.view(Counted) if isinstance(result, np.ndarray) and result.ndim > 0 else result


def path_at(p, year):
    """A scenario time path (a number or {year: value}) at `year`: the last step in force."""
    if not isinstance(p, dict):
        return float(p)
    items = sorted((float(k), float(v)) for k, v in p.items())
    value = items[0][1]
    for start, v in items:
        if year + 1e-9 >= start:
            value = v
    return value


def normal_cdf(z):
    return 0.5 * erfc(-z / np.sqrt(2.0))


ACKLAM_A = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00)
ACKLAM_B = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01)
ACKLAM_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00)
ACKLAM_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00)


def normal_quantile(p):
    """Acklam's rational approximation refined by one Halley step (newsvendor.hpp), on arrays."""
    p = np.asarray(p, dtype=float)
    a, b, c, d = ACKLAM_A, ACKLAM_B, ACKLAM_C, ACKLAM_D
    q = p - 0.5
    r = q * q
    z = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / \
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0)
    low, high = p < 0.02425, p > 1.0 - 0.02425
    for mask, sign, tail_p in ((low, 1.0, p), (high, -1.0, 1.0 - p)):
        if mask.any():
            t = sqrt(-2.0 * log(tail_p[mask]))
            z[mask] = sign * (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / \
                ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1.0)
    step = (normal_cdf(z) - p) * np.sqrt(2.0 * np.pi) * exp(0.5 * z * z)
    return z - step / (1.0 + 0.5 * z * step)


CHEAP_Q = float(normal_quantile(np.array([1.0 - MIN_RATIO]))[0])
DEAR_Q = float(normal_quantile(np.array([MIN_RATIO]))[0])
COUNTS.clear()


def capacity_factor(sigma, ratio):
    """exp(sigma z - sigma^2 / 2) with z the covered quantile; clamped ratios share two constants."""
    z = np.where(ratio <= MIN_RATIO, CHEAP_Q, DEAR_Q)
    inside = (ratio > MIN_RATIO) & (ratio < 1.0 - MIN_RATIO)
    z[inside] = normal_quantile(1.0 - ratio[inside])
    return exp(sigma * z - 0.5 * sigma * sigma)


def expected_utilisation(k, sigma):
    if sigma <= 1e-12:
        return np.minimum(1.0, 1.0 / k)
    a = (log(k) + 0.5 * sigma * sigma) / sigma
    return normal_cdf(a - sigma) / k + (1.0 - normal_cdf(a))


COLUMNS = """id sector government ownership central localized alive zombie age capacity productivity
markup price share_china share_world appeal_china appeal_world demand_shock output usable_capacity sales_china
sales_world unfilled expected_demand demand_variance scrapped cumulative_output capital capital_in_progress cash
debt fund_equity fund_stake revenue variable_cost inputs subsidy_central subsidy_local tax_local
tax_expenditure interest_subsidy rd investment operating_profit bailout
smoothed_profit smoothed_interest year_operating_profit year_interest bad_years""".split()
INTS = {"id", "sector", "government", "ownership", "age", "bad_years"}
FLAGS = {"central", "localized", "alive", "zombie"}
PRIVATE, SOE, FOREIGN = 0, 1, 2


class Model:
    def __init__(self, scenario_path, n_firms, seed):
        sc = yaml.safe_load(pathlib.Path(scenario_path).read_text())
        self.rng = np.random.default_rng(seed)
        self.m = dict(MARKETS, **sc.get("markets", {}))
        self.fin = dict(FINANCE, **sc.get("finance", {}))
        self.tech = dict(TECHNOLOGY, **sc.get("technology", {}))
        self.local = dict(LOCAL, **sc.get("local", {}))
        self.firms_cfg = dict(FIRMS, **sc.get("firms", {}))
        self.firms_cfg["count"] = n_firms
        self.start_year = float(sc.get("time", {}).get("start_year", 2015))
        self.sectors = [{k: dict(v, **s.get(k, {})) for k, v in SECTOR.items()} | {"name": s["name"]}
                        for s in sc["sectors"]]
        self.regions = sc["regions"]
        self.ns, self.ng = len(self.sectors), len(self.regions)
        names = [s["name"] for s in self.sectors]
        self.io = np.zeros((self.ns, self.ns))
        for link in sc.get("links", []):
            self.io[names.index(link["from"]), names.index(link["to"])] += link["coefficient"]
        self.step = 0
        self.entries = 0
        self._sector_constants()
        self._build_governments()
        self._build_firms()
        self._calibrate()

    # ---- setup (not timed) ----
    def _sector_constants(self):
        S = self.sectors
        col = lambda part, key: np.array([float(s[part][key]) for s in S])
        self.markup0 = col("supply", "markup")
        self.cpo = col("supply", "capital_per_output")
        self.capital_share = col("supply", "capital_share")
        self.build_q = col("supply", "build_quarters")
        self.rd_int = col("technology", "rd_intensity")
        self.difficulty = col("technology", "difficulty")
        self.component = col("technology", "component_intensity")
        self.frontier_growth = col("technology", "frontier_growth")
        lpd = col("technology", "learning_per_doubling")
        self.learning_exponent = np.where(lpd > 0, -np.log2(np.maximum(1e-300, 1.0 - lpd)), 0.0)
        self.frontier_trend = (1.0 + self.frontier_growth) ** 0.25
        self.elasticity = col("demand", "elasticity")
        self.proc_segment = col("demand", "procurement_segment")
        self.demand_world0 = col("demand", "world")
        self.priority = np.array([path_at(s["policy"]["priority"], self.start_year) for s in S])
        self.base_cost = 1.0 / (1.0 + self.markup0)
        self.frontier = np.ones(self.ns)
        # ordering rule per sector (capacity_rule.hpp)
        self.rule_T = self.build_q
        self.completion = 1.0 / (1.0 + self.build_q)

    def _build_governments(self):
        size = np.array([float(r.get("size", 1.0)) for r in self.regions])
        self.strength = np.array([[float(r.get("strengths", {}).get(s["name"], 1.0)) for s in self.sectors]
                                  for r in self.regions])
        score = self.strength * (1.0 + self.priority)
        top = np.argsort(-score, axis=1, kind="stable")[:, :int(self.local["focus_count"])]
        self.focus = np.zeros((self.ng, self.ns), dtype=bool)
        np.put_along_axis(self.focus, top, True, axis=1)
        self.focus_flat = self.focus.ravel()
        self.support_multiplier = np.ones(self.ng)
        self.gov_weight = np.ones(self.ng)
        cdf = np.cumsum(size[:, None] * self.strength, axis=0)
        self.location_cdf = cdf / cdf[-1]
        self.local_scale = 1.0

    def _build_firms(self):
        fc, S, rng = self.firms_cfg, self.sectors, self.rng
        share = np.array([s["supply"]["firm_share"] for s in S], dtype=float)
        share /= share.sum()
        parts = []
        for s, sec in enumerate(S):
            sup = sec["supply"]
            n = max(2, int(round(fc["count"] * share[s])))
            foreign = int(round(n * sup["foreign_share"]))
            localized = int(round(foreign * sup["localized_share"]))
            exporters = max(foreign - localized, 1)
            domestic = max(n - foreign, 1)
            soe_ratio = sup["soe_share"] / ((1.0 - sup["soe_share"]) * fc["soe_size_premium"])
            soe = min(max(int(round(domestic * soe_ratio / (1.0 + soe_ratio))), 1 if sup["soe_share"] > 0 else 0), domestic)
            central = int(round(soe * sup["central_soe_share"]))
            own = np.repeat([FOREIGN, FOREIGN, SOE, SOE, PRIVATE],
                            [exporters, localized, central, soe - central, domestic - soe])
            loc = np.repeat([False, True, True, True, True], [exporters, localized, central, soe - central, domestic - soe])
            cen = np.repeat([False, False, True, False, False], [exporters, localized, central, soe - central, domestic - soe])
            parts.append((np.full(own.size, s), own, loc, cen))
        sector = np.concatenate([p[0] for p in parts])
        n = sector.size
        self.c = c = {}
        for name in COLUMNS:
            c[name] = np.zeros(n, dtype=np.int64 if name in INTS else bool if name in FLAGS else float)
        c["id"][:] = np.arange(n)
        self.next_id = n
        c["sector"][:] = sector
        c["ownership"][:] = np.concatenate([p[1] for p in parts])
        c["localized"][:] = np.concatenate([p[2] for p in parts])
        c["central"][:] = np.concatenate([p[3] for p in parts])
        c["alive"][:] = True
        c["age"][:] = 40
        u = rng.random(n)
        gov = np.zeros(n, dtype=np.int64)
        for s in range(self.ns):
            rows = sector == s
            gov[rows] = np.searchsorted(self.location_cdf[:, s], u[rows])
        c["government"][:] = np.where(c["localized"], np.minimum(gov, self.ng - 1), -1)
        sigma = fc["productivity_dispersion"]
        mean = np.where(c["ownership"] == FOREIGN, 1.0,
                        np.array([s["supply"]["china_productivity"] for s in S])[sector])
        c["productivity"][:] = np.minimum(self.tech["max_relative_productivity"],
                                          mean * np.exp(sigma * rng.standard_normal(n) - 0.5 * sigma * sigma))
        premium = np.where(c["ownership"] == PRIVATE, 1.0, fc["soe_size_premium"])
        weight = premium * np.exp(fc["size_dispersion"] * rng.standard_normal(n))
        c["markup"][:] = self.markup0[sector]
        # size_sector: scale to the sector's initial China-located output, domestic share, exports
        dc = np.array([s["demand"]["china"] for s in S], dtype=float)
        dw = self.demand_world0
        china_out = np.array([s["supply"]["china_world_share"] for s in S]) * (dc + dw)
        domestic = np.minimum(np.array([s["supply"]["initial_domestic_share"] for s in S]) * dc, china_out)
        exports = china_out - domestic
        over = exports > 0.95 * dw
        exports = np.where(over, 0.95 * dw, exports)
        domestic = np.where(over, np.minimum(0.95 * dc, china_out - exports), domestic)
        loc = c["localized"]
        lw = np.bincount(sector, weights=weight * loc, minlength=self.ns)
        aw = np.bincount(sector, weights=weight * ~loc, minlength=self.ns)
        w = weight / np.where(loc, lw[sector], aw[sector])
        c["share_china"][:] = w * np.where(loc, (domestic / dc)[sector], (1.0 - domestic / dc)[sector])
        c["share_world"][:] = w * np.where(loc, (exports / dw)[sector], (1.0 - exports / dw)[sector])
        c["sales_china"][:] = c["share_china"] * dc[sector]
        c["sales_world"][:] = c["share_world"] * dw[sector]
        c["output"][:] = c["sales_china"] + c["sales_world"]
        c["expected_demand"][:] = c["output"]
        c["capacity"][:] = c["output"] / self.m["target_utilisation"]
        c["usable_capacity"][:] = c["capacity"]
        c["cumulative_output"][:] = 20.0 * c["output"]
        self.demand_china = dc.copy()
        self.demand_world = dw.copy()
        self.demand_china0 = dc

    def _calibrate(self):
        c, m, ns = self.c, self.m, self.ns
        self.year = self.start_year - 0.25
        self.growth_level = np.ones((3, ns))  # china, world, trend price
        self.expected_growth = np.array([[path_at(s["demand"]["china_growth"], self.start_year) for s in self.sectors],
                                         [path_at(s["demand"]["world_growth"], self.start_year) for s in self.sectors]])
        self.year_ago = np.repeat(np.stack([self.demand_china, self.demand_world])[None], 4, axis=0) / \
            (1.0 + self.expected_growth)[None]
        self.utilisation = np.full(ns, m["target_utilisation"])
        self.normal_util = np.full(ns, m["target_utilisation"])
        self.reference_capacity = np.ones(ns)
        self.sector_variance = np.zeros(ns)
        self.domestic_share = np.array([s["supply"]["initial_domestic_share"] for s in self.sectors])
        self.fund_presence = np.zeros(ns)
        self.price_index_china = np.ones(ns)
        self.input_shares = np.zeros((ns, ns))
        self.variable_cost_china = np.zeros(ns)
        self.world_experience = np.bincount(c["sector"], weights=c["cumulative_output"], minlength=ns)
        self.world_experience_prev = self.world_experience.copy()
        self.margin = np.zeros(ns)
        self.normal_margin = None
        self.ledger = np.zeros(4)  # economy, rest of world, banks, central
        self.gov_debt = np.zeros(self.ng)
        self._refresh_groups()
        self.update_conditions(first=True)
        gs, s = self.gs, c["sector"]
        # calibrate_appeal: reference costs, prices at the markup, appeal making shares a rest point
        c["share_china"] = np.maximum(c["share_china"], m["min_share"])
        c["share_world"] = np.maximum(c["share_world"], m["min_share"])
        self.lsw = self.local_support_weight()
        self.reference_pow = np.zeros((2, ns))
        self._reference_costs(*self._cost_terms())
        c["price"] = self.list_price(c["markup"], self.output_subsidy_rate())
        tc, tw = self.policy_terms()
        base = -m["price_weight"] * np.log(c["price"]) + m["quality_weight"] * np.log(c["productivity"])
        c["appeal_china"] = np.log(c["share_china"]) - base - tc
        c["appeal_world"] = np.log(c["share_world"]) - base - tw
        self.price_china0 = self.sum(c["share_china"] * c["price"])
        self.price_world0 = self.sum(c["share_world"] * c["price"])
        # calibrate_input_output
        unit, _ = self._cost_terms()
        rev = self.sum(c["price"] * c["output"], self.gl)
        cost = self.sum(unit * c["output"], self.gl)
        self.input_shares = self.io * np.where(cost > 0, rev / cost, 0.0)[None, :]
        tot = self.input_shares.sum(axis=0)
        self.input_shares *= np.where(tot > 0.9, 0.9 / tot, 1.0)[None, :]
        self.variable_cost_china = cost
        self.final_china0 = np.maximum(0.2 * self.demand_china0, self.demand_china0 - self.input_shares @ cost)
        self.update_conditions(first=True)
        # size_capacity without the demand-history replay: target at rest, pipeline of a steady path
        gf = self.firm_growth_factor()
        kappa = self.cpo[s] / (c["productivity"] * self.frontier[s])
        target = self.target_capacity(kappa, self.investment_subsidy_rate()[0])
        c["capacity"] = np.maximum(c["output"], target)
        T = self.rule_T[s]
        c["capital_in_progress"] = kappa * T * (gf - 1.0 + self.fin["depreciation"]) * target / gf
        c["usable_capacity"] = c["capacity"].copy()
        c["capital"] = kappa * c["capacity"] + c["capital_in_progress"]
        c["debt"] = self.fin["initial_leverage"] * c["capital"]
        c["cash"] = self.fin["initial_cash"] * c["capital"]
        # initialise_histories
        unit, _ = self._cost_terms()
        profit = c["price"] * c["output"] * (1.0 - self.rd_share()) - unit * c["output"] * (1.0 - self.output_subsidy_rate()) \
            - self.fin["depreciation"] * (c["capital"] - c["capital_in_progress"])
        interest = self.loan_rate(*self.rate_discounts()) / 4.0 * c["debt"]
        loc = c["localized"]
        c["smoothed_profit"] = np.where(loc, profit, 0.0)
        c["smoothed_interest"] = np.where(loc, interest, 0.0)
        short = loc & (profit < interest)
        c["bad_years"] = np.where(short, int(self.fin["zombie_years"]), 0)
        c["zombie"] = short
        self.summarize_sectors()
        COUNTS.clear()

    # ---- groups and per-firm helpers ----
    def _refresh_groups(self):
        """Group keys after the population changed: dead firms go to an extra bin that sums drop
        (the C++ group indexes hold only live firms)."""
        c, ns, ng = self.c, self.ns, self.ng
        alive, loc = c["alive"], c["localized"]
        self.gs = np.where(alive, c["sector"], ns)
        self.gl = np.where(alive & loc, c["sector"], ns)
        self.gc = np.where(alive & loc & (c["ownership"] != FOREIGN), c["sector"], ns)
        self.gg = np.where(alive & (c["government"] >= 0), c["government"], ng)
        self.ggs = np.where(alive & loc, c["government"] * ns + c["sector"], ng * ns)
        self.gov0 = np.maximum(c["government"], 0)
        self.n_live = np.bincount(self.gs, minlength=ns + 1)[:ns]

    def sum(self, weights, key=None, bins=None):
        key = self.gs if key is None else key
        bins = self.ns if bins is None else bins
        return np.bincount(key, weights=weights, minlength=bins + 1)[:bins]

    def local_support_weight(self):
        c = self.c
        eligible = c["localized"] & (c["ownership"] != FOREIGN) & ~c["central"] & \
            self.focus_flat[self.gov0 * self.ns + c["sector"]]
        return np.where(eligible, self.local_scale * self.support_multiplier[self.gov0], 0.0)

    def output_subsidy_rate(self):
        c = self.c
        rate = np.minimum(MAX_OUTPUT_SUBSIDY, self.now["output_subsidy"][c["sector"]] + self.local["output_subsidy"] * self.lsw)
        return np.where(c["localized"] & (c["ownership"] != FOREIGN), rate, 0.0)

    def _cost_terms(self):
        """Unit cost and full unit cost of every firm (firm_costs.hpp)."""
        c, s = self.c, self.c["sector"]
        absolute = c["productivity"] * self.frontier[s]
        unit = self.base_cost[s] * np.where(c["localized"], self.input_cost_factor[s], 1.0) / absolute
        capital_cost = (self.fin["base_rate"] / 4.0 + self.fin["depreciation"]) * self.cpo[s] / absolute / self.normal_util[s]
        return unit, unit + capital_cost

    def _reference_costs(self, unit, full):
        c, pi = self.c, self.m["price_convergence"]
        basis = full - self.m["subsidy_pass_through"] * self.output_subsidy_rate() * unit
        weight = np.maximum(c["output"], 0.0)
        wb = weight * basis
        loc = c["localized"]
        key_abroad = np.where(c["alive"] & ~loc, c["sector"], self.ns)
        ref = []
        for key in (self.gl, key_abroad):
            num, den = self.sum(wb, key), self.sum(weight, key)
            ref.append(np.where(den > 0, num / den, 0.0))
        self.reference_cost = np.array(ref)
        self.reference_pow = np.where((pi > 0) & (self.reference_cost > 0),
                                      power(np.maximum(self.reference_cost, 1e-300), pi), 0.0)

    def list_price(self, markup, subsidy_rate):
        c, s, pi = self.c, self.c["sector"], self.m["price_convergence"]
        unit, full = self._cost_terms()
        own = full - self.m["subsidy_pass_through"] * subsidy_rate * unit
        group = np.where(c["localized"], 0, 1)
        reference = self.reference_cost[group, s]
        basis = np.where((reference > 0) & (own > 0), power(own, 1.0 - pi) * self.reference_pow[group, s], own)
        return (1.0 + markup) * basis / (1.0 - self.rd_int[s])

    def policy_terms(self):
        c, s, m, now = self.c, self.c["sector"], self.m, self.now
        foreign, loc = c["ownership"] == FOREIGN, c["localized"]
        pref = self.local["procurement_preference"] * self.lsw
        domestic = m["procurement_weight"] * np.minimum(1.0, c["productivity"]) * self.proc_segment[s] * \
            np.minimum(1.0, now["procurement_share"][s] + pref)
        abroad_pen = np.where(loc, 0.0, m["localization_penalty"] * now["localization"][s] +
                              m["export_control_penalty"] * now["export_control"][s])
        tc = np.where(foreign, -m["market_access_penalty"] * now["market_access"][s] - abroad_pen, domestic)
        tw = np.where(loc, -m["price_weight"] * self.tariff_log1p[s], 0.0)
        return tc, tw

    def firm_growth_factor(self):
        c, s = self.c, self.c["sector"]
        china = c["share_china"] * self.demand_china[s]
        world = c["share_world"] * self.demand_world[s]
        g0, g1 = self.growth_factor[0][s], self.growth_factor[1][s]
        total = china + world
        return np.where(total > 0, (china * g0 + world * g1) / total, g0)

    def rd_share(self):
        return np.where(self.c["localized"], self.rd_share_local[self.c["sector"]], self.rd_share_abroad[self.c["sector"]])

    def rate_discounts(self):
        c, loc = self.c, self.c["localized"]
        pref = np.where(loc & (c["ownership"] != FOREIGN), self.now["loan_discount"][c["sector"]], 0.0)
        implicit = np.where(loc, np.where(c["ownership"] == SOE, self.fin["soe_rate_discount"], 0.0) +
                            np.where(c["fund_stake"] > 0, self.fin["fund_backed_rate_discount"], 0.0), 0.0)
        return pref, implicit

    def loan_rate(self, pref, implicit):
        c, fin = self.c, self.fin
        leverage = np.where(c["capital"] > 0, c["debt"] / c["capital"], 0.0)
        return np.maximum(MIN_LOAN_RATE, fin["base_rate"] + fin["leverage_spread"] * np.minimum(leverage, MAX_SPREAD_LEVERAGE)
                          - pref - implicit)

    def investment_subsidy_rate(self):
        c = self.c
        loc = c["localized"]
        central = np.where(loc & (c["ownership"] != FOREIGN), self.now["investment_subsidy"][c["sector"]], 0.0)
        total = np.where(loc, np.minimum(MAX_INVESTMENT_SUBSIDY, central + self.local["investment_subsidy"] * self.lsw), 0.0)
        return total, np.minimum(central, total)

    def target_capacity(self, kappa, subsidy_rate):
        """target_capacity_at (firms.cpp) with the newsvendor factor."""
        c, s, m, fin = self.c, self.c["sector"], self.m, self.fin
        unit, _ = self._cost_terms()
        margin = c["price"] * (1.0 - self.rd_int[s]) - unit * (1.0 - self.output_subsidy_rate())
        pref, implicit = self.rate_discounts()
        rate = np.maximum(MIN_LOAN_RATE, fin["base_rate"] - pref - implicit)
        holding = (rate / 4.0 + fin["depreciation"]) * kappa * (1.0 - subsidy_rate)
        ratio = np.where(margin > 0, holding / margin, 1.0)
        push = 1.0 + self.local["capacity_push"] * self.lsw
        sigma = sqrt(m["planning_uncertainty"] ** 2 + m["planning_horizon"] * c["demand_variance"])
        relative = capacity_factor(sigma, ratio) / self.reference_capacity[s]
        return push * c["expected_demand"] * relative / m["target_utilisation"]

    # ---- the quarter ----
    def update_conditions(self, first=False):
        """Instruments in force, trend levels, frontier step and normal utilisation, per sector."""
        ns, m, fin, S = self.ns, self.m, self.fin, self.sectors
        year = self.year
        pol = lambda key: np.array([path_at(s["policy"][key], year) for s in S])
        self.now = now = dict(
            output_subsidy=np.minimum(1.0, pol("output_subsidy")),
            investment_subsidy=np.minimum(1.0, pol("investment_subsidy")),
            rd_tax_credit=pol("rd_tax_credit"), tax_rebate=np.minimum(1.0, pol("tax_rebate")),
            loan_discount=pol("loan_discount"), procurement_share=np.minimum(1.0, pol("procurement_share")),
            localization=np.minimum(1.0, pol("localization_requirement")),
            market_access=np.minimum(1.0, pol("market_access_restriction")),
            cluster_support=pol("cluster_support"),
            tariff=np.array([path_at(s["world"]["tariff"], year) for s in S]),
            export_control=np.array([path_at(s["world"]["export_control"], year) for s in S]))
        self.tariff_log1p = log1p(now["tariff"])
        self.rd_share_local = self.rd_int / (1.0 - now["rd_tax_credit"] * fin["corporate_tax"])
        self.rd_share_abroad = self.rd_int.copy()
        self.input_cost_share = self.input_shares.sum(axis=0)
        self.growth_factor = (1.0 + np.clip(self.expected_growth, -0.3, 0.6)) ** 0.25
        own = now["export_control"] * (1.0 - self.domestic_share)
        total_in = self.io.sum(axis=0)
        up = (self.io * (now["export_control"] * (1.0 - self.domestic_share))[:, None]).sum(axis=0) - np.diag(self.io) * own
        via = np.where(total_in > 0, up / total_in, 0.0)
        now["component_cut"] = self.component * np.minimum(1.0, np.maximum(own, via))
        self.input_cost_factor = exp((self.input_shares * log(np.maximum(self.price_index_china, 1e-6))[:, None]).sum(axis=0))
        cost = self.base_cost * self.input_cost_factor
        holding = (fin["base_rate"] / 4.0 + fin["depreciation"]) * self.cpo
        margin = (1.0 + self.markup0) * (cost + holding / m["target_utilisation"]) - cost
        ratio = holding / margin
        pu = m["planning_uncertainty"]
        self.reference_capacity = capacity_factor(np.full(ns, pu), ratio)
        seen = sqrt(pu * pu + m["planning_horizon"] * self.sector_variance)
        k = capacity_factor(seen, ratio) / self.reference_capacity / m["target_utilisation"]
        self.normal_util = np.array([expected_utilisation(k[s], float(sqrt(self.sector_variance[s]))) for s in range(ns)])
        if not first and self.step > 0:  # trend levels start at 1 in the first quarter
            for row, key in enumerate(("china_growth", "world_growth", "trend_price_change")):
                rate = np.array([path_at(s["demand"][key], year - 0.25) for s in S])
                self.growth_level[row] *= power(1.0 + rate, 0.25)
            self.growth_level[2] /= self.frontier_trend
        ok = (self.learning_exponent > 0) & (self.world_experience_prev > 0)
        growth = self.world_experience / self.world_experience_prev
        self.frontier_step = self.frontier_trend * np.where(ok, power(np.maximum(growth, 1.0), self.learning_exponent), 1.0)

    def set_prices(self):
        c, s, m = self.c, self.c["sector"], self.m
        n = np.maximum(1, self.n_live)[s]
        share = 0.5 * (c["share_china"] + c["share_world"])
        own_util = np.where(c["capacity"] > 0, c["output"] / c["capacity"], 1.0)
        util = np.where(c["localized"], self.utilisation[s], own_util)
        normal_u = self.normal_util[s]
        war = np.maximum(0.0, 1.0 - m["price_war_sensitivity"] * np.maximum(0.0, normal_u - util) / normal_u)
        c["markup"] = self.markup0[s] * np.maximum(0.0, 1.0 + m["markup_share_sensitivity"] * (share - 1.0 / n)) * war
        c["price"] = self.list_price(c["markup"], self.output_subsidy_rate())

    def clear_markets(self):
        c, s, m, now = self.c, self.c["sector"], self.m, self.now
        loc, cap = c["localized"], c["capacity"]
        # reputation abroad: world appeal of China-located firms rises toward a foreign producer's of their size
        log_cap = log(np.where(cap > 0, cap, 1.0))
        abroad = c["alive"] & ~loc & (cap > 0)
        key = np.where(abroad, s, self.ns)
        appeal, producers = self.sum(c["appeal_world"] - log_cap, key), self.sum(None, key)
        grow = loc & (producers[s] > 0) & (cap > 0)
        target = appeal[s] / np.maximum(producers[s], 1.0) + log_cap
        c["appeal_world"] = c["appeal_world"] + np.where(grow, m["appeal_adjustment"] * np.maximum(0.0, target - c["appeal_world"]), 0.0)
        c["demand_shock"] = m["demand_shock_persistence"] * c["demand_shock"] + m["demand_shock"] * self.rng.standard_normal(s.size)
        base = -m["price_weight"] * log(c["price"]) + m["quality_weight"] * log(c["productivity"]) - m["unfilled_weight"] * c["unfilled"]
        tc, tw = self.policy_terms()
        ec = base + tc + c["appeal_china"] + c["demand_shock"]
        ew = base + tw + c["appeal_world"] + c["demand_shock"]
        chi = m["selection_intensity"]
        c["share_china"] = c["share_china"] * exp(np.clip(chi * (ec - log(c["share_china"])), -EXPONENT_CAP, EXPONENT_CAP))
        c["share_world"] = c["share_world"] * exp(np.clip(chi * (ew - log(c["share_world"])), -EXPONENT_CAP, EXPONENT_CAP))
        # compute_demand: renormalise, segment price indexes, sector demand
        tot_c, tot_w = self.sum(c["share_china"]), self.sum(c["share_world"])
        c["share_china"] = np.maximum(m["min_share"], c["share_china"] / tot_c[s])
        c["share_world"] = np.maximum(m["min_share"], c["share_world"] / tot_w[s])
        pc = self.sum(c["share_china"] * c["price"])
        pw = self.sum(c["share_world"] * c["price"] * np.where(loc, 1.0 + now["tariff"][s], 1.0))
        self.price_index_china = pc / self.price_china0
        self.price_index_world = pw / self.price_world0
        intermediate = self.input_shares @ self.variable_cost_china
        trend = self.growth_level[2]
        self.demand_china = self.final_china0 * self.growth_level[0] * power(self.price_index_china / trend, -self.elasticity) + \
            intermediate / self.price_index_china
        self.demand_world = self.demand_world0 * self.growth_level[1] * power(self.price_index_world / trend, -self.elasticity)
        # produce
        china = c["share_china"] * self.demand_china[s]
        world = c["share_world"] * self.demand_world[s]
        demanded = china + world
        supplied = np.where(loc, 1.0 - now["component_cut"][s], 1.0)
        c["usable_capacity"] = cap * supplied
        c["output"] = np.minimum(demanded, cap) * supplied
        filled = np.where(demanded > 0, c["output"] / demanded, 1.0)
        c["sales_china"] = filled * china
        c["sales_world"] = filled * world
        c["unfilled"] = 1.0 - filled
        self.gf = self.firm_growth_factor()  # shares and demand do not change again this quarter
        forecast = c["expected_demand"] * self.gf
        seen = (demanded > 0) & (forecast > 0)
        error = log(demanded / forecast)
        vw = m["volatility_weight"]
        c["demand_variance"] = np.where(seen, (1.0 - vw) * c["demand_variance"] + vw * error * error, c["demand_variance"])
        c["expected_demand"] = (1.0 - m["expectation_weight"]) * forecast + m["expectation_weight"] * demanded

    def settle_accounts(self):
        c, s, fin, now, m = self.c, self.c["sector"], self.fin, self.now, self.m
        loc, foreign = c["localized"], c["ownership"] == FOREIGN
        unit, _ = self._cost_terms()
        output = c["output"]
        china_rev, world_rev = c["price"] * c["sales_china"], c["price"] * c["sales_world"]
        revenue = china_rev + world_rev
        variable_cost = unit * output
        inputs = np.where(loc, self.input_cost_share[s] * variable_cost, 0.0)
        subsidy_rate = self.output_subsidy_rate()
        central_rate = np.minimum(subsidy_rate, np.where(loc & ~foreign, now["output_subsidy"][s], 0.0))
        sub_central = central_rate * unit * output
        sub_local = (subsidy_rate - central_rate) * unit * output
        credit = np.where(loc, now["rd_tax_credit"][s], 0.0)
        rd = self.rd_share() * revenue
        depreciation = fin["depreciation"] * (c["capital"] - c["capital_in_progress"])
        subsidies = sub_central + sub_local
        op = revenue + subsidies - variable_cost - rd - depreciation
        pref, implicit = self.rate_discounts()
        interest = self.loan_rate(pref, implicit) / 4.0 * c["debt"]
        interest_subsidy = pref / 4.0 * c["debt"]
        pretax = op - interest
        rebate = np.where(loc, np.minimum(1.0, now["tax_rebate"][s] + np.where(foreign, 0.0, self.local["tax_rebate"] * self.lsw)), 0.0)
        full_tax = fin["corporate_tax"] * np.maximum(0.0, pretax)
        tax = fin["corporate_tax"] * np.maximum(0.0, pretax - credit * rd) * (1.0 - rebate)
        tax_local = np.where(loc, tax * fin["local_tax_share"], 0.0)
        tax_central = np.where(loc, tax - tax_local, 0.0)
        net = pretax - tax
        dividends = np.where(c["cash"] > 0, m["payout_ratio"] * np.maximum(0.0, net) * (1.0 - c["fund_stake"]), 0.0)
        c.update(revenue=revenue, variable_cost=variable_cost, inputs=inputs, subsidy_central=sub_central,
                 subsidy_local=sub_local, rd=rd, operating_profit=op, interest_subsidy=interest_subsidy,
                 tax_expenditure=full_tax - tax, tax_local=tax_local)
        c["cash"] = c["cash"] + revenue - variable_cost - rd + subsidies - interest - tax - dividends
        c["capital"] = c["capital"] - depreciation
        c["capacity"] = (c["capital"] - c["capital_in_progress"]) / (self.cpo[s] / (c["productivity"] * self.frontier[s]))
        c["smoothed_profit"] = (1.0 - LENDER_MEMORY) * c["smoothed_profit"] + LENDER_MEMORY * op
        c["smoothed_interest"] = (1.0 - LENDER_MEMORY) * c["smoothed_interest"] + LENDER_MEMORY * interest
        c["year_operating_profit"] = c["year_operating_profit"] + op
        c["year_interest"] = c["year_interest"] + interest
        c["cumulative_output"] = c["cumulative_output"] + output
        # counterpart totals (live firms)
        live = c["alive"]
        lv, ab = live & loc, live & ~loc
        self.ledger += [np.sum(np.where(lv, variable_cost + rd + np.where(foreign, 0.0, dividends), 0.0)) -
                        np.sum(np.where(live, china_rev, 0.0)),
                        np.sum(np.where(ab, variable_cost + rd + interest + tax + dividends, 0.0)) +
                        np.sum(np.where(lv & foreign, dividends, 0.0)) - np.sum(np.where(live, world_rev, 0.0)),
                        np.sum(np.where(lv, interest, 0.0)),
                        np.sum(np.where(lv, tax_central - sub_central, 0.0))]
        per_gov = self.sum(sub_local, self.gg, self.ng) - self.sum(tax_local, self.gg, self.ng)
        self.gov_debt += per_gov

    def invest_capacity(self):
        c, s, m, fin, now = self.c, self.c["sector"], self.m, self.fin, self.now
        loc = c["localized"]
        kappa = self.cpo[s] / (c["productivity"] * self.frontier[s])
        subsidy_rate, central_part = self.investment_subsidy_rate()
        target = self.target_capacity(kappa, subsidy_rate)
        # scrap idle capacity far above the target
        excess = c["capacity"] - (1.0 + m["scrap_threshold"]) * target
        c["scrapped"] = np.where(excess > 0, m["scrap_rate"] * excess, 0.0)
        c["capital"] = c["capital"] - c["scrapped"] * kappa
        c["capacity"] = (c["capital"] - c["capital_in_progress"]) / kappa
        # orders (capacity_rule.hpp)
        at_start = c["capacity"] / (1.0 - fin["depreciation"])
        q, T, dep, a = self.gf, self.rule_T[s], fin["depreciation"], m["capacity_adjustment"]
        path = (1.0 + T - T / q) * ((q - 1.0) * target + dep * at_start)
        gap = a * (target - at_start)
        supply_line = a * m["supply_line_weight"] * (T * (q - 1.0 + dep) * target / q - c["capital_in_progress"] / kappa)
        units = np.maximum(0.0, path + gap + supply_line)
        cost = kappa * units
        internal = np.maximum(0.0, c["cash"] - CASH_BUFFER * c["capital"])
        need = cost * (1.0 - subsidy_rate)
        # loans for what internal funds do not cover (loan_supply)
        own = c["ownership"]
        limit = np.where(own == SOE, fin["max_leverage_soe"], np.where(own == FOREIGN, fin["max_leverage_foreign"],
                         fin["max_leverage_private"] * np.where(c["fund_stake"] > 0, 1.5, 1.0)))
        room = np.maximum(0.0, limit * (c["capital"] + cost) - c["debt"])
        short = need > internal
        granted = np.minimum(need - internal, room)
        crowding = np.where(c["fund_stake"] > 0, 0.0, fin["crowding_out"] * self.fund_presence[s])
        granted = np.where(own == PRIVATE, granted * fin["private_credit_rationing"] * np.maximum(0.0, 1.0 - crowding), granted)
        loan = np.where(short, granted, 0.0)
        cut = short & (internal + loan < need)
        cost = np.where(cut, cost * (internal + loan) / need, cost)
        units = np.where(cut, cost / kappa, units)
        subsidy = subsidy_rate * cost
        central_subsidy = np.where(subsidy_rate > 0, subsidy * central_part / subsidy_rate, 0.0)
        used_loan = np.minimum(loan, np.maximum(0.0, cost - subsidy - internal))
        live = c["alive"]
        cost = np.where(live, cost, 0.0)
        c["cash"] = c["cash"] + subsidy + used_loan - cost
        c["debt"] = c["debt"] + used_loan
        c["capital"] = c["capital"] + cost
        cip = c["capital_in_progress"] + cost
        c["capital_in_progress"] = cip - self.completion[s] * cip
        c["capacity"] = (c["capital"] - c["capital_in_progress"]) / kappa
        c["investment"] = cost
        c["subsidy_central"] = c["subsidy_central"] + central_subsidy
        local_subsidy = subsidy - central_subsidy
        c["subsidy_local"] = c["subsidy_local"] + local_subsidy
        # surplus cash repays debt
        surplus = c["cash"] - CASH_CEILING * c["capital"]
        repay = np.where((surplus > 0) & (c["debt"] > 0), np.minimum(surplus, c["debt"]), 0.0)
        c["cash"] = c["cash"] - repay
        c["debt"] = c["debt"] - repay
        self.ledger += [np.sum(np.where(live & loc, cost, 0.0)), np.sum(np.where(live & ~loc, cost, 0.0)), 0.0,
                        -np.sum(np.where(live, central_subsidy, 0.0))]
        self.gov_debt += self.sum(local_subsidy, self.gg, self.ng)

    def advance_technology(self):
        c, s, tech, now, ns = self.c, self.c["sector"], self.tech, self.now, self.ns
        foreign = c["ownership"] == FOREIGN
        # best practice: the 90th percentile of live Chinese-owned firms' productivity, per sector
        key = np.where(c["alive"] & ~foreign, s, ns)
        order = np.argsort(key, kind="stable")
        counts = np.bincount(key, minlength=ns + 1)
        starts = np.concatenate([[0], np.cumsum(counts)])
        values = c["productivity"][order]
        best = np.zeros(ns)
        for k in range(ns):
            if counts[k] > 0:
                j = int(0.9 * (counts[k] - 1))
                best[k] = np.partition(values[starts[k]:starts[k + 1]], j)[j]
        # clusters per (local government, sector), China-located firms
        bins = self.ng * ns
        firms = self.sum(None, self.ggs, bins)
        out = self.sum(c["output"], self.ggs, bins)
        fout = self.sum(np.where(foreign, c["output"], 0.0), self.ggs, bins)
        foreign_share = np.where(out > 0, fout / out, 0.0)
        present = (firms > 0).reshape(self.ng, ns)
        avg = np.where(present.sum(0) > 0, (firms.reshape(self.ng, ns) * present).sum(0) / np.maximum(present.sum(0), 1), 0.0)
        rel = np.where(firms > 0, log((1.0 + firms) / (1.0 + np.tile(avg, self.ng))), 0.0)
        access = np.clip(1.0 - tech["export_control_setback"] * self.component * now["export_control"], 0.0, 1.0)
        log_step = log(self.frontier_step)
        self.frontier = self.frontier * self.frontier_step
        self.best_productivity = best
        # advance_firm for live Chinese-owned China-located firms
        mover = c["alive"] & c["localized"] & ~foreign
        count = int(mover.sum())
        a = c["productivity"]
        rev = c["revenue"]
        intensity = np.where(rev > 0, c["rd"] / rev, 0.0)
        acc = access[s]
        pace = acc * tech["innovation_rate"] * (intensity / np.maximum(self.rd_int[s], 1e-6)) / self.difficulty[s]
        hazard = np.minimum(0.9, 0.5 * pace)
        u = np.ones(a.size)
        u[mover] = self.rng.random(count)
        success = mover & (hazard > 0) & (u < hazard)
        a = a.copy()
        hit = np.flatnonzero(success)
        gain = log_step[s[hit]] * pace[hit] / hazard[hit] * (0.5 + self.rng.random(hit.size))
        a[hit] *= exp(gain)
        cl = np.where(mover, self.gov0 * ns + s, 0)
        effect = np.maximum(-0.5, tech["cluster_boost"] * rel[cl]) + np.where(self.focus_flat[cl], now["cluster_support"][s], 0.0)
        a = a + acc * tech["imitation_rate"] * (1.0 + effect) * np.maximum(0.0, best[s] - a)
        a = a + acc * np.minimum(1.0, tech["imitation_rate"] * tech["transfer_boost"] * foreign_share[cl]) * np.maximum(0.0, 1.0 - a)
        before = c["cumulative_output"] - c["output"]
        learn = (before > 0) & (c["output"] > 0)
        a = a * np.where(learn, power(c["cumulative_output"] / before, tech["learning_rate"]), 1.0)
        a = a / self.frontier_step[s]
        c["productivity"] = np.where(mover, np.clip(a, 1e-3, tech["max_relative_productivity"]), c["productivity"])
        c["capacity"] = (c["capital"] - c["capital_in_progress"]) / (self.cpo[s] / (c["productivity"] * self.frontier[s]))

    def update_population(self):
        c, s, fin, rng = self.c, self.c["sector"], self.fin, self.rng
        live, loc, own = c["alive"].copy(), c["localized"], c["ownership"]
        c["age"] = c["age"] + live
        if self.step % 4 == 3:  # year-end zombie test
            short = (c["age"] >= 4) & (c["year_operating_profit"] < c["year_interest"])
            c["bad_years"] = np.where(live, np.where(short, c["bad_years"] + 1, 0), c["bad_years"])
            c["zombie"] = np.where(live, c["bad_years"] >= fin["zombie_years"], c["zombie"])
            c["year_operating_profit"] = np.where(live, 0.0, c["year_operating_profit"])
            c["year_interest"] = np.where(live, 0.0, c["year_interest"])
        c["bailout"] = np.zeros(s.size)
        cash, debt, capital = c["cash"].copy(), c["debt"].copy(), c["capital"]
        # foreign producers abroad: lenders abroad write down what keeps them going
        ab = live & ~loc
        shortfall = np.maximum(0.0, -np.minimum(cash + capital - debt, cash))
        hit = ab & (shortfall > 0)
        write_down = np.where(hit, np.minimum(debt, shortfall + RESCUE_EQUITY * capital), 0.0)
        debt = debt - write_down
        fix = hit & (cash < 0)
        debt = np.where(fix, debt - cash, debt)
        cash = np.where(fix, 0.0, cash)
        lenders_abroad = -write_down.sum()
        # China-located firms: lenders roll over the loans falling due, or not
        net_worth = cash + capital - debt
        insolvent = (net_worth < 0) | (cash < 0)
        due = debt / fin["loan_maturity"]
        active = live & loc & (insolvent | (due > 0))
        coverage = np.where(c["smoothed_interest"] > 0, c["smoothed_profit"] / c["smoothed_interest"], COVERAGE_CAP)
        collateral = np.where(debt > 0, capital / debt, COVERAGE_CAP)
        score = fin["refinance_base"] + fin["refinance_coverage_weight"] * np.clip(coverage, -COVERAGE_CAP, COVERAGE_CAP) + \
            fin["refinance_collateral_weight"] * (np.minimum(collateral, COVERAGE_CAP) - 1.0) + \
            np.where(own == SOE, fin["refinance_soe_bonus"], 0.0) + np.where(c["fund_stake"] > 0, fin["refinance_fund_bonus"], 0.0) + \
            fin["refinance_local_bonus"] * self.lsw
        ia = np.flatnonzero(active)
        p = 1.0 / (1.0 + exp(-score[ia]))
        refin = np.zeros(s.size, dtype=bool)
        refin[ia] = rng.random(ia.size) < p
        fix = refin & (cash < 0)
        debt = np.where(fix, debt - cash, debt)
        cash = np.where(fix, 0.0, cash)
        refused = active & ~refin
        solvent = refused & ~insolvent
        # a solvent firm short of cash sells capital at the distress price, if it stays solvent
        price = fin["distress_sale_price"]
        need = np.maximum(due - cash, 0.0)
        book = need / price
        seller = solvent & (cash < due) & (book <= capital - c["capital_in_progress"]) & \
            (cash + capital - debt - book * (1.0 - price) >= 0)
        kappa = self.cpo[s] / (c["productivity"] * self.frontier[s])
        c["capital"] = np.where(seller, capital - book, capital)
        c["scrapped"] = np.where(seller, c["scrapped"] + book / kappa, c["scrapped"])
        c["capacity"] = np.where(seller, (c["capital"] - c["capital_in_progress"]) / kappa, c["capacity"])
        asset_buyers = -need[seller].sum()
        payer = solvent & (cash >= due)
        repaid = seller | payer
        debt = np.where(repaid, debt - due, debt)
        cash = np.where(seller, 0.0, np.where(payer, cash - due, cash))
        # the rest default: bailed out with a probability by ownership, or exit
        default = refused & ~repaid
        idf = np.flatnonzero(default)
        prob = np.where(own == SOE, fin["bailout_soe"], np.where(own == FOREIGN, fin["bailout_foreign"],
                        np.where(c["fund_stake"] > 0, fin["bailout_fund_backed"], fin["bailout_private"])))
        rescued = np.zeros(s.size, dtype=bool)
        rescued[idf] = rng.random(idf.size) < prob[idf]
        exited = default & ~rescued
        banks = np.sum(np.where(exited, cash - debt, 0.0))
        need = np.maximum(-net_worth, -cash) + RESCUE_EQUITY * c["capital"]
        gov_part = fin["bailout_cost_share"] * need
        write_down = np.where(rescued, np.minimum(debt, need - gov_part), 0.0)
        c["bailout"] = np.where(rescued, gov_part, 0.0)
        cash = cash + c["bailout"]
        debt = debt - write_down
        fix = rescued & (cash < 0)
        debt = np.where(fix, debt - cash, debt)
        cash = np.where(fix, 0.0, cash)
        c["cash"], c["debt"] = cash, debt
        c["alive"] = live & ~exited
        self.ledger += [asset_buyers, lenders_abroad, banks - write_down.sum(), 0.0]
        self.gov_debt += self.sum(c["bailout"], self.gg, self.ng)
        self.outcomes = [self.sum(None, np.where(m_, s, self.ns)) for m_ in (exited, refin & insolvent, seller, rescued)]
        self._refresh_groups()
        self.enter()
        if self.step % 4 == 3:  # yearly compaction: survivors keep their order
            keep = c["alive"]
            if not keep.all():
                for name in COLUMNS:
                    c[name] = c[name][keep]
                self._refresh_groups()

    def enter(self):
        c, s, fc, ns, ng, m, rng = self.c, self.c["sector"], self.firms_cfg, self.ns, self.ng, self.m, self.rng
        china_cap = self.sum(c["capacity"], self.gl)
        firms = self.sum(None, self.gl)
        exports = self.sum(c["share_world"], self.gl)
        inc_c, inc_w = self.sum(c["share_china"], self.gl), self.sum(c["share_world"], self.gl)
        now = self.now
        incumbents = self.sum(None, self.ggs, ng * ns).reshape(ng, ns)
        local_weight = np.where(self.focus, self.local_scale * self.support_multiplier[:, None], 0.0)
        support = now["output_subsidy"] + now["investment_subsidy"] + local_weight * (self.local["output_subsidy"] + self.local["investment_subsidy"])
        seed = firms[None, :] * self.gov_weight[:, None] * self.strength / ng
        drive = np.clip(fc["entry_profit_sensitivity"] * (self.margin - self.normal_margin) + fc["entry_subsidy_sensitivity"] * support, -3.0, 2.5)
        focus_effect = np.where(self.focus, 1.0 + (fc["entry_focus_multiplier"] - 1.0) * min(1.0, self.local_scale), 1.0)
        lam = fc["entry_rate"] * (0.5 * incumbents + 0.5 * seed) * exp(drive) * focus_effect
        arrivals = np.minimum(rng.poisson(lam.ravel()), 1000)
        k = self.entries = int(arrivals.sum())
        if k == 0:
            return
        keys = np.repeat(np.arange(ng * ns), arrivals)
        es, eg = keys % ns, keys // ns
        new = {name: np.zeros(k, dtype=c[name].dtype) for name in COLUMNS}
        new["id"] = np.arange(self.next_id, self.next_id + k)
        self.next_id += k
        new["sector"], new["government"] = es, eg
        new["ownership"] = np.where(rng.random(k) < fc["entrant_soe_share"], SOE, PRIVATE)
        new["localized"][:] = True
        new["alive"][:] = True
        sigma = fc["productivity_dispersion"]
        mean = fc["entrant_productivity"] * np.maximum(self.mean_productivity[es], 1e-3)
        new["productivity"] = np.minimum(self.tech["max_relative_productivity"], mean * exp(sigma * rng.standard_normal(k) - 0.5 * sigma * sigma))
        new["capacity"] = fc["entrant_size"] * np.maximum(self.mean_capacity[es], 1e-6)
        new["capital"] = self.cpo[es] / (new["productivity"] * self.frontier[es]) * new["capacity"]
        new["debt"] = self.fin["initial_leverage"] * new["capital"]
        new["cash"] = self.fin["initial_cash"] * new["capital"]
        new["markup"] = self.markup0[es]
        weight = np.where(china_cap[es] > 0, new["capacity"] / china_cap[es], 0.0)
        new["share_china"] = np.maximum(m["min_share"], weight * self.domestic_share[es])
        new["share_world"] = np.maximum(m["min_share"], weight * exports[es])
        new["expected_demand"] = new["capacity"] * self.normal_util[es]
        new["cumulative_output"] = new["expected_demand"].copy()
        first = s.size
        for name in COLUMNS:
            c[name] = np.concatenate([c[name], new[name]])
        self._refresh_groups()
        self.lsw = self.local_support_weight()
        # entrants' prices and appeal (list_price, set_appeal): the helpers run on views of the new rows
        sub = slice(first, None)
        full_c, full_lsw = self.c, self.lsw
        self.c, self.lsw = {name: col[sub] for name, col in full_c.items()}, full_lsw[sub]
        price = self.list_price(self.c["markup"], self.output_subsidy_rate())
        tc, tw = self.policy_terms()
        self.c, self.lsw = full_c, full_lsw
        c["price"][sub] = price
        base = -m["price_weight"] * log(price) + m["quality_weight"] * log(c["productivity"][sub])
        c["appeal_china"][sub] = log(c["share_china"][sub]) - base - tc
        c["appeal_world"][sub] = log(c["share_world"][sub]) - base - tw
        # business stealing: China-located incumbents give up the entrants' shares
        ent_c = np.bincount(es, weights=new["share_china"], minlength=ns)
        ent_w = np.bincount(es, weights=new["share_world"], minlength=ns)
        keep_c = np.where(inc_c > 0, np.maximum(0.5, 1.0 - ent_c / inc_c), 1.0)
        keep_w = np.where(inc_w > 0, np.maximum(0.5, 1.0 - ent_w / inc_w), 1.0)
        inc = np.zeros(c["alive"].size, dtype=bool)
        inc[:first] = c["localized"][:first] & c["alive"][:first]
        sec = c["sector"]
        c["share_china"] = np.where(inc, c["share_china"] * keep_c[sec], c["share_china"])
        c["share_world"] = np.where(inc, c["share_world"] * keep_w[sec], c["share_world"])
        c["appeal_china"] = np.where(inc, c["appeal_china"] + log(keep_c)[sec], c["appeal_china"])
        c["appeal_world"] = np.where(inc, c["appeal_world"] + log(keep_w)[sec], c["appeal_world"])

    def settle_governments(self):
        c = self.c
        supported = np.where(self.lsw > 0, c["tax_local"], 0.0)
        self.gov_tax_supported = self.sum(supported, self.gg, self.ng)
        self.gov_priority_output = self.sum(np.where(c["ownership"] != FOREIGN, self.priority[c["sector"]] * c["output"], 0.0), self.gg, self.ng)

    def summarize_sectors(self):
        c, s, ns = self.c, self.c["sector"], self.ns
        unit, full = self._cost_terms()
        self._reference_costs(unit, full)
        gs, gl, gc = self.gs, self.gl, self.gc
        loc_foreign = c["ownership"] == FOREIGN
        counted = c["localized"] & (c["output"] > 0) & (c["revenue"] > 0) & (c["capital"] > 0)
        gm = np.where(c["alive"] & counted, s, ns)
        S = self.sum
        a = {}
        a["out_all"], a["sales_china_all"] = S(c["output"], gs), S(c["sales_china"], gs)
        a["china_value_all"] = S(c["price"] * c["sales_china"], gs)
        for name in ("capacity", "usable_capacity", "output", "sales_china", "revenue", "operating_profit", "capital",
                     "investment", "rd", "subsidy_central", "subsidy_local", "variable_cost", "inputs", "demand_variance", "scrapped"):
            a[name + "_local"] = S(c[name], gl)
        a["firms_local"] = S(None, gl)
        a["out_sq_local"] = S(c["output"] * c["output"], gl)
        a["exports_value"] = S(c["price"] * c["sales_world"], gl)
        a["productivity_weighted"] = S(c["productivity"] * c["output"], gl)
        a["zombies_local"] = S(c["zombie"].astype(float), gl)
        a["zombie_capital"] = S(np.where(c["zombie"], c["capital"], 0.0), gl)
        a["soe_revenue"] = S(np.where(c["ownership"] == SOE, c["revenue"], 0.0), gl)
        a["revenue_chinese"] = S(np.where(loc_foreign, 0.0, c["revenue"]), gl)
        a["price_weighted_local"] = S(c["price"] * c["output"], gl)
        kappa = self.cpo[s] / (c["productivity"] * self.frontier[s])
        a["building_local"] = S(np.where(c["capital_in_progress"] > 0, c["capital_in_progress"] / kappa, 0.0), gl)
        a["markup_weighted"] = S(c["output"] * c["price"] * (1.0 - self.rd_int[s]) / full, gl)
        for name in ("sales_china", "productivity", "capital", "fund_equity", "output"):
            a[name + "_chinese"] = S(c[name], gc)
        a["firms_chinese"] = S(None, gc)
        a["productivity_chinese_weighted"] = S(c["productivity"] * c["output"], gc)
        for name in ("revenue", "capital", "variable_cost"):
            a["counted_" + name] = S(c[name], gm)
        self.sums, self.gm = a, gm
        r = lambda x, y, fb=0.0: np.where(y > 0, x / y, fb)
        self.utilisation = r(a["output_local"], a["usable_capacity_local"], 1.0)
        self.domestic_share = r(a["sales_china_local"], a["sales_china_all"])
        self.margin = r(a["operating_profit_local"], a["revenue_local"])
        if self.step == 0:
            self.normal_margin = self.margin.copy()
        self.world_experience_prev = self.world_experience.copy()
        self.world_experience = self.world_experience + a["out_all"]
        self.variable_cost_china = a["variable_cost_local"]
        self.mean_capacity = r(a["capacity_local"], a["firms_local"])
        self.sector_variance = r(a["demand_variance_local"], a["firms_local"])
        self.mean_productivity = r(a["productivity_chinese"], a["firms_chinese"], 0.5)
        self.fund_presence = r(a["fund_equity_chinese"], a["capital_chinese"])
        slot = self.step % 4
        demand = np.stack([self.demand_china, self.demand_world])
        observed = np.where(self.year_ago[slot] > 0, demand / self.year_ago[slot] - 1.0, 0.0)
        self.expected_growth += GROWTH_WEIGHT * (observed - self.expected_growth)
        self.year_ago[slot] = demand

    def compute_outcomes(self):
        c, s, a = self.c, self.c["sector"], self.sums
        # misallocation (Hsieh-Klenow, sigma = 3) over the counted firms: one log and one exp each
        iu = np.flatnonzero(self.gm < self.ns)
        g = self.gm[iu]
        y = c["revenue"][iu] / a["counted_revenue"][g]
        k = c["capital"][iu] / a["counted_capital"][g]
        l_ = c["variable_cost"][iu] / a["counted_variable_cost"][g]
        terms = y * y * y / (l_ * l_) * exp(-2.0 * self.capital_share[g] * log(k / l_))
        self.misallocation = np.bincount(g, weights=terms, minlength=self.ns)
        self.value_added = self.sum(c["revenue"] - c["inputs"], self.gg, self.ng)
        live = c["alive"]
        bailed = live | (c["bailout"] != 0)
        self.national = [np.sum(np.where(live, c["cash"] - c["debt"], 0.0)),
                         np.sum(np.where(bailed, c["subsidy_central"] + c["subsidy_local"] + c["tax_expenditure"] +
                                         c["interest_subsidy"] + c["bailout"], 0.0)),
                         np.sum(live),
                         np.sum(np.where(live, c["fund_stake"] * np.maximum(0.0, c["cash"] + c["capital"] - c["debt"]), 0.0))]

    PHASES = ("update_conditions", "set_prices", "clear_markets", "settle_accounts", "invest_capacity",
              "advance_technology", "update_population", "settle_governments", "summarize_sectors", "compute_outcomes")

    def quarter(self, profile=None):
        self.year = self.start_year + 0.25 * self.step
        for name in self.PHASES:
            start = time.perf_counter()
            if name == "set_prices":
                self.lsw = self.local_support_weight()  # inputs change only with focus and the support multiplier
            elif name == "settle_governments":
                self.lsw = self.local_support_weight()  # rows changed with entry and compaction
            getattr(self, name)()
            if profile is not None:
                profile[name] = profile.get(name, 0.0) + time.perf_counter() - start
        self.step += 1


def main():
    here = pathlib.Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--firms", type=int, default=20000)
    ap.add_argument("--quarters", type=int, default=84)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scenario", default=str(here / "scenarios" / "mic2025.yaml"))
    ap.add_argument("--profile", action="store_true", help="print the time per phase")
    ap.add_argument("--trace", action="store_true", help="print the population every 8 quarters")
    ap.add_argument("--passes", action="store_true", help="count the operations over firm-length arrays per quarter (slow)")
    ap.add_argument("--count", action="store_true", help="count transcendental calls per firm-quarter (slower)")
    args = ap.parse_args()
    if args.count:
        enable_counting()
    np.seterr(divide="ignore", invalid="ignore", over="ignore")  # masked branches compute what np.where drops
    t0 = time.perf_counter()
    model = Model(args.scenario, args.firms, args.seed)
    setup = time.perf_counter() - t0
    if args.passes:
        PASSES["threshold"] = max(1000, args.firms // 4)
        model.c = {k: v.view(Counted) for k, v in model.c.items()}
    firm_quarters = 0
    profile = {} if args.profile else None
    t1 = time.perf_counter()
    for _ in range(args.quarters):
        firm_quarters += model.c["alive"].size
        model.quarter(profile)
        if args.trace and model.step % 8 == 1:
            print(f"q{model.step - 1}: rows {model.c['alive'].size}, live {int(model.c['alive'].sum())}, "
                  f"entries {model.entries}, exits {int(model.outcomes[0].sum())}, "
                  f"refinanced {int(model.outcomes[1].sum())}, bailed out {int(model.outcomes[3].sum())}")
    took = time.perf_counter() - t1
    c = model.c
    finite = all(np.isfinite(c[k]).all() for k in ("price", "share_china", "capacity", "cash", "debt", "productivity"))
    print(f"numpy reference: {args.firms} firms, {args.quarters} quarters, {firm_quarters} firm-quarters, "
          f"{int(c['alive'].sum())} firms at the end, finite={finite}")
    print(f"setup {setup:.3f} s; quarters {took:.3f} s; {took / args.quarters * 1e3:.2f} ms per quarter; "
          f"{took / firm_quarters * 1e9:.0f} ns per firm-quarter")
    loc = c["localized"] & c["alive"]
    print(f"mean productivity of China-located firms {c['productivity'][loc].mean():.3f}; "
          f"exits {int(sum(o.sum() for o in [model.outcomes[0]]))} last quarter; "
          f"utilisation {np.round(model.utilisation, 2).tolist()}")
    if profile:
        print("phase                seconds  ns per firm-quarter")
        for name, seconds in profile.items():
            print(f" {name:<19} {seconds:7.3f}  {seconds / firm_quarters * 1e9:10.1f}")
    if args.passes:
        print(f"operations over firm-length arrays: {PASSES['ops'] / args.quarters:.0f} per quarter")
    if args.count:
        print("transcendental calls per firm-quarter: " +
              ", ".join(f"{k} {v / firm_quarters:.2f}" for k, v in sorted(COUNTS.items())) +
              f"; total {sum(COUNTS.values()) / firm_quarters:.2f}")


if __name__ == "__main__":
    main()
