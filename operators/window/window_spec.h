#pragma once
// What every keyed window operator shares: its options, its result rows, and the spec that
// KeyedStream::apply builds it from, e.g.
//   TumblingWindow(1min).allowed_lateness(5s).aggregate(Count{})
//   HoppingWindow(60s, 1s).aggregate(Sum{&Bid::price}).late_to<Bid>(late_sink)
//   SessionWindow(30s).aggregate(Count{})

#include "engine/runtime/downstream.h"
#include "engine/runtime/pipeline.h"
#include "operators/aggregate/aggregates.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace shardflow::ops {

enum class EmitMode : uint8_t {
    kFinal,    // once, when the watermark passes the window's end plus the allowed lateness
    kChanges,  // after every batch that changed the window (an update stream; tumbling only)
};

template <class K, class V>
struct WindowResult {
    K key;
    runtime::EventTime window_start;
    runtime::EventTime window_end;  // exclusive
    V value;

    bool operator==(const WindowResult&) const = default;
};

/// Floor of t to a multiple of size, for negative times too.
inline runtime::EventTime window_start_of(runtime::EventTime t, runtime::EventTime size) {
    runtime::EventTime r = t % size;
    return t - (r < 0 ? r + size : r);
}

struct WindowOptions {
    runtime::EventTime size_ms = 0;   // tumbling, hopping
    runtime::EventTime slide_ms = 0;  // hopping
    runtime::EventTime gap_ms = 0;    // session
    int64_t count = 0;                // count windows: records per window
    runtime::EventTime allowed_lateness_ms = 0;
    EmitMode emit = EmitMode::kFinal;
    bool needs_event_time = true;   // false for count windows
    bool can_emit_changes = false;  // tumbling windows only, for now
    std::shared_ptr<void> late{};   // a runtime::Downstream<T> for the operator's T, or null

    template <class T>
    runtime::Downstream<T>* late_output() const {
        return static_cast<runtime::Downstream<T>*>(late.get());
    }
};

/// A window operator template Op<T, K, Agg> bound to its options and aggregate.
template <template <class, class, class> class Op, class Agg>
class WindowSpec {
public:
    template <class T, class K>
    using Output = typename Op<T, K, Agg>::Result;

    WindowSpec(std::string kind, WindowOptions options, Agg agg)
        : kind_(std::move(kind))
        , options_(std::move(options))
        , agg_(std::move(agg)) {}

    /// Records later than the allowed lateness go to `late` (they are counted either way).
    template <class T>
    WindowSpec late_to(std::shared_ptr<runtime::Downstream<T>> late) && {
        options_.late = std::move(late);
        return std::move(*this);
    }

    bool needs_event_time() const { return options_.needs_event_time; }

    /// Why this spec cannot run as asked, or empty.
    std::string misuse() const {
        if (options_.emit == EmitMode::kChanges && !options_.can_emit_changes) {
            return kind_ +
                   " windows emit final results only (EMIT CHANGES needs a tumbling "
                   "window or no window)";
        }
        return {};
    }

    std::string describe() const {
        return fmt::format("{}(lateness {} ms, emit {})",
                           kind_,
                           options_.allowed_lateness_ms,
                           options_.emit == EmitMode::kFinal ? "final" : "changes");
    }

    template <class T, class K>
    runtime::Downstream<T>& build(runtime::StageArena& arena,
                                  std::function<K(const T&)> key,
                                  std::function<runtime::EventTime(const T&)> event_time,
                                  runtime::Downstream<Output<T, K>>& next) const {
        return arena.make<Op<T, K, Agg>>(
            options_, agg_, std::move(key), std::move(event_time), next);
    }

private:
    std::string kind_;
    WindowOptions options_;
    Agg agg_;
};

/// The fluent part every window kind shares; Derived names the kind and its operator.
template <template <class, class, class> class Op>
class WindowBuilder {
public:
    WindowBuilder(std::string kind, WindowOptions options)
        : kind_(std::move(kind))
        , options_(std::move(options)) {}

    WindowBuilder& allowed_lateness(std::chrono::milliseconds lateness) {
        options_.allowed_lateness_ms = lateness.count();
        return *this;
    }
    WindowBuilder& emit(EmitMode mode) {
        options_.emit = mode;
        return *this;
    }
    template <class Agg>
    WindowSpec<Op, Agg> aggregate(Agg agg) const {
        return WindowSpec<Op, Agg>(kind_, options_, std::move(agg));
    }

private:
    std::string kind_;
    WindowOptions options_;
};

}  // namespace shardflow::ops
