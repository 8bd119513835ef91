// The always-on invariant check.

#include "engine/common/error.h"

#include <cstdio>
#include <cstdlib>

namespace shardflow {

namespace detail {
void check_failed(const char* condition, const char* file, int line) {
    std::fprintf(stderr, "shardflow: check failed: %s at %s:%d\n", condition, file, line);
    std::abort();
}
}  // namespace detail

}  // namespace shardflow
