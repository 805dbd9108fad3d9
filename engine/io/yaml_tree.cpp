#include "io/yaml_tree.hpp"

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <sstream>

#include "io/input_error.hpp"

namespace ipsim::io {

std::string Location::describe() const {
    if (line <= 0) {
        return file;
    }
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

Node::Node() = default;
Node::~Node() = default;
Node::Node(const Node&) = default;
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(const Node&) = default;
Node& Node::operator=(Node&&) noexcept = default;

const Node* Node::find(std::string_view key) const noexcept {
    for (const auto& [k, v] : entries) {
        if (k == key) {
            return &v;
        }
    }
    return nullptr;
}

Node* Node::find(std::string_view key) noexcept {
    return const_cast<Node*>(static_cast<const Node*>(this)->find(key));
}

Node* Node::item_named(std::string_view name) noexcept {
    for (auto& item : items) {
        const Node* n = item.is_map() ? item.find("name") : nullptr;
        if (n != nullptr && n->is_scalar() && n->scalar == name) {
            return &item;
        }
    }
    return nullptr;
}

void Node::erase(std::string_view key) {
    std::erase_if(entries, [&](const auto& e) { return e.first == key; });
}

namespace {

Location location_of(const YAML::Mark& mark, const std::string& file) {
    return Location{file, mark.line + 1, mark.column + 1};
}

/*! Bounds on one document after aliases are expanded: nesting depth and number of values. */
struct Budget {
    std::size_t values_left = kMaxYamlValues;
    int depth = 0;
};

/*! Counts one more value at one more level; throws when an alias expands past the bounds. */
class BudgetScope {
public:
    BudgetScope(Budget& budget, const Location& where) : budget_(budget) {
        if (budget_.values_left == 0) {
            throw InputError(where.describe() + ": more than " + std::to_string(kMaxYamlValues) +
                             " values once aliases (*name) are expanded; a scenario is far smaller");
        }
        --budget_.values_left;
        if (++budget_.depth > kMaxYamlDepth) {
            throw InputError(where.describe() + ": nested deeper than " + std::to_string(kMaxYamlDepth) +
                             " levels (an alias that refers to itself?)");
        }
    }
    ~BudgetScope() { --budget_.depth; }
    BudgetScope(const BudgetScope&) = delete;
    BudgetScope& operator=(const BudgetScope&) = delete;

private:
    Budget& budget_;
};

Node convert(const YAML::Node& y, const std::string& file, Budget& budget) {
    Node n;
    n.where = location_of(y.Mark(), file);
    const BudgetScope scope(budget, n.where);
    switch (y.Type()) {
        case YAML::NodeType::Scalar:
            n.kind = Node::Kind::scalar;
            n.scalar = y.Scalar();
            break;
        case YAML::NodeType::Sequence:
            n.kind = Node::Kind::list;
            for (const auto& item : y) {
                n.items.push_back(convert(item, file, budget));
            }
            break;
        case YAML::NodeType::Map:
            n.kind = Node::Kind::map;
            for (const auto& entry : y) {
                const auto key_where = location_of(entry.first.Mark(), file);
                if (!entry.first.IsScalar()) {
                    throw InputError(key_where.describe() + ": map keys must be plain names");
                }
                const std::string key = entry.first.Scalar();
                if (n.find(key) != nullptr) {
                    throw InputError(key_where.describe() + ": duplicate key '" + key + "'");
                }
                Node child = convert(entry.second, file, budget);
                child.key_where = key_where;
                if (child.is_null()) {
                    child.where = key_where;
                }
                n.entries.emplace_back(key, std::move(child));
            }
            break;
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            n.kind = Node::Kind::null;
            break;
    }
    return n;
}

bool all_named(const Node& list) {
    if (!list.is_list() || list.items.empty()) {
        return false;
    }
    return std::all_of(list.items.begin(), list.items.end(), [](const Node& item) {
        const Node* name = item.is_map() ? item.find("name") : nullptr;
        return name != nullptr && name->is_scalar();
    });
}

bool is_index(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

/*! Splits "a.b[3].c" into {"a", "b", "3", "c"}. */
std::vector<std::string> split_path(const std::string& path, const std::string& option) {
    std::vector<std::string> parts;
    std::string current;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const char c = path[i];
        if (c == '.' || c == '[' || c == ']') {
            if (!current.empty()) {
                parts.push_back(current);
                current.clear();
            }
            continue;
        }
        current += c;
    }
    if (!current.empty()) {
        parts.push_back(current);
    }
    if (parts.empty()) {
        throw InputError(option + ": empty path (expected e.g. --set firms.count=200000)");
    }
    return parts;
}

std::vector<std::string> names_of(const Node& list) {
    std::vector<std::string> names;
    for (const auto& item : list.items) {
        const Node* n = item.is_map() ? item.find("name") : nullptr;
        if (n != nullptr && n->is_scalar()) {
            names.push_back(n->scalar);
        }
    }
    return names;
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
    const auto best = closest_match(word, candidates);
    return best.empty() ? std::string{} : " (did you mean '" + best + "'?)";
}

Node* step_into(Node* node, const std::string& part, const std::string& so_far, const std::string& option) {
    if (node->is_list()) {
        if (is_index(part)) {
            std::size_t index = 0;
            const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
            if (ec != std::errc() || end != part.data() + part.size() || index >= node->items.size()) {
                throw InputError(option + ": " + so_far + " has " + std::to_string(node->items.size()) + " items, no index " + part);
            }
            return &node->items[index];
        }
        if (Node* item = node->item_named(part)) {
            return item;
        }
        throw InputError(option + ": no item named '" + part + "' in " + so_far + suggestion(part, names_of(*node)));
    }
    if (node->is_null()) {
        node->kind = Node::Kind::map;
    }
    if (!node->is_map()) {
        throw InputError(option + ": " + so_far + " is a single value, it has no field '" + part + "'");
    }
    if (Node* child = node->find(part)) {
        return child;
    }
    Node fresh;
    fresh.where = Location{option, 0, 0};
    fresh.key_where = fresh.where;
    node->entries.emplace_back(part, std::move(fresh));
    return &node->entries.back().second;
}

void relocate(Node& n, const Location& where) {
    n.where = where;
    n.key_where = where;
    for (auto& [k, v] : n.entries) {
        relocate(v, where);
    }
    for (auto& item : n.items) {
        relocate(item, where);
    }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string first_invalid_utf8(std::string_view text, const std::string& display_name) {
    int line = 1;
    int column = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = 1;
        std::uint32_t min = 0;
        std::uint32_t code = c;
        if (c >= 0x80) {
            if ((c & 0xE0) == 0xC0) {
                length = 2;
                min = 0x80;
                code = c & 0x1F;
            } else if ((c & 0xF0) == 0xE0) {
                length = 3;
                min = 0x800;
                code = c & 0x0F;
            } else if ((c & 0xF8) == 0xF0) {
                length = 4;
                min = 0x10000;
                code = c & 0x07;
            } else {
                length = 0;
            }
            for (std::size_t k = 1; length != 0 && k < length; ++k) {
                const auto next = i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
                if ((next & 0xC0) != 0x80) {
                    length = 0;
                    break;
                }
                code = (code << 6) | (next & 0x3F);
            }
            if (length == 0 || code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                return Location{display_name, line, column}.describe() + ": text is not valid UTF-8 (byte 0x" +
                       "0123456789abcdef"[c >> 4] + "0123456789abcdef"[c & 15] + "); save the file as UTF-8";
            }
        } else if (c == 0) {
            return Location{display_name, line, column}.describe() + ": text contains a NUL byte; a scenario is YAML text";
        }
        if (c == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += length;
    }
    return {};
}

/*! Ignores parser events; only the documents' start positions matter. */
class DocumentStarts final : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark& mark) override { last = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}

    YAML::Mark last;
};

/*! Where a second document starts, if the text has one. Asks the parser for at most two
 *  documents: yaml-cpp's LoadAll never ends on some inputs (a lone ',' yields empty documents
 *  forever, found by fuzzing). */
std::optional<YAML::Mark> second_document(const std::string& text) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentStarts starts;
    if (!parser.HandleNextDocument(starts)) {
        return std::nullopt;
    }
    if (!parser.HandleNextDocument(starts)) {
        return std::nullopt;
    }
    return starts.last;
}

/*! The one document of `text`, converted; throws InputError for syntax errors or a second document. */
Node load_one(std::string_view text, const std::string& display_name) {
    if (text.size() > kMaxScenarioBytes) {
        throw InputError(display_name + ": larger than " + std::to_string(kMaxScenarioBytes >> 20) +
                         " MiB; a scenario is a short YAML text");
    }
    if (auto bad = first_invalid_utf8(text, display_name); !bad.empty()) {
        throw InputError(bad);
    }
    try {
        const std::string copy(text);
        if (const auto second = second_document(copy)) {
            throw InputError(location_of(*second, display_name).describe() +
                             ": content after the scenario (a second YAML document, or a stray ',' or '---'); "
                             "a scenario is one document");
        }
        Budget budget;
        return convert(YAML::Load(copy), display_name, budget);
    } catch (const YAML::ParserException& e) {
        throw InputError(location_of(e.mark, display_name).describe() + ": YAML syntax error: " + e.msg);
    } catch (const YAML::Exception& e) {
        throw InputError(location_of(e.mark, display_name).describe() + ": YAML error: " + e.msg);
    }
}

}  // namespace

Node parse_yaml(std::string_view text, const std::string& display_name) {
    Node root = load_one(text, display_name);
    if (root.is_null()) {
        root.kind = Node::Kind::map;
        root.where = Location{display_name, 1, 1};
    }
    if (!root.is_map()) {
        throw InputError(root.where.describe() + ": a scenario must be a map of sections (name:, sectors:, ...)");
    }
    return root;
}

void merge_into(Node& base, const Node& overlay) {
    if (base.is_map() && overlay.is_map()) {
        for (const auto& [key, value] : overlay.entries) {
            if (Node* existing = base.find(key)) {
                merge_into(*existing, value);
                existing->key_where = value.key_where;
            } else {
                base.entries.emplace_back(key, value);
            }
        }
        base.where = overlay.where;
        return;
    }
    if (all_named(base) && all_named(overlay)) {
        for (const auto& item : overlay.items) {
            Node* match = base.item_named(item.find("name")->scalar);
            if (match != nullptr) {
                merge_into(*match, item);
            } else {
                base.items.push_back(item);
            }
        }
        base.where = overlay.where;
        return;
    }
    const Location key_where = base.key_where;
    base = overlay;
    if (base.key_where.file.empty()) {
        base.key_where = key_where;
    }
}

const Node* find_path(const Node& root, const std::string& path) {
    const Node* node = &root;
    for (const auto& part : split_path(path, path)) {
        const Node* next = nullptr;
        if (node->is_map()) {
            next = node->find(part);
        } else if (node->is_list() && is_index(part)) {
            std::size_t index = 0;
            const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
            next = ec == std::errc() && index < node->items.size() ? &node->items[index] : nullptr;
        } else if (node->is_list()) {
            for (const auto& item : node->items) {
                const Node* n = item.is_map() ? item.find("name") : nullptr;
                if (n != nullptr && n->is_scalar() && n->scalar == part) {
                    next = &item;
                }
            }
        }
        if (next == nullptr) {
            return nullptr;
        }
        node = next;
    }
    return node;
}

bool same_values(const Node& a, const Node& b) noexcept {
    if (a.kind != b.kind || a.scalar != b.scalar || a.entries.size() != b.entries.size() || a.items.size() != b.items.size()) {
        return false;
    }
    for (std::size_t k = 0; k < a.entries.size(); ++k) {
        if (a.entries[k].first != b.entries[k].first || !same_values(a.entries[k].second, b.entries[k].second)) {
            return false;
        }
    }
    for (std::size_t k = 0; k < a.items.size(); ++k) {
        if (!same_values(a.items[k], b.items[k])) {
            return false;
        }
    }
    return true;
}

void apply_override(Node& root, const std::string& assignment) {
    const auto eq = assignment.find('=');
    const std::string shown = "--set " + assignment;
    if (eq == std::string::npos) {
        throw InputError(shown + ": expected PATH=VALUE, e.g. --set firms.count=200000");
    }
    const std::string path = assignment.substr(0, eq);
    const std::string option = "--set " + path;
    const auto parts = split_path(path, option);
    const std::string text = assignment.substr(eq + 1);
    Node value;
    try {
        value = load_one(text, option);
    } catch (const InputError& e) {
        const std::string message = e.what();
        throw InputError(option + ": the value is not valid YAML: " + message.substr(message.find(": ") + 2));
    }
    if (value.is_null()) {
        throw InputError(option + ": empty value" + (text.empty() ? " (an unset shell variable?)" : " ('" + text + "')") +
                         "; give a value, or leave the option out to keep the scenario's value");
    }
    relocate(value, Location{option, 0, 0});
    Node* node = &root;
    std::string so_far;
    for (const auto& part : parts) {
        node = step_into(node, part, so_far.empty() ? "the scenario" : so_far, option);
        so_far += (so_far.empty() ? "" : ".") + part;
    }
    const Location key_where = node->key_where;
    if (node->is_map() && value.is_map()) {
        merge_into(*node, value);
    } else {
        *node = value;
    }
    node->key_where = key_where.file.empty() ? Location{option, 0, 0} : key_where;
    node->where = Location{option, 0, 0};
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const auto& c : candidates) {
        const auto d = edit_distance(word, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

}  // namespace ipsim::io
