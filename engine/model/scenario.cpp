#include "model/scenario.hpp"

namespace ipsim::model {

namespace {

template <class Items>
int index_of(const Items& items, const std::string& name) noexcept {
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].name == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

}  // namespace

int Scenario::sector_index(const std::string& sector_name) const noexcept { return index_of(sectors, sector_name); }

int Scenario::region_index(const std::string& region_name) const noexcept { return index_of(regions, region_name); }

}  // namespace ipsim::model
