/*!
 * @file test_loader_errors.cpp
 * @brief The scenario contract: defaults, extends, --set, and every error path with its message.
 */
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "io/input_error.hpp"
#include "io/scenario_emitter.hpp"
#include "io/scenario_loader.hpp"
#include "io/yaml_tree.hpp"
#include "model/state.hpp"

using ipsim::io::InputError;
using ipsim::io::load_scenario_text;

namespace {

/*! A scenario with `sectors` sectors and `regions` regions, one list item a line. */
std::string scenario_with(std::size_t sectors, std::size_t regions) {
    std::string text = "name: t\nsectors:\n";
    for (std::size_t s = 0; s < sectors; ++s) {
        text += "  - name: s" + std::to_string(s) + "\n";
    }
    text += "regions:\n";
    for (std::size_t r = 0; r < regions; ++r) {
        text += "  - name: r" + std::to_string(r) + "\n";
    }
    return text;
}

const std::string kMinimal = "name: t\nsectors:\n  - name: chips\n  - name: cars\nregions:\n  - name: north\n";

/*! The message of the InputError thrown by loading `text` as `t.yaml` with overrides. */
std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
    try {
        (void)load_scenario_text(text, "t.yaml", overrides);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(Loader, DefaultsFillAbsentFields) {
    const auto loaded = load_scenario_text(kMinimal, "t.yaml");
    const ipsim::model::Sector defaults;
    EXPECT_EQ(loaded.scenario.sectors.size(), 2U);
    EXPECT_EQ(loaded.scenario.sectors[1].demand.elasticity, defaults.demand.elasticity);
    EXPECT_EQ(loaded.scenario.time.quarters, 84);
    EXPECT_EQ(loaded.scenario.firms.count, 20000);
}

// A field's default is written once, as its member initializer (model/scenario.hpp): the binder
// leaves an absent field as constructed, and `ipsim schema` prints the fields of a
// default-constructed Scenario, so the documented default cannot differ from the initializer.
// What can still go wrong is the binder touching an absent field; the emitted YAML shows every
// field with a round-trip exact number, so equal texts mean every absent field kept its initializer.
TEST(Loader, EveryAbsentFieldKeepsItsMemberInitializer) {
    const auto loaded = load_scenario_text(kMinimal + "funds:\n  national:\n    - name: big\nlinks:\n  - {from: chips, to: cars}\n",
                                           "t.yaml");
    ipsim::model::Scenario expected;
    expected.name = "t";
    expected.sectors.resize(2);
    expected.sectors[0].name = "chips";
    expected.sectors[1].name = "cars";
    expected.regions.resize(1);
    expected.regions[0].name = "north";
    expected.funds.national.resize(1);
    expected.funds.national[0].name = "big";
    expected.links.resize(1);
    expected.links[0].from = "chips";
    expected.links[0].to = "cars";
    EXPECT_EQ(ipsim::io::emit_scenario_yaml(loaded.scenario), ipsim::io::emit_scenario_yaml(expected));
}

TEST(Loader, OutOfRangeNamesFileLineColumnAndField) {
    EXPECT_EQ(error_of("name: t\nsectors:\n  - name: chips\n  - name: cars\n    demand:\n      elasticity: -1.2\nregions:\n  - name: north\n"),
              "t.yaml:6:19: sectors[1].demand.elasticity must be > 0 (got -1.2)");
}

TEST(Loader, WrongTypeNanInfAndWholeNumbers) {
    EXPECT_EQ(error_of(kMinimal + "firms: {count: many}\n"), "t.yaml:7:16: firms.count must be a number (got 'many')");
    EXPECT_EQ(error_of(kMinimal + "markets: {target_utilisation: .nan}\n"),
              "t.yaml:7:31: markets.target_utilisation must be finite (got .nan)");
    EXPECT_EQ(error_of(kMinimal + "central: {transfer_pool: .inf}\n"), "t.yaml:7:26: central.transfer_pool must be finite (got .inf)");
    EXPECT_EQ(error_of(kMinimal + "firms: {count: 2.5}\n"), "t.yaml:7:16: firms.count must be a whole number (got 2.5)");
    EXPECT_EQ(error_of(kMinimal + "markets: {target_utilisation: 0}\n"), "t.yaml:7:31: markets.target_utilisation must be in (0, 1] (got 0)");
    EXPECT_NE(error_of(kMinimal + "central: {coordination: maybe}\n").find("must be true or false"), std::string::npos);
}

TEST(Loader, UnknownKeysGetDidYouMean) {
    EXPECT_EQ(error_of(kMinimal + "firm: {count: 3}\n"), "t.yaml:7:1: unknown key 'firm' at the top level (did you mean 'firms'?)");
    EXPECT_EQ(error_of(kMinimal + "firms: {cuont: 3}\n"), "t.yaml:7:9: unknown key 'cuont' in firms (did you mean 'count'?)");
}

TEST(Loader, StructureErrors) {
    EXPECT_NE(error_of(kMinimal + "firms: 3\n").find("firms must be a section"), std::string::npos);
    EXPECT_NE(error_of("sectors: {a: 1}\nregions:\n  - name: r\n").find("sectors must be a list"), std::string::npos);
    EXPECT_NE(error_of("sectors: [{name: a}, {name: a}]\nregions: [{name: r}]\n").find("duplicate name 'a'"), std::string::npos);
    EXPECT_NE(error_of("sectors: [{name: ''}]\nregions: [{name: r}]\n").find("must be a non-empty name"), std::string::npos);
    EXPECT_NE(error_of("regions: [{name: r}]\n").find("at least one sector"), std::string::npos);
    EXPECT_NE(error_of("sectors: [{name: a}]\n").find("at least one region"), std::string::npos);
    EXPECT_NE(error_of("sectors: [a: 1\n").find("t.yaml:"), std::string::npos);  // YAML syntax error has a position
    EXPECT_NE(error_of("name: a\nname: b\nsectors: [{name: a}]\nregions: [{name: r}]\n").find("duplicate key 'name'"), std::string::npos);
}

TEST(Loader, ReferencesMustNameDefinedSectors) {
    EXPECT_EQ(error_of(kMinimal + "links:\n  - {from: chips, to: carz, coefficient: 0.1}\n"),
              "t.yaml:8:23: links[0].to: unknown sector 'carz' (did you mean 'cars'?)");
    EXPECT_NE(error_of("sectors: [{name: chips}]\nregions: [{name: r, strengths: {chip: 2}}]\n").find("unknown sector 'chip' (did you mean 'chips'?)"),
              std::string::npos);
    EXPECT_NE(error_of(kMinimal + "funds: {national: [{name: f, sectors: [steel]}]}\n").find("funds.national[0].sectors: unknown sector 'steel'"),
              std::string::npos);
}

TEST(Loader, TimePathsParseAndValidate) {
    const auto loaded = load_scenario_text(
        "sectors:\n  - name: a\n    policy: {output_subsidy: {2020: 0.1, 2015: 0.3}}\nregions: [{name: r}]\n", "t.yaml");
    const auto& path = loaded.scenario.sectors[0].policy.output_subsidy;
    EXPECT_EQ(path.at(2016.0), 0.3);
    EXPECT_EQ(path.at(2021.0), 0.1);
    EXPECT_NE(error_of("sectors:\n  - name: a\n    policy: {output_subsidy: {1200: 0.1}}\nregions: [{name: r}]\n").find("year must be in [1900, 2200]"),
              std::string::npos);
    EXPECT_NE(error_of("sectors:\n  - name: a\n    policy: {output_subsidy: {2015: 1.5}}\nregions: [{name: r}]\n").find("must be in [0, 1] (got 1.5)"),
              std::string::npos);
}

TEST(Loader, OverridesByNameAndIndexAndTheirErrors) {
    const auto loaded = load_scenario_text(kMinimal, "t.yaml",
                                           {"sectors.cars.demand.elasticity=2.5", "sectors[0].demand.china=7", "firms.count=300",
                                            "sectors.cars.world.tariff={2024: 0.3}"});
    EXPECT_EQ(loaded.scenario.sectors[1].demand.elasticity, 2.5);
    EXPECT_EQ(loaded.scenario.sectors[0].demand.china, 7.0);
    EXPECT_EQ(loaded.scenario.firms.count, 300);
    EXPECT_EQ(loaded.scenario.sectors[1].world.tariff.at(2025.0), 0.3);
    EXPECT_EQ(error_of(kMinimal, {"firms.cont=3"}), "--set firms.cont: unknown key 'cont' in firms (did you mean 'count'?)");
    EXPECT_NE(error_of(kMinimal, {"firms.count"}).find("expected PATH=VALUE"), std::string::npos);
    EXPECT_NE(error_of(kMinimal, {"sectors.carz.demand.china=1"}).find("no item named 'carz' in sectors (did you mean 'cars'?)"),
              std::string::npos);
    EXPECT_EQ(error_of(kMinimal, {"sectors[1].demand.china=-1"}), "--set sectors[1].demand.china: sectors[1].demand.china must be > 0 (got -1)");
}

TEST(Loader, MemoryGuardRefusesPopulationsThatCannotFit) {
    const auto message = error_of(kMinimal, {"firms.count=900000000"});
    EXPECT_NE(message.find("would need about"), std::string::npos) << message;
    EXPECT_NE(message.find("GB of memory"), std::string::npos) << message;
}

TEST(Loader, ExtendsMergesNamedListsAndRejectsCycles) {
    const auto dir = std::filesystem::temp_directory_path() / ("ipsim_loader_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "base.yaml") << kMinimal << "firms: {count: 500}\n";
    std::ofstream(dir / "child.yaml") << "extends: base\nname: child\nsectors:\n  - name: cars\n    demand: {china: 9}\n  - name: steel\n";
    const auto child = ipsim::io::load_scenario_file((dir / "child.yaml").string());
    EXPECT_EQ(child.scenario.name, "child");
    EXPECT_EQ(child.scenario.firms.count, 500);
    ASSERT_EQ(child.scenario.sectors.size(), 3U);
    EXPECT_EQ(child.scenario.sectors[1].demand.china, 9.0);
    EXPECT_EQ(child.scenario.sectors[2].name, "steel");
    std::ofstream(dir / "a.yaml") << "extends: b.yaml\n";
    std::ofstream(dir / "b.yaml") << "extends: a.yaml\n";
    try {
        (void)ipsim::io::load_scenario_file((dir / "a.yaml").string());
        ADD_FAILURE() << "cycle not detected";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("extends cycle"), std::string::npos) << e.what();
    }
    std::ofstream(dir / "c.yaml") << "extends: mic2026\n";
    try {
        (void)ipsim::io::load_scenario_file((dir / "c.yaml").string());
        ADD_FAILURE() << "missing base not detected";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("no scenario named 'mic2026' (did you mean 'mic2025'?)"), std::string::npos) << e.what();
    }
    std::filesystem::remove_all(dir);
}

TEST(Loader, ShippedScenariosLoadAndResolvedTextRoundTrips) {
    for (const char* name : {"mic2025", "no_industrial_policy", "central_coordination", "export_controls", "foreign_tariffs",
                             "fiscal_squeeze", "hard_budget", "mic2025_full"}) {
        const auto loaded = ipsim::io::load_embedded_scenario(name);
        EXPECT_EQ(loaded.scenario.name, name);
        const auto again = load_scenario_text(loaded.resolved_yaml, "resolved.yaml");
        EXPECT_EQ(again.resolved_yaml, loaded.resolved_yaml) << name;
    }
    const auto file = ipsim::io::load_scenario_file(std::string(IPSIM_SOURCE_DIR) + "/scenarios/export_controls.yaml");
    EXPECT_EQ(file.scenario.sectors.size(), 14U);
    EXPECT_EQ(file.scenario.sectors[0].world.export_control.at(2023.0), 0.8);
}

TEST(Loader, SchemaReferenceCoversEverySection) {
    const auto md = ipsim::io::schema_markdown();
    for (const char* key : {"`time.quarters`", "`firms.count`", "`markets.selection_intensity`", "`finance.base_rate`",
                            "`technology.learning_rate`", "`central.coordination`", "`local.debt_limit`", "`funds.national[].pledged`",
                            "`policy_scale.central`", "`sectors[].demand.elasticity`", "`regions[].strengths`", "`links[].coefficient`"}) {
        EXPECT_NE(md.find(key), std::string::npos) << key;
    }
}

TEST(Loader, AliasesWithinBoundsLoadAndUnboundedOnesAreRefused) {
    const auto loaded = load_scenario_text(
        "name: t\nsectors:\n  - {name: chips, demand: &d {china: 5}}\n  - {name: cars, demand: *d}\n"
        "regions: [{name: north}]\n",
        "t.yaml");
    EXPECT_EQ(loaded.scenario.sectors[1].demand.china, 5.0);
    EXPECT_NE(error_of("a: &a [*a]\n" + kMinimal).find("t.yaml:1:4: nested deeper than 64 levels"), std::string::npos)
        << error_of("a: &a [*a]\n" + kMinimal);
    EXPECT_NE(error_of(kMinimal, {"firms=&a [*a]"}).find("nested deeper"), std::string::npos);
}

TEST(Loader, SizeEncodingAndDocumentLimits) {
    const std::string huge = kMinimal + "description: '" + std::string(ipsim::io::kMaxScenarioBytes, 'x') + "'\n";
    EXPECT_EQ(error_of(huge), "t.yaml: larger than 4 MiB; a scenario is a short YAML text");
    EXPECT_EQ(error_of("name: t\xff\n"), "t.yaml:1:8: text is not valid UTF-8 (byte 0xff); save the file as UTF-8");
    EXPECT_EQ(error_of("name: \xed\xa0\x80\n"), "t.yaml:1:7: text is not valid UTF-8 (byte 0xed); save the file as UTF-8");
    EXPECT_NO_THROW((void)load_scenario_text("description: \xe4\xb8\xad\xe5\x9b\xbd\n" + kMinimal, "t.yaml"));
    EXPECT_NE(error_of(kMinimal + "---\nname: u\n").find("t.yaml:7:1: content after the scenario"), std::string::npos)
        << error_of(kMinimal + "---\nname: u\n");
    EXPECT_NE(error_of(",\n").find("content after the scenario"), std::string::npos);
}

TEST(Loader, NullsAndEmptyOverridesAreErrorsNotDefaults) {
    EXPECT_EQ(error_of(kMinimal + "firms:\n  count:\n"), "t.yaml:8:3: firms.count has no value; write one, or remove the key to use the default");
    EXPECT_EQ(error_of(kMinimal, {"firms.count="}),
              "--set firms.count: empty value (an unset shell variable?); give a value, or leave the option out to keep the "
              "scenario's value");
    EXPECT_NE(error_of(kMinimal, {"firms.count=~"}).find("empty value ('~')"), std::string::npos);
    EXPECT_NE(error_of(kMinimal, {"sectors[99999999999999999999999].name=x"}).find("no index 99999999999999999999999"),
              std::string::npos);
}

TEST(Loader, DuplicatesAndWholeYears) {
    EXPECT_NE(error_of(kMinimal + "policy_scale: {central: {2020: 1, 2020.0: 0}}\n").find("year 2020 is given twice"),
              std::string::npos);
    const auto quarters = load_scenario_text(kMinimal + "policy_scale: {central: {2020: 1, 2020.25: 0}}\n", "t.yaml");
    EXPECT_EQ(quarters.scenario.policy_scale.central.points.size(), 2U);
    EXPECT_NE(error_of(kMinimal + "time: {start_year: 2015.25}\n").find("must be a whole year"), std::string::npos);
    EXPECT_NE(error_of(kMinimal + "funds: {national: [{name: a}, {name: a}]}\n").find("duplicate name 'a'"), std::string::npos);
    EXPECT_NE(error_of(kMinimal + "funds: {national: [{name: ''}]}\n").find("must be a non-empty name"), std::string::npos);
    EXPECT_NE(error_of(kMinimal + "links: [{from: chips, to: cars, coefficient: 0.1}, {from: chips, to: cars, coefficient: 0.1}]\n")
                  .find("duplicate link chips -> cars"),
              std::string::npos);
}

TEST(Loader, MemoryGuardCountsGovernmentsAndFundsAndListsFilesRead) {
    const auto message = error_of(kMinimal, {"local.per_region=30000", "funds.local_per_government=1000000"});
    EXPECT_NE(message.find("--set funds.local_per_government: funds.local_per_government = 1000000 would need about"),
              std::string::npos)
        << message;
    const auto loaded = load_scenario_text(kMinimal, "t.yaml", {"local.per_region=10", "funds.local_per_government=3"});
    const auto parts = ipsim::io::memory_breakdown(loaded.scenario);
    EXPECT_GT(parts.funds, 0.0);
    EXPECT_GT(parts.governments, 0.0);
    EXPECT_DOUBLE_EQ(ipsim::io::estimated_memory_bytes(loaded.scenario), parts.firms + parts.governments + parts.funds);

    const auto dir = std::filesystem::temp_directory_path() / ("ipsim_files_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "base.yaml") << kMinimal;
    std::ofstream(dir / "child.yaml") << "extends: base\nname: c\n";
    const auto child = ipsim::io::load_scenario_file((dir / "child.yaml").string());
    ASSERT_EQ(child.files.size(), 2U);
    EXPECT_EQ(child.files[0], (dir / "child.yaml").string());
    EXPECT_EQ(std::filesystem::path(child.files[1]).filename(), "base.yaml");
    EXPECT_TRUE(ipsim::io::load_embedded_scenario("export_controls").files.empty());
    std::filesystem::remove_all(dir);
}

// The firm columns' narrow integer types (model/state.hpp) bound the counts; the loader refuses a
// scenario past them where the other checks do, so `validate` catches it, not the run's setup.
TEST(Loader, SectorsBeyondTheFirmColumnAreRefusedAtTheFirstExtraSector) {
    EXPECT_NO_THROW((void)load_scenario_text(scenario_with(256, 1), "t.yaml"));
    EXPECT_EQ(error_of(scenario_with(257, 1)),
              "t.yaml:259:5: sectors: at most 256 sectors (got 257); each firm stores its sector in one byte, which keeps "
              "the firm table small");
}

TEST(Loader, LocalGovernmentsBeyondTheFirmColumnNameTheFieldThatDrivesThem) {
    EXPECT_NO_THROW((void)load_scenario_text(kMinimal, "t.yaml", {"local.per_region=32767"}));
    EXPECT_EQ(error_of(scenario_with(1, 2), {"local.per_region=16384"}),
              "--set local.per_region: local.per_region: at most 32767 local governments (got 32768 = regions (2) x "
              "local.per_region (16384)); each firm stores its local government in 16 bits (-1 for none), which keeps the "
              "firm table small");
    const std::string in_file = error_of(scenario_with(1, 2) + "local:\n  per_region: 16384\n");
    EXPECT_TRUE(in_file.starts_with("t.yaml:8:15: local.per_region: at most 32767 local governments")) << in_file;
    const std::string by_regions = error_of(scenario_with(1, 32768));
    EXPECT_TRUE(by_regions.starts_with("t.yaml:32772:5: regions: at most 32767 local governments (got 32768 = regions (32768)"))
        << by_regions;
}

// Ages and zombie-year counts are bytes that stop at 255: the range of finance.zombie_years keeps
// the zombie test within them, so the longest run the loader accepts must pass the setup's check.
TEST(Loader, TheLongestRunAcceptedFitsTheFirmAgeColumn) {
    const auto longest = load_scenario_text(kMinimal, "t.yaml", {"time.quarters=2000", "finance.zombie_years=20"});
    EXPECT_NO_THROW(ipsim::model::check_firm_column_ranges(longest.scenario, 1));
    EXPECT_EQ(error_of(kMinimal, {"time.quarters=2001"}), "--set time.quarters: time.quarters must be in [1, 2000] (got 2001)");
    EXPECT_EQ(error_of(kMinimal, {"finance.zombie_years=21"}),
              "--set finance.zombie_years: finance.zombie_years must be in [1, 20] (got 21)");
}
