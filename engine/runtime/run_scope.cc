#include "engine/runtime/run_scope.h"

namespace shardflow::runtime {
namespace {

thread_local RunContext current;

}  // namespace

RunScope::RunScope(RunContext context)
    : previous_(current) {
    current = context;
}

RunScope::~RunScope() {
    current = previous_;
}

bool cancel_requested() {
    return current.cancelled && *current.cancelled && (*current.cancelled)();
}

void count_state(int64_t bytes) {
    if (current.state) {
        current.state->add(bytes);
    }
}

}  // namespace shardflow::runtime
