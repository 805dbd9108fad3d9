/*!
 * @file scenario_binder.hpp
 * @brief The visitor that reads a located YAML tree into the scenario structs.
 *
 * For each field a struct declares in visit(), the binder looks up the key in the current map,
 * converts and checks the value (type, finiteness, range, whole numbers), or leaves the field
 * as the struct's default constructor made it when the key is absent (bind_struct starts from a
 * default-constructed struct, so that is the member initializer: the one place a default is
 * written). Keys that no field claimed are reported with the closest known key. Errors name the
 * value's position and the field path, e.g.
 * `mic2025.yaml:41:7: sectors[3].demand.elasticity must be > 0 (got -1.2)`.
 */
#pragma once

#include <string>
#include <vector>

#include "io/input_error.hpp"
#include "io/yaml_tree.hpp"
#include "model/schema.hpp"

namespace ipsim::io::detail {

/*! @brief Binds one map node (or nothing: all defaults) to one struct. */
class Binder {
public:
    /*! @brief `node` may be null (section absent); `path` is the field path of the struct. */
    Binder(const Node* node, std::string path, Location parent);

    void number(const char* key, double& x, const model::FieldSpec& spec);
    void integer(const char* key, std::int64_t& x, const model::FieldSpec& spec);
    void flag(const char* key, bool& x, const char* doc);
    void text(const char* key, std::string& x, const char* doc);
    void path(const char* key, model::TimePath& x, const model::FieldSpec& spec);
    void names(const char* key, std::vector<std::string>& x, const char* doc);
    void named_values(const char* key, model::NamedValues& x, double unlisted, const model::FieldSpec& spec);

    template <class S>
    void section(const char* key, S& s, const char* /*doc*/) {
        const Node* child = claim_value(key);
        if (child != nullptr && !child->is_map()) {
            fail(*child, field(key) + " must be a section (a map of fields)");
        }
        bind_struct(child, field(key), s, where_of(child));
    }

    template <class S>
    void list(const char* key, std::vector<S>& items, const char* /*doc*/) {
        const Node* child = claim_value(key);
        if (child == nullptr) {
            return;
        }
        if (!child->is_list()) {
            fail(*child, field(key) + " must be a list");
        }
        items.clear();
        for (std::size_t i = 0; i < child->items.size(); ++i) {
            const Node& item = child->items[i];
            const std::string item_path = field(key) + "[" + std::to_string(i) + "]";
            if (!item.is_map()) {
                fail(item, item_path + " must be a map of fields");
            }
            items.emplace_back();
            bind_struct(&item, item_path, items.back(), item.where);
        }
    }

    /*! @brief Rejects keys no field claimed, with a did-you-mean. */
    void reject_unknown() const;

    /*! @brief Resets `s` to a default-constructed S, binds `node` to it and checks for unknown keys. */
    template <class S>
    static void bind_struct(const Node* node, const std::string& path, S& s, const Location& where) {
        s = S{};
        Binder b(node, path, where);
        s.visit(b);
        b.reject_unknown();
    }

private:
    const Node* claim(const char* key);
    /*! Like claim(), but a key written without a value (YAML null) is an error, not the default. */
    const Node* claim_value(const char* key);
    [[nodiscard]] std::string field(const char* key) const;
    [[nodiscard]] Location where_of(const Node* n) const { return n != nullptr ? n->where : parent_; }
    [[noreturn]] static void fail(const Node& at, const std::string& message);
    double parse_number(const Node& value, const std::string& name, const model::FieldSpec& spec) const;

    const Node* node_;
    std::string path_;
    Location parent_;
    std::vector<std::string> known_;
};

}  // namespace ipsim::io::detail
