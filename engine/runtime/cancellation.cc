#include "engine/runtime/cancellation.h"

namespace shardflow::runtime {
namespace {

thread_local const CancelCheck* current = nullptr;

}  // namespace

CancelScope::CancelScope(const CancelCheck* check)
    : previous_(current) {
    current = check;
}

CancelScope::~CancelScope() {
    current = previous_;
}

bool cancel_requested() {
    return current && *current && (*current)();
}

}  // namespace shardflow::runtime
