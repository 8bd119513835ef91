#pragma once
// A row of an update stream, or the taking back of one (a retraction): what an aggregate or a
// Top-N over another aggregate's rows reads, since each new value of a group replaces the row it
// emitted before (RunningAggregate::changes() tells both).

namespace shardflow::ops {

template <class T>
struct Change {
    T value;
    bool retract = false;  // takes back an earlier `value`

    bool operator==(const Change&) const = default;
};

}  // namespace shardflow::ops
