/*!
 * @file yaml_tree.hpp
 * @brief A YAML document as a plain tree that remembers where every value came from.
 *
 * yaml-cpp parses; this tree keeps maps in file order with the file, line and column of every
 * key and value, so that errors found after merging a scenario over its base, or after applying
 * `--set` overrides, still name the right place. Merging and overrides work on this tree; the
 * loader (scenario_loader.cpp) then reads it into the Scenario structs with the binder
 * (scenario_binder.hpp).
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ipsim::io {

/*! @brief Largest scenario text read (files, `extends` bases and `--set` values). */
inline constexpr std::size_t kMaxScenarioBytes = std::size_t{4} << 20;
/*! @brief Most values one document may hold once aliases are expanded ("billion laughs"). */
inline constexpr std::size_t kMaxYamlValues = 100'000;
/*! @brief Deepest nesting of maps and lists (a self-referencing alias is infinitely deep). */
inline constexpr int kMaxYamlDepth = 64;

/*! @brief Where a value was written: a file position, or a command-line option. */
struct Location {
    std::string file;  //!< display name of the file, or "--set PATH" for overrides
    int line = 0;      //!< 1-based; 0 when not from a file
    int column = 0;    //!< 1-based

    /*! @brief "file:line:col" or the option text. */
    [[nodiscard]] std::string describe() const;
};

/*! @brief One YAML value: null, scalar, map (ordered) or list. */
struct Node {
    enum class Kind {
        null,
        scalar,
        map,
        list
    };

    // Defined out of line: `entries` holds pairs with Node itself, complete only after the class.
    Node();
    ~Node();
    Node(const Node&);
    Node(Node&&) noexcept;
    Node& operator=(const Node&);
    Node& operator=(Node&&) noexcept;

    Kind kind = Kind::null;
    std::string scalar;
    std::vector<std::pair<std::string, Node>> entries;  //!< map entries, in file order
    std::vector<Node> items;                            //!< list items
    Location where;                                     //!< position of the value
    Location key_where;                                 //!< position of its key, for map entries

    /*! @brief The map entry with this key, or nullptr. */
    [[nodiscard]] const Node* find(std::string_view key) const noexcept;
    [[nodiscard]] Node* find(std::string_view key) noexcept;
    /*! @brief For a list of maps: the item whose `name` is `name`, or nullptr. */
    [[nodiscard]] Node* item_named(std::string_view name) noexcept;
    /*! @brief Removes a map entry if present. */
    void erase(std::string_view key);
    [[nodiscard]] bool is_map() const noexcept { return kind == Kind::map; }
    [[nodiscard]] bool is_list() const noexcept { return kind == Kind::list; }
    [[nodiscard]] bool is_scalar() const noexcept { return kind == Kind::scalar; }
    [[nodiscard]] bool is_null() const noexcept { return kind == Kind::null; }
};

/*! @brief Parses YAML text; syntax errors, duplicate keys, a second document, text that is not
 *  UTF-8, and text or alias expansion past the limits above throw InputError naming file:line:col. */
[[nodiscard]] Node parse_yaml(std::string_view text, const std::string& display_name);

/*! @brief Merges `overlay` into `base`: maps key by key, lists of named maps item by item by
 *  `name` (new names appended), anything else replaced. */
void merge_into(Node& base, const Node& overlay);

/*! @brief Applies one "dotted.path=value" override (value parsed as YAML). Paths address map
 *  keys, list items by `name` or by index (`sectors[3]` or `sectors.3`). Throws InputError. */
void apply_override(Node& root, const std::string& assignment);

/*! @brief The node at a --set style path (map keys, list items by `name` or index), or nullptr. */
[[nodiscard]] const Node* find_path(const Node& root, const std::string& path);

/*! @brief True if two trees hold the same values (kinds, scalars, keys in order, items); positions ignored. */
[[nodiscard]] bool same_values(const Node& a, const Node& b) noexcept;

/*! @brief The closest candidate within a small edit distance, or "" if none is close. */
[[nodiscard]] std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ipsim::io
