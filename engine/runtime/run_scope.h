#pragma once
// What operators deep in a batch can ask of the run they work for: whether it is cancelled (an
// operator whose output can grow without bound, such as a regular join's matches, asks between
// chunks) and where to count the state they keep. The executor installs both on the threads
// that run its operators.

#include "engine/runtime/state_budget.h"

#include <functional>

namespace shardflow::runtime {

/// True when the run must be abandoned; called from every worker thread at once.
using CancelCheck = std::function<bool()>;

struct RunContext {
    const CancelCheck* cancelled = nullptr;
    StateBudget* state = nullptr;
};

/// Installs `context` on this thread while the scope lives.
class RunScope {
public:
    explicit RunScope(RunContext context);
    ~RunScope();
    RunScope(const RunScope&) = delete;
    RunScope& operator=(const RunScope&) = delete;

private:
    RunContext previous_;
};

/// Whether the run this thread works for is cancelled.
bool cancel_requested();

/// Counts `bytes` more (or, negative, fewer) of state kept by the run this thread works for.
void count_state(int64_t bytes);

}  // namespace shardflow::runtime
