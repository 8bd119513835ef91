#pragma once
// One result row of a keyed window: the key, the window's bounds and the aggregate's value.

#include "engine/runtime/event_time.h"

namespace shardflow::ops {

enum class EmitMode : uint8_t {
    kFinal,    // once, when the watermark passes the window's end plus the allowed lateness
    kChanges,  // after every batch that changed the window (an update stream)
};

template <class K, class V>
struct WindowResult {
    K key;
    runtime::EventTime window_start;
    runtime::EventTime window_end;  // exclusive
    V value;

    bool operator==(const WindowResult&) const = default;
};

}  // namespace shardflow::ops
