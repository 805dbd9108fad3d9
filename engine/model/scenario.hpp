/*!
 * @file scenario.hpp
 * @brief The scenario: an immutable, validated description of one simulation.
 *
 * Plain structs, one per YAML section. A field's default is written once, as its member
 * initializer; `visit` lists each field with unit, valid range, meaning and source (see
 * schema.hpp). Nothing past the loader reads YAML: the engine receives a `const Scenario&`.
 * Sectors, regions, funds and input-output links are all data; no sector or region is named in
 * code.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/schema.hpp"

namespace ipsim::model {

/*! @brief Calendar and horizon. */
struct TimeSettings {
    double start_year = 2015.0;
    std::int64_t quarters = 84;

    template <class V>
    void visit(V& v) {
        v.number("start_year", start_year, {"year", between(1900, 2200), "calendar year of the first quarter (Q1)", "MODEL_BRIEF (2015Q1)"});
        v.integer("quarters", quarters, {"quarter", between(1, 2000), "number of quarterly steps", "MODEL_BRIEF (2015Q1-2035Q4)"});
    }
};

/*! @brief Size of the initial firm population and of entrants. */
struct FirmSettings {
    std::int64_t count = 20000;
    double productivity_dispersion = 0.25;
    double entry_rate = 0.002;
    double entry_profit_sensitivity = 5.0;
    double entry_subsidy_sensitivity = 5.0;
    double entry_focus_multiplier = 2.0;
    double entrant_size = 0.5;
    double entrant_soe_share = 0.05;
    double entrant_productivity = 0.85;
    double soe_size_premium = 5.0;
    double size_dispersion = 1.0;

    template <class V>
    void visit(V& v) {
        v.integer("count", count, {"firms", between(1, 1e9), "initial number of firms, all sectors and ownerships", "assumption (sized to run in seconds)"});
        v.number("productivity_dispersion", productivity_dispersion, {"log points", non_negative(), "standard deviation of log productivity of initial firms and entrants", "assumption"});
        v.number("entry_rate", entry_rate, {"firms per quarter per incumbent", non_negative(), "baseline entrants per quarter per incumbent firm of the local-government sector (plus a seed term proportional to local strength)", "assumption"});
        v.number("entry_profit_sensitivity", entry_profit_sensitivity, {"1", non_negative(), "elasticity of the entry rate to the sector's average profit margin", "assumption"});
        v.number("entry_subsidy_sensitivity", entry_subsidy_sensitivity, {"1", non_negative(), "elasticity of the entry rate to the local support rate", "assumption"});
        v.number("entry_focus_multiplier", entry_focus_multiplier, {"1", Range{1.0, 1e9}, "entry rate multiplier in a local government's focus sectors", "assumption"});
        v.number("entrant_size", entrant_size, {"share of incumbent mean capacity", positive(), "capacity of an entrant relative to the mean firm of its sector", "assumption"});
        v.number("entrant_soe_share", entrant_soe_share, {"1", unit_interval(), "probability that an entrant is state-owned", "assumption"});
        v.number("entrant_productivity", entrant_productivity, {"share of sector domestic mean", positive(), "mean productivity of entrants relative to domestic incumbents", "assumption"});
        v.number("soe_size_premium", soe_size_premium, {"1", positive(), "initial size of an SOE relative to a private Chinese firm", "assumption"});
        v.number("size_dispersion", size_dispersion, {"log points", non_negative(), "standard deviation of log initial firm size within an ownership group", "assumption"});
    }
};

/*! @brief Market dynamics common to all sectors (replicator dynamics, prices, expectations). */
struct MarketSettings {
    double selection_intensity = 0.25;
    double price_weight = 2.0;
    double quality_weight = 1.0;
    double unfilled_weight = 1.0;
    double procurement_weight = 2.0;
    double localization_penalty = 1.0;
    double market_access_penalty = 1.5;
    double markup_share_sensitivity = 0.5;
    double price_war_sensitivity = 1.5;
    double scarcity_sensitivity = 0.0;
    double target_utilisation = 0.8;
    double expectation_weight = 0.3;
    double capacity_adjustment = 0.25;
    double min_share = 1e-7;
    double export_control_penalty = 1.0;
    double localization_response = 0.15;
    double volatility_weight = 0.1;
    double planning_uncertainty = 0.3;
    double planning_horizon = 4.0;
    double scrap_rate = 0.05;
    double scrap_threshold = 0.25;
    double payout_ratio = 0.3;
    double subsidy_pass_through = 0.5;
    double price_convergence = 0.5;
    double appeal_adjustment = 0.02;
    double demand_shock = 0.15;
    double demand_shock_persistence = 0.9;
    double supply_line_weight = 0.35;

    template <class V>
    void visit(V& v) {
        v.number("selection_intensity", selection_intensity, {"1 per quarter", non_negative(), "replicator speed chi: how fast shares move toward competitive firms", "Dosi, Fagiolo, Roventini (2010); value assumption"});
        v.number("price_weight", price_weight, {"1", non_negative(), "weight of log delivered price in competitiveness", "assumption"});
        v.number("quality_weight", quality_weight, {"1", non_negative(), "weight of log productivity (quality) in competitiveness", "assumption"});
        v.number("unfilled_weight", unfilled_weight, {"1", non_negative(), "weight of the unfilled-order ratio in competitiveness", "Dosi et al. (2010)"});
        v.number("procurement_weight", procurement_weight, {"1", non_negative(), "competitiveness bonus of a domestic firm per unit of (procurement segment x reserved share)", "assumption"});
        v.number("localization_penalty", localization_penalty, {"1", non_negative(), "competitiveness penalty per unit of localization requirement for non-localized foreign firms", "assumption"});
        v.number("market_access_penalty", market_access_penalty, {"1", non_negative(), "competitiveness penalty per unit of market-access restriction for all foreign firms in China", "assumption"});
        v.number("markup_share_sensitivity", markup_share_sensitivity, {"1", non_negative(), "markup rise per unit of market share above the symmetric share", "assumption"});
        v.number("price_war_sensitivity", price_war_sensitivity, {"1", non_negative(), "markup cut per unit of sector utilisation below target (price war)", "assumption"});
        v.number("scarcity_sensitivity", scarcity_sensitivity, {"1", non_negative(), "markup rise per unit of the sector's utilisation above normal, as a share of the room between normal and full use (0: markups never rise when capacity is short)", "assumption (off in mic2025)"});
        v.number("target_utilisation", target_utilisation, {"1", Range{0.0, 1.0, true, false}, "normal utilisation: capacity use a firm plans for without policy and without demand shocks (the newsvendor rule moves capacity around it)", "EC steel estimates (2016): healthy 75-85%"});
        v.number("expectation_weight", expectation_weight, {"1", Range{0.0, 1.0, true, false}, "weight of the latest quarter in adaptive demand expectations", "assumption"});
        v.number("capacity_adjustment", capacity_adjustment, {"1 per quarter", Range{0.0, 1.0, true, false}, "share of the capacity gap closed per quarter", "assumption"});
        v.number("supply_line_weight", supply_line_weight, {"1", unit_interval(), "weight firms give capacity under construction, relative to capacity in place, when they order (1: the supply line is fully accounted for; below 1 booms leave excess capacity behind)", "Sterman (1989), Management Science 35(3): subjects' supply-line weight averaged about one third"});
        v.number("min_share", min_share, {"1", Range{0.0, 0.01, true, false}, "floor on a firm's market share (keeps replicator shares positive)", "assumption"});
        v.number("export_control_penalty", export_control_penalty, {"1", non_negative(), "competitiveness penalty in China per unit of export control for foreign firms producing abroad", "assumption"});
        v.number("localization_response", localization_response, {"1 per year", unit_interval(), "probability per year and unit of localization requirement that a foreign exporter moves production to China", "assumption; seed 004 (In China for China)"});
        v.number("volatility_weight", volatility_weight, {"1", Range{0.0, 1.0, true, false}, "weight of the latest squared log forecast error in the demand variance a firm has seen", "assumption"});
        v.number("planning_uncertainty", planning_uncertainty, {"log points", non_negative(), "demand uncertainty every firm plans capacity for, before what it has seen (log standard deviation)", "assumption"});
        v.number("planning_horizon", planning_horizon, {"quarter", non_negative(), "quarters ahead a firm plans capacity for: its quarterly forecast-error variance is scaled by it", "assumption (about a year to build capacity)"});
        v.number("scrap_rate", scrap_rate, {"1 per quarter", unit_interval(), "share of capacity above the scrap threshold that a firm scraps each quarter (written off)", "assumption"});
        v.number("scrap_threshold", scrap_threshold, {"1", non_negative(), "capacity above desired capacity, relative, that a firm keeps before scrapping", "assumption"});
        v.number("payout_ratio", payout_ratio, {"1", unit_interval(), "share of positive net profit paid out as dividends", "assumption"});
        v.number("demand_shock", demand_shock, {"1", non_negative(), "standard deviation of the quarterly firm-specific demand (appeal) shock", "assumption (idiosyncratic shocks of heterogeneous-firm models)"});
        v.number("demand_shock_persistence", demand_shock_persistence, {"1", Range{0.0, 1.0, false, true}, "AR(1) persistence of the firm-specific demand shock", "assumption"});
        v.number("appeal_adjustment", appeal_adjustment, {"1 per quarter", unit_interval(), "speed at which a China-located firm's appeal abroad rises toward that of a foreign producer of its size (reputation built with scale; never falls back)", "assumption (brand building over about a decade)"});
        v.number("price_convergence", price_convergence, {"1", unit_interval(), "weight of rivals' mean cost in the cost a firm prices on (0: own cost only; 1: the group's mean): high-cost firms earn thinner margins", "assumption (Bertrand-like competition among close substitutes)"});
        v.number("subsidy_pass_through", subsidy_pass_through, {"1", unit_interval(), "share of the output subsidy passed on to buyers as a lower price", "assumption"});
    }
};

/*! @brief Finance: loans, taxes, depreciation, soft budgets. */
struct FinanceSettings {
    double base_rate = 0.045;
    double leverage_spread = 0.04;
    double soe_rate_discount = 0.01;
    double fund_backed_rate_discount = 0.005;
    double max_leverage_soe = 3.0;
    double max_leverage_private = 1.0;
    double max_leverage_foreign = 1.0;
    double private_credit_rationing = 0.5;
    double corporate_tax = 0.25;
    double local_tax_share = 0.5;
    double depreciation = 0.025;
    double bailout_soe = 0.8;
    double bailout_fund_backed = 0.5;
    double bailout_private = 0.1;
    double bailout_foreign = 0.0;
    double bailout_cost_share = 0.5;
    double distress_sale_price = 0.5;
    std::int64_t zombie_years = 3;
    double initial_leverage = 0.5;
    double initial_cash = 0.1;
    double crowding_out = 0.3;
    double loan_maturity = 8.0;
    double refinance_base = -1.0;
    double refinance_coverage_weight = 1.5;
    double refinance_collateral_weight = 1.0;
    double refinance_soe_bonus = 2.5;
    double refinance_fund_bonus = 1.5;
    double refinance_local_bonus = 1.5;

    template <class V>
    void visit(V& v) {
        v.number("base_rate", base_rate, {"1 per year", between(0, 1), "benchmark loan rate", "assumption (PBoC 1-year benchmark lending rate 4.35% from Oct 2015)"});
        v.number("leverage_spread", leverage_spread, {"1 per year", non_negative(), "extra rate per unit of debt/capital", "assumption"});
        v.number("soe_rate_discount", soe_rate_discount, {"1 per year", non_negative(), "rate discount for state-owned firms (state-bank preference)", "assumption; Tan, Huang and Woo (2016) on state-bank concentration"});
        v.number("fund_backed_rate_discount", fund_backed_rate_discount, {"1 per year", non_negative(), "rate discount for firms with state-fund equity", "assumption"});
        v.number("max_leverage_soe", max_leverage_soe, {"debt per capital", non_negative(), "borrowing limit of SOEs (soft limit)", "assumption"});
        v.number("max_leverage_private", max_leverage_private, {"debt per capital", non_negative(), "borrowing limit of private firms", "assumption"});
        v.number("max_leverage_foreign", max_leverage_foreign, {"debt per capital", non_negative(), "borrowing limit of foreign firms' China operations", "assumption"});
        v.number("private_credit_rationing", private_credit_rationing, {"1", unit_interval(), "share of a private firm's loan request that banks grant", "assumption"});
        v.number("corporate_tax", corporate_tax, {"1", unit_interval(), "corporate income tax rate", "PRC Enterprise Income Tax Law (25%)"});
        v.number("local_tax_share", local_tax_share, {"1", unit_interval(), "share of corporate tax that stays with the local government", "assumption (shared-tax split)"});
        v.number("depreciation", depreciation, {"1 per quarter", unit_interval(), "capital depreciation", "CALIBRATION_FACTS: about 10% a year (assumption)"});
        v.number("bailout_soe", bailout_soe, {"1", unit_interval(), "probability that an insolvent SOE is bailed out", "assumption; Lam et al. IMF WP/17/266"});
        v.number("bailout_fund_backed", bailout_fund_backed, {"1", unit_interval(), "probability that an insolvent fund-backed private firm is bailed out", "assumption"});
        v.number("bailout_private", bailout_private, {"1", unit_interval(), "probability that another insolvent private firm is bailed out", "assumption"});
        v.number("bailout_foreign", bailout_foreign, {"1", unit_interval(), "probability that an insolvent foreign firm is bailed out", "assumption"});
        v.number("bailout_cost_share", bailout_cost_share, {"1", unit_interval(), "share of a bail-out paid by the local government (the rest is a bank debt write-down)", "assumption"});
        v.number("distress_sale_price", distress_sale_price, {"share of book value", unit_interval(), "price, relative to book value, at which a solvent firm refused by its lenders sells finished capital to repay the loans due (0: it defaults instead); the capacity sold leaves the sector", "assumption between Ramey and Shapiro (2001): closed aerospace plants' equipment fetched about 0.3 of replacement cost, and Pulvino (1998): distressed airlines sold aircraft about 14% below market"});
        v.integer("zombie_years", zombie_years, {"year", between(1, 20), "consecutive years of operating profit below interest that make a zombie", "MODEL_BRIEF; IMF and Chinese literature"});
        v.number("initial_leverage", initial_leverage, {"debt per capital", non_negative(), "debt of initial firms relative to their capital", "assumption"});
        v.number("initial_cash", initial_cash, {"share of capital", non_negative(), "cash of initial firms relative to their capital", "assumption"});
        v.number("loan_maturity", loan_maturity, {"quarter", Range{1.0, 1e6}, "average maturity of firm loans: 1/maturity of the debt falls due each quarter and must be refinanced or repaid", "assumption (mostly short-term bank loans, PBoC)"});
        v.number("refinance_base", refinance_base, {"log odds", between(-20, 20), "lenders' log odds of refinancing a distressed private firm with zero interest coverage and collateral equal to its debt", "assumption"});
        v.number("refinance_coverage_weight", refinance_coverage_weight, {"log odds per unit", non_negative(), "rise in the log odds of refinancing per unit of interest coverage (operating profit / interest, recent quarters, capped at 5)", "assumption"});
        v.number("refinance_collateral_weight", refinance_collateral_weight, {"log odds per unit", non_negative(), "rise in the log odds of refinancing per unit of capital / debt above 1 (capped at 5)", "assumption"});
        v.number("refinance_soe_bonus", refinance_soe_bonus, {"log odds", non_negative(), "soft budget: extra log odds that state banks refinance an SOE", "assumption; Lam et al. IMF WP/17/266 (implicit guarantees)"});
        v.number("refinance_fund_bonus", refinance_fund_bonus, {"log odds", non_negative(), "soft budget: extra log odds for a firm with state-fund equity", "assumption"});
        v.number("refinance_local_bonus", refinance_local_bonus, {"log odds", non_negative(), "soft budget: extra log odds per unit of local support for a firm in its local government's focus sector", "assumption; seed 003 (local protection)"});
        v.number("crowding_out", crowding_out, {"1", unit_interval(), "cut in bank credit to private firms per unit of state-fund equity share in their sector", "assumption; seed 003 (crowding out private funds)"});
    }
};

/*! @brief Technology: R&D, imitation, technology transfer, learning by doing. */
struct TechnologySettings {
    double innovation_rate = 1.0;
    double imitation_rate = 0.005;
    double transfer_boost = 1.0;
    double frontier_absorption = 0.0;
    double cluster_boost = 0.5;
    double learning_rate = 0.03;
    double max_relative_productivity = 1.3;
    double export_control_setback = 1.0;

    template <class V>
    void visit(V& v) {
        v.number("export_control_setback", export_control_setback, {"1", non_negative(), "share of innovation, imitation, technology transfer and absorption of the world frontier lost per unit of (component intensity x export control): access to foreign tools, design software and IP", "assumption; seed 003 (a serious setback when cut off from foundational technology)"});
        v.number("innovation_rate", innovation_rate, {"1", non_negative(), "expected innovation pace of a Chinese firm with the sector's normal R&D intensity and difficulty 1, relative to the frontier's growth", "assumption (the frontier is itself the result of R&D at normal intensity)"});
        v.number("imitation_rate", imitation_rate, {"1 per quarter", unit_interval(), "share of the gap to the domestic best practice closed per quarter", "assumption"});
        v.number("transfer_boost", transfer_boost, {"1", non_negative(), "extra imitation per unit of localized-foreign output share in the firm's local-government sector", "assumption; seed 004 (localization push)"});
        v.number("frontier_absorption", frontier_absorption, {"1 per quarter", unit_interval(), "share of the gap to the world frontier a Chinese firm closes per quarter at its sector's normal R&D intensity (in proportion to its intensity, up to twice the normal): R&D as absorptive capacity", "assumption; Cohen and Levinthal (1989), Griffith, Redding and Van Reenen (2004)"});
        v.number("cluster_boost", cluster_boost, {"1", non_negative(), "extra imitation per log of the local cluster size relative to the sector average cluster", "assumption; seed 000 (clusters)"});
        v.number("learning_rate", learning_rate, {"1", non_negative(), "productivity elasticity to cumulative output (learning by doing)", "assumption"});
        v.number("max_relative_productivity", max_relative_productivity, {"share of frontier", positive(), "ceiling on a Chinese firm's productivity relative to the world frontier", "assumption"});
    }
};

/*! @brief Central government: priorities, tournament transfers, coordination. */
struct CentralSettings {
    double transfer_pool = 40.0;
    double tournament_share = 0.3;
    double target_escalation = 1.0;
    bool coordination = false;
    std::int64_t coordination_regions_per_sector = 0;
    double coordination_min_priority = 0.5;

    template <class V>
    void visit(V& v) {
        v.number("transfer_pool", transfer_pool, {"bn CNY per quarter", non_negative(), "central transfers to local governments for industrial upgrading", "assumption (order of magnitude of CSIS Red Ink 2022 totals)"});
        v.number("tournament_share", tournament_share, {"1", unit_interval(), "share of the transfer pool allocated by tournament rank (the rest by size)", "assumption"});
        v.number("target_escalation", target_escalation, {"1", non_negative(), "increase of a sector's priority per unit of shortfall from its self-sufficiency target", "assumption"});
        v.flag("coordination", coordination, "central coordination: the centre decides which sectors each local government focuses on (same number of focus slots and same support rules as free choice; slots spread over sectors by priority, each sector given to the governments with the strongest location quotient; seed 003, section 2.3)");
        v.integer("coordination_regions_per_sector", coordination_regions_per_sector, {"regions", between(0, 1e6), "under coordination: optional cap, at most this many regions' worth of local governments per sector; slots that do not fit stay unused, so a cap also cuts support (0: no cap, the clean counterfactual)", "assumption"});
        v.number("coordination_min_priority", coordination_min_priority, {"1", non_negative(), "under coordination: sectors whose central priority in force is below this get focus slots only if every priority sector already has all governments", "assumption (MIC25 core sectors have priority 0.6-1 in mic2025, steel 0.1; seed 003)"});
    }
};

/*! @brief Local governments: focus choice, support instruments, budget and debt. */
struct LocalSettings {
    std::int64_t per_region = 1;
    std::int64_t focus_count = 3;
    double weight_priority = 1.0;
    double weight_advantage = 1.5;
    double weight_herding = 0.6;
    double weight_prospects = 0.0;
    double focus_noise = 0.5;
    double support_share = 0.25;
    double output_subsidy = 0.05;
    double investment_subsidy = 0.15;
    double tax_rebate = 0.5;
    double procurement_preference = 0.3;
    double fund_contribution = 0.2;
    double fund_paid_in_share = 0.43;
    double other_spending_share = 1.0;
    double debt_limit = 1.5;
    double debt_rate = 0.05;
    double land_revenue_growth = 0.06;
    double tax_base_growth = 0.06;
    TimePath land_revenue_multiplier{1.0};
    double debt_squeeze_speed = 2.0;
    double capacity_push = 0.3;
    double revenue_adaptation = 0.0;
    double consolidation_speed = 0.0;
    double spending_floor = 0.8;

    template <class V>
    void visit(V& v) {
        v.integer("per_region", per_region, {"local governments", between(1, 100000), "local governments per region (1: provinces decide; ~92: county level)", "NBS: about 2,850 county-level divisions"});
        v.integer("focus_count", focus_count, {"sectors", between(0, 1000), "focus sectors each local government picks per year", "assumption; seed 003 (Yuyao focuses on four)"});
        v.number("weight_priority", weight_priority, {"1", non_negative(), "weight of central priority in the focus score", "assumption"});
        v.number("weight_advantage", weight_advantage, {"1", non_negative(), "weight of local comparative advantage (location quotient) in the focus score", "assumption"});
        v.number("weight_herding", weight_herding, {"1", non_negative(), "weight of the share of peers already focusing on a sector (herding)", "assumption; seed 003 (IC focus in about half of provinces)"});
        v.number("weight_prospects", weight_prospects, {"1 per unit of yearly growth", non_negative(), "weight of the sector's prospects in the focus score: the yearly growth of China's demand that firms expect (the tidal wave: governments, judged on output growth, crowd into the sectors every forecast says will boom; 0: prospects ignored; mic2025: 1)", "assumption; Lin, Wu and Xing (2010) on tidal-wave overcapacity"});
        v.number("focus_noise", focus_noise, {"1", non_negative(), "standard deviation of the noise in the focus score", "assumption"});
        v.number("support_share", support_share, {"1", unit_interval(), "share of local revenue a government is willing to spend on industrial support", "assumption"});
        v.number("output_subsidy", output_subsidy, {"share of unit cost", unit_interval(), "local output subsidy in focus sectors", "assumption"});
        v.number("investment_subsidy", investment_subsidy, {"share of capex", unit_interval(), "local investment subsidy and land/capex discount in focus sectors", "assumption"});
        v.number("tax_rebate", tax_rebate, {"share of local tax", unit_interval(), "local tax rebate in focus sectors", "assumption"});
        v.number("procurement_preference", procurement_preference, {"1", unit_interval(), "procurement bonus local governments give their own firms (as procurement share)", "assumption"});
        v.number("fund_contribution", fund_contribution, {"1", unit_interval(), "share of the support budget pledged to local guidance funds", "CSET (2021): budget share of a fund's target 20-30%"});
        v.number("fund_paid_in_share", fund_paid_in_share, {"1", unit_interval(), "share of pledged guidance-fund money ever paid in", "CSET (2021): 4.76 of 11 tn CNY raised (43%); seed 003 (pledges above deployment)"});
        v.number("other_spending_share", other_spending_share, {"1", non_negative(), "non-industrial spending as a share of the revenue base (smoothed own revenue) before consolidation: 1 + the structural gap", "assumption"});
        v.number("revenue_adaptation", revenue_adaptation, {"1 per quarter", unit_interval(), "share of the gap between actual and smoothed own revenue that non-industrial spending adapts to each quarter (0: spending follows trend revenue, so every revenue shock is borrowed; mic2025: 0.05)", "assumption (mic2025: half-life of about 3.4 years; land-revenue falls after 2021 were first borrowed, MoF)"});
        v.number("consolidation_speed", consolidation_speed, {"1", non_negative(), "cut in non-industrial spending, as a share of the revenue base, per unit of debt/annual revenue above debt_limit (0: no consolidation; mic2025: 0.05)", "Bohn (1998, QJE): primary surplus responds about 0.05 per unit of debt ratio; for local China an assumption"});
        v.number("spending_floor", spending_floor, {"1", unit_interval(), "lowest non-industrial spending as a share of the revenue base (wages, pensions, basic services cannot be cut further)", "assumption"});
        v.number("debt_limit", debt_limit, {"debt per annual revenue", positive(), "debt/revenue ratio above which support must be cut", "assumption; seed 004 (fiscal trade-off)"});
        v.number("debt_rate", debt_rate, {"1 per year", between(0, 1), "interest rate on local government debt", "assumption (LGFV bond yields)"});
        v.number("land_revenue_growth", land_revenue_growth, {"1 per year", between(-1, 1), "trend growth of land-sale revenue", "assumption; MoF land revenue peaked 8.7 tn CNY (2021)"});
        v.number("tax_base_growth", tax_base_growth, {"1 per year", between(-1, 1), "trend growth of revenue from outside the modelled industries", "assumption (nominal GDP growth, about 6-8% a year 2015-2019)"});
        v.path("land_revenue_multiplier", land_revenue_multiplier, {"1", non_negative(), "multiplier on land revenue over time (fiscal squeeze)", "MoF: land revenue fell about 23% (2022) and 13% (2023)"});
        v.number("capacity_push", capacity_push, {"1", non_negative(), "extra desired capacity, relative, that local governments push firms to build in their focus sectors (times the support multiplier)", "assumption; seed 003 (overcapacity from overzealous top-down planning)"});
        v.number("debt_squeeze_speed", debt_squeeze_speed, {"1", non_negative(), "support cut per unit of debt ratio above the limit, relative to the limit", "assumption"});
    }
};

/*! @brief A national fund (e.g. the "Big Fund"), listed by name. */
struct NationalFund {
    std::string name;
    std::vector<std::string> sectors;
    double pledged = 100.0;
    double start_year = 2015.0;
    double investment_years = 5.0;
    double paid_in_share = 1.0;

    template <class V>
    void visit(V& v) {
        v.text("name", name, "identifier of the fund");
        v.names("sectors", sectors, "sectors of the mandate (empty: all)");
        v.number("pledged", pledged, {"bn CNY", non_negative(), "pledged capital", "seed 003 (Big Fund phase I: 139 bn CNY)"});
        v.number("start_year", start_year, {"year", between(1900, 2200), "year the fund starts investing", "seed 003"});
        v.number("investment_years", investment_years, {"year", positive(), "investment period over which paid-in capital is called", "assumption"});
        v.number("paid_in_share", paid_in_share, {"1", unit_interval(), "share of pledges actually paid in", "assumption"});
    }
};

/*! @brief State-backed investment funds: selection and local guidance funds. */
struct FundSettings {
    std::vector<NationalFund> national;
    double local_per_government = 1.0;
    double investment_years = 5.0;
    double weight_productivity = 1.0;
    double weight_soe = 1.0;
    double weight_local = 0.5;
    double selection_noise = 0.5;
    std::int64_t candidates = 16;
    std::int64_t picks = 2;
    double max_stake = 0.3;
    double valuation_rate = 0.08;

    template <class V>
    void visit(V& v) {
        v.list("national", national, "national funds with a sector mandate");
        v.number("local_per_government", local_per_government, {"funds", non_negative(), "local guidance funds per local government (mandate: its focus sectors)", "CSET (2021): 1,741 funds by 2020Q1"});
        v.number("investment_years", investment_years, {"year", positive(), "investment period of local guidance funds", "assumption"});
        v.number("weight_productivity", weight_productivity, {"1", non_negative(), "weight of log productivity in the fund's selection score", "assumption"});
        v.number("weight_soe", weight_soe, {"1", non_negative(), "selection bonus for SOEs (political connection)", "assumption; seed 003"});
        v.number("weight_local", weight_local, {"1", non_negative(), "selection bonus for firms of the fund's own local government", "assumption"});
        v.number("selection_noise", selection_noise, {"1", non_negative(), "standard deviation of noise in the selection score", "assumption"});
        v.integer("candidates", candidates, {"firms", between(1, 10000), "candidate firms a fund screens per quarter", "assumption"});
        v.integer("picks", picks, {"firms", between(1, 10000), "firms a fund invests in per quarter", "assumption"});
        v.number("max_stake", max_stake, {"1", Range{0.0, 1.0, true, false}, "largest equity share one investment buys", "assumption"});
        v.number("valuation_rate", valuation_rate, {"1 per year", Range{0.0, 1.0, true, false}, "rate at which a holding's after-tax operating profit is capitalised when funds mark their stakes: a firm's capital is carried at the lower of its book value and its recoverable amount, the higher of that earnings value and its distress-sale value (an impairment test); reported only", "assumption (a cost of capital of 8% a year); the lower-of-book-and-recoverable-amount rule of IAS 36 / CAS 8"});
    }
};

/*! @brief Demand in the two market segments of a sector. */
struct SectorDemand {
    double china = 100.0;
    double world = 300.0;
    TimePath china_growth{0.06};
    TimePath world_growth{0.03};
    TimePath trend_price_change{0.0};
    double elasticity = 1.0;
    double procurement_segment = 0.1;

    template <class V>
    void visit(V& v) {
        v.number("china", china, {"bn CNY per quarter", positive(), "final demand in China at the initial price", "assumption"});
        v.number("world", world, {"bn CNY per quarter", positive(), "demand in the rest of the world at the initial price", "assumption"});
        v.path("china_growth", china_growth, {"1 per year", between(-0.5, 2), "trend growth of Chinese demand (a path: growth rates in force from each year)", "assumption"});
        v.path("world_growth", world_growth, {"1 per year", between(-0.5, 2), "trend growth of rest-of-world demand (a path)", "assumption"});
        v.path("trend_price_change", trend_price_change, {"1 per year", between(-0.9, 1), "yearly change of the price level embodied in the growth paths, on top of the exogenous frontier's cost path (e.g. the observed price fall that learning produced): only prices off this path move demand off trend", "assumption"});
        v.number("elasticity", elasticity, {"1", positive(), "price elasticity of demand (> 0)", "assumption"});
        v.number("procurement_segment", procurement_segment, {"1", unit_interval(), "share of Chinese demand bought by government and SOE buyers (where procurement preferences apply)", "assumption"});
    }
};

/*! @brief Initial industry structure of a sector. */
struct SectorSupply {
    double firm_share = 0.07;
    double soe_share = 0.2;
    double foreign_share = 0.1;
    double localized_share = 0.5;
    double china_productivity = 0.6;
    double capital_per_output = 1.5;
    double capital_share = 0.4;
    double markup = 0.15;
    double china_world_share = 0.2;
    double initial_domestic_share = 0.5;
    double build_quarters = 0.0;
    double central_soe_share = 0.0;

    template <class V>
    void visit(V& v) {
        v.number("firm_share", firm_share, {"1", non_negative(), "share of the initial firms in this sector (normalised over sectors)", "assumption"});
        v.number("soe_share", soe_share, {"1", unit_interval(), "share of Chinese-owned firms' initial output produced by SOEs (each SOE starts firms.soe_size_premium times larger)", "seed 003 (SOE revenue shares)"});
        v.number("foreign_share", foreign_share, {"1", unit_interval(), "share of firms that are foreign", "assumption"});
        v.number("localized_share", localized_share, {"1", unit_interval(), "share of foreign firms producing in China", "assumption"});
        v.number("china_productivity", china_productivity, {"share of frontier", positive(), "initial mean productivity of Chinese firms relative to the world frontier", "assumption"});
        v.number("capital_per_output", capital_per_output, {"CNY capital per CNY quarterly capacity", positive(), "price of one unit of quarterly capacity", "assumption"});
        v.number("capital_share", capital_share, {"1", Range{0.0, 1.0, true, true}, "capital elasticity alpha in the Hsieh-Klenow measure", "Hsieh and Klenow (2009) use US shares; assumption"});
        v.number("markup", markup, {"1", non_negative(), "normal markup over unit cost", "assumption"});
        v.number("china_world_share", china_world_share, {"1", Range{0.0, 1.0, true, true}, "initial share of China-located firms in world output", "assumption"});
        v.number("initial_domestic_share", initial_domestic_share, {"1", Range{0.0, 1.0, true, true}, "initial share of China's market supplied by China-located firms (the rest of China-located output is exported)", "assumption"});
        v.number("build_quarters", build_quarters, {"quarter", between(0, 40), "mean time to build capacity, in quarters beyond the quarter it is ordered: each quarter 1 / (1 + build_quarters) of the capacity under construction is finished (0: ordered capacity serves next quarter)", "assumption (0: the textbook partial-adjustment rule)"});
        v.number("central_soe_share", central_soe_share, {"1", unit_interval(), "share of the sector's initial SOEs that are central SOEs (supervised by SASAC): local support, local capacity push and local backing in refinancing do not reach them; entrants are never central", "assumption (mic2025: from the central groups that dominate each sector)"});
    }
};

/*! @brief Technology of a sector. */
struct SectorTechnology {
    double frontier_growth = 0.02;
    double rd_intensity = 0.02;
    double difficulty = 1.0;
    double component_intensity = 0.0;
    double learning_per_doubling = 0.0;

    template <class V>
    void visit(V& v) {
        v.number("frontier_growth", frontier_growth, {"1 per year", between(-0.5, 1), "exogenous growth of world frontier productivity (learning from experience comes on top)", "assumption"});
        v.number("learning_per_doubling", learning_per_doubling, {"1", Range{0.0, 1.0, false, true}, "fall of frontier unit cost each time the world's cumulative output doubles (Wright's law)", "assumption"});
        v.number("rd_intensity", rd_intensity, {"share of revenue", unit_interval(), "R&D spending of firms without tax credit", "seed 003: R&D 2.2% of GDP (2018)"});
        v.number("difficulty", difficulty, {"1", positive(), "divides the innovation hazard (harder technologies innovate less)", "assumption"});
        v.number("component_intensity", component_intensity, {"1", unit_interval(), "share of capacity that depends on imported core components and tools", "assumption"});
    }
};

/*! @brief Central instruments of one sector, each a time path. */
struct SectorPolicy {
    double priority = 0.0;
    double target_share = 0.0;
    double target_year = 2025.0;
    TimePath output_subsidy{0.0};
    TimePath investment_subsidy{0.0};
    TimePath rd_tax_credit{0.0};
    TimePath tax_rebate{0.0};
    TimePath loan_discount{0.0};
    TimePath procurement_share{0.0};
    TimePath localization_requirement{0.0};
    TimePath market_access_restriction{0.0};
    TimePath cluster_support{0.0};
    TimePath capacity_cut{0.0};

    template <class V>
    void visit(V& v) {
        v.number("priority", priority, {"1", unit_interval(), "central priority weight of the sector (MIC25 core industries near 1)", "seed 003"});
        v.number("target_share", target_share, {"1", unit_interval(), "self-sufficiency target: domestic share of China's market (0: none)", "seed 003 (NEV 90% by 2025)"});
        v.number("target_year", target_year, {"year", between(1900, 2200), "year the target should be reached", "seed 003"});
        v.path("output_subsidy", output_subsidy, {"share of unit cost", unit_interval(), "central output subsidy", "seed 000 (direct subsidies)"});
        v.path("investment_subsidy", investment_subsidy, {"share of capex", unit_interval(), "central investment subsidy", "seed 000"});
        v.path("rd_tax_credit", rd_tax_credit, {"share of R&D", unit_interval(), "super-deduction of R&D (raises R&D spending)", "seed 000 (tax incentives)"});
        v.path("tax_rebate", tax_rebate, {"share of corporate tax", unit_interval(), "central tax incentive (e.g. 15% high-tech rate instead of 25%: 0.4)", "seed 000"});
        v.path("loan_discount", loan_discount, {"1 per year", between(0, 0.2), "preferential loan rate discount", "seed 000 (preferential loans); seed 003 (CDB 300 bn CNY)"});
        v.path("procurement_share", procurement_share, {"1", unit_interval(), "share of the procurement segment reserved for domestic suppliers", "seed 000 (procurement)"});
        v.path("localization_requirement", localization_requirement, {"1", unit_interval(), "strength of the requirement that foreign firms produce in China", "seed 000, seed 004"});
        v.path("market_access_restriction", market_access_restriction, {"1", unit_interval(), "strength of market-access restrictions on all foreign firms", "seed 000"});
        v.path("cluster_support", cluster_support, {"1", unit_interval(), "cluster programme: multiplies imitation in focus regions by (1 + value)", "seed 000 (clusters)"});
        v.path("capacity_cut", capacity_cut, {"1 per year", between(0, 0.5), "capacity-removal programme: share of the sector's China-located capacity the centre orders retired each year, least productive firms first; while it is in force no new capacity is approved beyond replacing what depreciates and no firm enters", "State Council (2016): steel 100-150 Mt over 2016-2020"});
    }
};

/*! @brief Rest-of-world conditions for one sector. */
struct SectorWorld {
    TimePath tariff{0.0};
    TimePath export_control{0.0};
    bool tariff_trigger = false;
    double trigger_world_share = 0.5;
    double trigger_subsidy_intensity = 0.03;
    double trigger_tariff = 0.2;

    template <class V>
    void visit(V& v) {
        v.path("tariff", tariff, {"ad valorem", between(0, 10), "foreign tariff on Chinese exports", "EU 2024/2754; USTR (2024)"});
        v.path("export_control", export_control, {"1", unit_interval(), "share of foreign core components and tools cut off from Chinese buyers", "seed 003 (ZTE 2018, Huawei 2019); US BIS (2022)"});
        v.flag("tariff_trigger", tariff_trigger, "impose trigger_tariff once China's world share and subsidy intensity pass their thresholds");
        v.number("trigger_world_share", trigger_world_share, {"1", unit_interval(), "world-share threshold of the trigger rule", "assumption"});
        v.number("trigger_subsidy_intensity", trigger_subsidy_intensity, {"share of sales", non_negative(), "subsidy/sales threshold of the trigger rule", "assumption"});
        v.number("trigger_tariff", trigger_tariff, {"ad valorem", between(0, 10), "tariff imposed when the trigger fires", "EU 2024/2754: 17.0-35.3% on top of 10% MFN"});
    }
};

/*! @brief One sector: demand, supply structure, technology, central policy, rest of world. */
struct Sector {
    std::string name;
    bool key_industry = false;
    SectorDemand demand;
    SectorSupply supply;
    SectorTechnology technology;
    SectorPolicy policy;
    SectorWorld world;

    template <class V>
    void visit(V& v) {
        v.text("name", name, "identifier used in output and links");
        v.flag("key_industry", key_industry, "counts toward the SOE revenue share of key industries (seed 003)");
        v.section("demand", demand, "final demand in China and the rest of the world");
        v.section("supply", supply, "initial industry structure");
        v.section("technology", technology, "frontier, R&D and component dependence");
        v.section("policy", policy, "central government priority, target and instruments");
        v.section("world", world, "tariffs and export controls abroad");
    }
};

/*! @brief One region (province): size, fiscal position, comparative advantage. */
struct Region {
    std::string name;
    double size = 1.0;
    double tax_base = 20.0;
    double land_revenue = 10.0;
    double debt = 50.0;
    NamedValues strengths;

    /*! @brief Strength of a sector the region's `strengths` do not list. */
    static constexpr double unlisted_strength = 1.0;

    template <class V>
    void visit(V& v) {
        v.text("name", name, "identifier used in output");
        v.number("size", size, {"1", positive(), "relative size of the region's industrial base (normalised over regions)", "assumption"});
        v.number("tax_base", tax_base, {"bn CNY per quarter", non_negative(), "revenue from outside the modelled industries", "assumption"});
        v.number("land_revenue", land_revenue, {"bn CNY per quarter", non_negative(), "land-sale revenue at the start", "MoF land revenue (about 8.7 tn CNY in 2021, all regions)"});
        v.number("debt", debt, {"bn CNY", non_negative(), "local government debt at the start", "MIT CFP (2016): about 24 tn CNY in 2014, all regions"});
        v.named_values("strengths", strengths, unlisted_strength, {"1", positive(), "comparative-advantage multiplier on the region's share of a sector's firms (sector name: value)", "assumption"});
    }
};

/*! @brief One input-output link: `from` supplies `coefficient` CNY per CNY of `to` output. */
struct Link {
    std::string from;
    std::string to;
    double coefficient = 0.0;

    template <class V>
    void visit(V& v) {
        v.text("from", from, "supplying sector");
        v.text("to", to, "using sector");
        v.number("coefficient", coefficient, {"CNY per CNY", Range{0.0, 1.0, false, true}, "input of `from` per unit of `to` output", "assumption"});
    }
};

/*! @brief Global switches used by counterfactuals and sweeps. */
struct PolicyScale {
    TimePath central{1.0};
    TimePath local{1.0};

    template <class V>
    void visit(V& v) {
        v.path("central", central, {"1", non_negative(), "multiplier on every central instrument (0: no central industrial policy)", "assumption"});
        v.path("local", local, {"1", non_negative(), "multiplier on every local support instrument (0: none)", "assumption"});
    }
};

/*! @brief The whole scenario. */
struct Scenario {
    std::string name = "unnamed";
    std::string description;
    std::int64_t seed = 1;
    TimeSettings time;
    FirmSettings firms;
    MarketSettings markets;
    FinanceSettings finance;
    TechnologySettings technology;
    CentralSettings central;
    LocalSettings local;
    FundSettings funds;
    PolicyScale policy_scale;
    std::vector<Sector> sectors;
    std::vector<Region> regions;
    std::vector<Link> links;

    template <class V>
    void visit(V& v) {
        v.text("name", name, "scenario name, stored in the result file");
        v.text("description", description, "free text");
        v.integer("seed", seed, {"1", between(0, 9.0e15), "random seed (overridden by --seed)", "assumption"});
        v.section("time", time, "calendar and horizon");
        v.section("firms", firms, "initial population and entry");
        v.section("markets", markets, "replicator dynamics, pricing and expectations");
        v.section("finance", finance, "loans, taxes, depreciation, bail-outs");
        v.section("technology", technology, "R&D, imitation, transfer, learning");
        v.section("central", central, "central government");
        v.section("local", local, "local governments");
        v.section("funds", funds, "state-backed investment funds");
        v.section("policy_scale", policy_scale, "global multipliers on policy instruments");
        v.list("sectors", sectors, "the sectors");
        v.list("regions", regions, "the regions (provinces)");
        v.list("links", links, "input-output links between sectors");
    }

    /*! @brief Calendar year of step `t` (0-based): start_year + t/4. */
    [[nodiscard]] double year_of(std::int64_t step) const noexcept {
        return time.start_year + static_cast<double>(step) / 4.0;
    }
    /*! @brief Index of the sector with this name, or -1. */
    [[nodiscard]] int sector_index(const std::string& sector_name) const noexcept;
    /*! @brief Index of the region with this name, or -1. */
    [[nodiscard]] int region_index(const std::string& region_name) const noexcept;
};

}  // namespace ipsim::model
