#include "io/scenario_loader.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "io/embedded.hpp"
#include "io/input_error.hpp"
#include "io/scenario_binder.hpp"
#include "io/scenario_emitter.hpp"
#include "io/yaml_tree.hpp"
#include "model/state.hpp"

namespace ipsim::io {
namespace {

namespace fs = std::filesystem;

constexpr const char* kEmbeddedPrefix = "embedded:";
constexpr double kBytesPerFund = 512.0;  // fund record plus a few holdings

/*! Reads at most kMaxScenarioBytes (+1 to detect more), so /dev/zero or a huge file cannot exhaust memory. */
std::string read_file(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        throw InputError(path + ": is a directory, not a scenario file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw InputError(path + ": cannot open scenario file (" + std::strerror(errno) + ")");
    }
    std::string text(kMaxScenarioBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) {
        throw InputError(path + ": cannot read scenario file (" + std::strerror(errno) + ")");
    }
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxScenarioBytes) {
        throw InputError(path + ": larger than " + std::to_string(kMaxScenarioBytes >> 20) +
                         " MiB; a scenario is a short YAML text");
    }
    return text;
}

const EmbeddedScenario* find_embedded(std::string_view name) {
    for (const auto& e : embedded_scenarios()) {
        if (e.name == name) {
            return &e;
        }
    }
    return nullptr;
}

std::vector<std::string> embedded_names() {
    std::vector<std::string> names;
    for (const auto& e : embedded_scenarios()) {
        names.emplace_back(e.name);
    }
    return names;
}

struct Source {
    std::string text;
    std::string display;   // used in messages
    std::string id;        // canonical identity, for cycle detection
    fs::path directory;    // where relative `extends` resolve; empty for embedded
    bool is_file = false;  // read from the file system (its path is `display`)
};

Source embedded_source(std::string_view name, const Location* from) {
    const auto* e = find_embedded(name);
    if (e == nullptr) {
        const std::string where = from != nullptr ? from->describe() + ": " : std::string();
        const auto best = closest_match(name, embedded_names());
        throw InputError(where + "no scenario named '" + std::string(name) + "'" +
                         (best.empty() ? std::string() : " (did you mean '" + best + "'?)"));
    }
    return Source{std::string(e->text), std::string(e->name) + ".yaml", kEmbeddedPrefix + std::string(e->name), {}};
}

/*! The base named by `extends`: a file relative to the including one, else a shipped scenario. */
Source resolve_base(const Node& extends, const Source& child) {
    if (!extends.is_scalar() || extends.scalar.empty()) {
        throw InputError(extends.where.describe() + ": extends must name a scenario file or a shipped scenario");
    }
    const std::string& name = extends.scalar;
    std::vector<fs::path> tries;
    if (!child.directory.empty()) {
        tries.push_back(child.directory / name);
        tries.push_back(child.directory / (name + ".yaml"));
    }
    for (const auto& p : tries) {
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) {
            const auto canonical = fs::weakly_canonical(p, ec);
            return Source{read_file(p.string()), p.string(), canonical.string(), p.parent_path(), true};
        }
    }
    std::string stem = name;
    if (stem.size() > 5 && stem.ends_with(".yaml")) {
        stem.resize(stem.size() - 5);
    }
    return embedded_source(stem, &extends.where);
}

Node load_tree(const Source& source, std::vector<std::string>& chain, std::vector<std::string>& files,
               const Location* from = nullptr) {
    if (std::find(chain.begin(), chain.end(), source.id) != chain.end()) {
        std::string cycle;
        for (const auto& id : chain) {
            cycle += id + " -> ";
        }
        throw InputError((from != nullptr ? from->describe() : source.display) + ": extends cycle: " + cycle + source.id);
    }
    chain.push_back(source.id);
    if (source.is_file) {
        files.push_back(source.display);
    }
    Node tree = parse_yaml(source.text, source.display);
    const Node* extends = tree.find("extends");
    if (extends == nullptr) {
        return tree;
    }
    const Node extends_copy = *extends;
    tree.erase("extends");
    Node base = load_tree(resolve_base(extends_copy, source), chain, files, &extends_copy.where);
    merge_into(base, tree);
    return base;
}

/*! The located node at a field path like {"sectors", 3, "name"}, or the root. */
const Node* node_at(const Node& root, std::initializer_list<std::string> keys, std::size_t index_after_first = SIZE_MAX) {
    const Node* n = &root;
    std::size_t k = 0;
    for (const auto& key : keys) {
        n = n->is_map() ? n->find(key) : nullptr;
        if (n == nullptr) {
            return nullptr;
        }
        if (k == 0 && index_after_first != SIZE_MAX) {
            if (!n->is_list() || index_after_first >= n->items.size()) {
                return nullptr;
            }
            n = &n->items[index_after_first];
        }
        ++k;
    }
    return n;
}

[[noreturn]] void fail_at(const Node& root, const Node* at, const std::string& message) {
    throw InputError((at != nullptr ? at->where : root.where).describe() + ": " + message);
}

std::vector<std::string> sector_names(const model::Scenario& sc) {
    std::vector<std::string> names;
    for (const auto& s : sc.sectors) {
        names.push_back(s.name);
    }
    return names;
}

std::string unknown_sector(const std::string& name, const model::Scenario& sc) {
    const auto best = closest_match(name, sector_names(sc));
    return "unknown sector '" + name + "'" + (best.empty() ? std::string() : " (did you mean '" + best + "'?)");
}

template <class Items>
void check_names(const Node& root, const char* list, const Items& items) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const Node* at = node_at(root, {list, "name"}, i);
        const std::string path = std::string(list) + "[" + std::to_string(i) + "].name";
        if (items[i].name.empty()) {
            fail_at(root, at != nullptr ? at : node_at(root, {list}, i), path + " must be a non-empty name");
        }
        if (!seen.insert(items[i].name).second) {
            fail_at(root, at, path + ": duplicate name '" + items[i].name + "'");
        }
    }
}

void check_references(const Node& root, const model::Scenario& sc) {
    for (std::size_t i = 0; i < sc.links.size(); ++i) {
        const auto& link = sc.links[i];
        const std::string path = "links[" + std::to_string(i) + "]";
        if (sc.sector_index(link.from) < 0) {
            fail_at(root, node_at(root, {"links", "from"}, i), path + ".from: " + unknown_sector(link.from, sc));
        }
        if (sc.sector_index(link.to) < 0) {
            fail_at(root, node_at(root, {"links", "to"}, i), path + ".to: " + unknown_sector(link.to, sc));
        }
    }
    for (std::size_t r = 0; r < sc.regions.size(); ++r) {
        for (const auto& [name, value] : sc.regions[r].strengths) {
            if (sc.sector_index(name) < 0) {
                const Node* strengths = node_at(root, {"regions", "strengths"}, r);
                const Node* at = strengths != nullptr ? strengths->find(name) : nullptr;
                fail_at(root, at, "regions[" + std::to_string(r) + "].strengths: " + unknown_sector(name, sc));
            }
        }
    }
    const Node* funds = node_at(root, {"funds", "national"});
    for (std::size_t k = 0; k < sc.funds.national.size(); ++k) {
        for (std::size_t j = 0; j < sc.funds.national[k].sectors.size(); ++j) {
            const auto& name = sc.funds.national[k].sectors[j];
            const int s = sc.sector_index(name);
            const Node* list = funds != nullptr && k < funds->items.size() ? funds->items[k].find("sectors") : nullptr;
            const Node* at = list != nullptr && j < list->items.size() ? &list->items[j] : nullptr;
            const std::string path = "funds.national[" + std::to_string(k) + "].sectors";
            if (s < 0) {
                fail_at(root, at, path + ": " + unknown_sector(name, sc));
            }
            if (s >= 32) {
                fail_at(root, at, path + ": fund mandates can name only the first 32 sectors (got '" + name + "')");
            }
        }
    }
}

void check_funds_and_links(const Node& root, const model::Scenario& sc) {
    const Node* funds = node_at(root, {"funds", "national"});
    std::set<std::string> seen;
    for (std::size_t k = 0; k < sc.funds.national.size(); ++k) {
        const Node* item = funds != nullptr && funds->is_list() && k < funds->items.size() ? &funds->items[k] : nullptr;
        const Node* at = item != nullptr && item->find("name") != nullptr ? item->find("name") : item;
        const std::string path = "funds.national[" + std::to_string(k) + "].name";
        const std::string& name = sc.funds.national[k].name;
        if (name.empty()) {
            fail_at(root, at, path + " must be a non-empty name");
        }
        if (!seen.insert(name).second) {
            fail_at(root, at, path + ": duplicate name '" + name + "'");
        }
    }
    std::set<std::pair<std::string, std::string>> pairs;
    for (std::size_t i = 0; i < sc.links.size(); ++i) {
        const auto& link = sc.links[i];
        if (!pairs.emplace(link.from, link.to).second) {
            fail_at(root, node_at(root, {"links"}, i),
                    "links[" + std::to_string(i) + "]: duplicate link " + link.from + " -> " + link.to + " (give one coefficient)");
        }
    }
}

void check_whole_years(const Node& root, const model::Scenario& sc) {
    if (sc.time.start_year != std::floor(sc.time.start_year)) {
        std::ostringstream msg;
        msg << "time.start_year must be a whole year (got " << sc.time.start_year << "); the first quarter is Q1 of it";
        fail_at(root, node_at(root, {"time", "start_year"}), msg.str());
    }
}

std::string whole_or_short(double x) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, x == std::floor(x) && std::abs(x) < 1e15 ? "%.0f" : "%.6g", x);
    return buffer;
}

std::string gigabytes(double bytes) {
    char buffer[40];
    const double gb = bytes / 1e9;
    std::snprintf(buffer, sizeof buffer, gb >= 100.0 ? "%.0f GB" : (gb >= 0.1 ? "%.1f GB" : "%.2g GB"), gb);
    return buffer;
}

/*! The field that drives the memory estimate most, its path and value, for the message. */
struct MemoryDriver {
    std::initializer_list<std::string> keys;
    const char* path;
    double value;
    double bytes;
};

void check_memory(const Node& root, const model::Scenario& sc) {
    const double need = estimated_memory_bytes(sc);
    const double pages = static_cast<double>(sysconf(_SC_PHYS_PAGES));
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    const double available = pages > 0 && page > 0 ? pages * page : 0.0;
    if (available > 0.0 && need > 0.8 * available) {
        const MemoryBreakdown parts = memory_breakdown(sc);
        const MemoryDriver drivers[] = {
            {{"firms", "count"}, "firms.count", static_cast<double>(sc.firms.count), parts.firms},
            {{"local", "per_region"}, "local.per_region", static_cast<double>(sc.local.per_region), parts.governments},
            {{"funds", "local_per_government"}, "funds.local_per_government", sc.funds.local_per_government, parts.funds},
        };
        const auto* top = std::max_element(std::begin(drivers), std::end(drivers),
                                           [](const auto& a, const auto& b) { return a.bytes < b.bytes; });
        std::ostringstream msg;
        msg << top->path << " = " << whole_or_short(top->value) << " would need about " << gigabytes(need)
            << " of memory (firms " << gigabytes(parts.firms) << ", local governments " << gigabytes(parts.governments)
            << ", funds " << gigabytes(parts.funds) << "); this machine has " << gigabytes(available);
        fail_at(root, node_at(root, top->keys), msg.str());
    }
}

/*! The counts the firm columns' narrow integer types hold (model/state.hpp); past them a firm's
 *  sector or local government would wrap around silently. */
void check_firm_column_limits(const Node& root, const model::Scenario& sc) {
    constexpr std::size_t kMaxSectors = std::size_t{std::numeric_limits<model::SectorIndex>::max()} + 1;
    if (sc.sectors.size() > kMaxSectors) {
        fail_at(root, node_at(root, {"sectors"}, kMaxSectors),
                "sectors: at most " + std::to_string(kMaxSectors) + " sectors (got " + std::to_string(sc.sectors.size()) +
                    "); each firm stores its sector in one byte, which keeps the firm table small");
    }
    constexpr auto kMaxGovernments = static_cast<std::size_t>(std::numeric_limits<model::GovernmentIndex>::max());
    const auto per_region = static_cast<std::size_t>(sc.local.per_region);
    if (sc.regions.size() * per_region > kMaxGovernments) {
        const Node* per_region_node = node_at(root, {"local", "per_region"});
        const char* field = per_region_node != nullptr ? "local.per_region" : "regions";
        fail_at(root, per_region_node != nullptr ? per_region_node : node_at(root, {"regions"}, kMaxGovernments),
                std::string(field) + ": at most " + std::to_string(kMaxGovernments) + " local governments (got " +
                    std::to_string(sc.regions.size() * per_region) + " = regions (" + std::to_string(sc.regions.size()) +
                    ") x local.per_region (" + std::to_string(per_region) +
                    ")); each firm stores its local government in 16 bits (-1 for none), which keeps the firm table small");
    }
}

LoadedScenario finish(Node tree, const std::vector<std::string>& overrides, std::string origin, std::vector<std::string> files) {
    for (const auto& o : overrides) {
        apply_override(tree, o);
    }
    LoadedScenario out;
    detail::Binder::bind_struct(&tree, "", out.scenario, tree.where);
    if (out.scenario.sectors.empty()) {
        fail_at(tree, tree.find("sectors"), "sectors: at least one sector is needed");
    }
    if (out.scenario.regions.empty()) {
        fail_at(tree, tree.find("regions"), "regions: at least one region is needed");
    }
    check_names(tree, "sectors", out.scenario.sectors);
    check_names(tree, "regions", out.scenario.regions);
    check_references(tree, out.scenario);
    check_funds_and_links(tree, out.scenario);
    check_whole_years(tree, out.scenario);
    check_firm_column_limits(tree, out.scenario);
    check_memory(tree, out.scenario);
    out.resolved_yaml = emit_scenario_yaml(out.scenario);
    out.origin = std::move(origin);
    out.files = std::move(files);
    return out;
}

}  // namespace

MemoryBreakdown memory_breakdown(const model::Scenario& sc) noexcept {
    const double sectors = static_cast<double>(sc.sectors.size());
    const double governments = static_cast<double>(sc.regions.size()) * static_cast<double>(sc.local.per_region);
    const double local_funds = governments * std::max(1.0, std::ceil(sc.funds.local_per_government));
    const double national_funds = static_cast<double>(sc.funds.national.size());
    MemoryBreakdown parts;
    parts.firms = static_cast<double>(sc.firms.count) * kFirmGrowthHeadroom * kBytesPerFirmSlot;
    parts.governments = governments * (sectors + 20.0) * 8.0 * 4.0;
    parts.funds = (local_funds + national_funds) * (kBytesPerFund + sectors * 8.0);
    return parts;
}

double estimated_memory_bytes(const model::Scenario& sc) noexcept {
    const MemoryBreakdown parts = memory_breakdown(sc);
    return parts.firms + parts.governments + parts.funds;
}

namespace {

LoadedScenario load_text(std::string_view text, const std::string& display_name, const std::vector<std::string>& overrides, bool is_file) {
    const fs::path p(display_name);
    std::error_code ec;
    Source source{std::string(text), display_name, fs::weakly_canonical(p, ec).string(), p.parent_path()};
    if (source.directory.empty()) {
        source.directory = ".";
    }
    source.is_file = is_file;
    std::vector<std::string> chain;
    std::vector<std::string> files;
    Node tree = load_tree(source, chain, files);
    return finish(std::move(tree), overrides, display_name, std::move(files));
}

}  // namespace

LoadedScenario load_scenario_text(std::string_view text, const std::string& display_name, const std::vector<std::string>& overrides) {
    return load_text(text, display_name, overrides, false);
}

LoadedScenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides) {
    return load_text(read_file(path), path, overrides, true);
}

LoadedScenario load_embedded_scenario(std::string_view name, const std::vector<std::string>& overrides) {
    const Source source = embedded_source(name, nullptr);
    std::vector<std::string> chain;
    std::vector<std::string> files;
    Node tree = load_tree(source, chain, files);
    return finish(std::move(tree), overrides, source.id, std::move(files));
}

}  // namespace ipsim::io
