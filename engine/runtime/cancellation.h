#pragma once
// A run's cancellation as operators see it in the middle of a batch: an operator whose output
// can grow without bound (a regular join's matches) asks between chunks, and the executor stops
// between rounds. The executor installs the run's check on the threads that run its operators.

#include <functional>

namespace shardflow::runtime {

/// True when the run must be abandoned; called from every worker thread at once.
using CancelCheck = std::function<bool()>;

/// Installs `check` (null: none) on this thread while the scope lives.
class CancelScope {
public:
    explicit CancelScope(const CancelCheck* check);
    ~CancelScope();
    CancelScope(const CancelScope&) = delete;
    CancelScope& operator=(const CancelScope&) = delete;

private:
    const CancelCheck* previous_;
};

/// Whether the run this thread works for is cancelled.
bool cancel_requested();

}  // namespace shardflow::runtime
