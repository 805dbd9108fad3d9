/*!
 * @file fuzz_scenario_loader.cpp
 * @brief libFuzzer entry point for the scenario loader (built only with -DIPSIM_FUZZ=ON).
 *
 * The input is scenario text; if it contains a NUL byte, the text after the first NUL is one
 * `--set` override, so both the file and the override parser are exercised. The loader's
 * contract is that any input either loads or throws io::InputError: any other exception, a
 * crash, a sanitizer report, a hang or unbounded memory is a finding. A loaded scenario is also
 * emitted and loaded again, which must succeed (the saved /scenario_yaml must re-run).
 */
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "io/input_error.hpp"
#include "io/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto nul = input.find('\0');
    const std::string_view text = input.substr(0, nul);
    std::vector<std::string> overrides;
    if (nul != std::string_view::npos) {
        overrides.emplace_back(input.substr(nul + 1));
    }
    ipsim::io::LoadedScenario loaded;
    try {
        loaded = ipsim::io::load_scenario_text(text, "fuzz.yaml", overrides);
    } catch (const ipsim::io::InputError&) {
        return 0;
    }
    try {
        (void)ipsim::io::load_scenario_text(loaded.resolved_yaml, "resolved.yaml");
    } catch (const ipsim::io::InputError&) {
        std::abort();  // the resolved text of a valid scenario must load again
    }
    return 0;
}
