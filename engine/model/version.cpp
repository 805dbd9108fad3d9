#include "model/version.hpp"

#if IPSIM_VECTOR_MATH
#include "model/detail/vector_math.hpp"
#endif

namespace ipsim::model {

const std::string& engine_version() {
#if IPSIM_VECTOR_MATH
    static const std::string version = std::string(IPSIM_RELEASE) + "+vecmath-" + detail::vector_math::routine();
#else
    static const std::string version = IPSIM_RELEASE;
#endif
    return version;
}

}  // namespace ipsim::model
