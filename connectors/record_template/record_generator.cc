// One record: advance the sequence, read the clock once, render both templates.

#include "connectors/record_template/record_generator.h"

namespace shardflow::connectors {

RecordGenerator::RecordGenerator(RecordTemplate data,
                                 RecordTemplate partition_key,
                                 uint64_t seed,
                                 const Clock& clock)
    : data_(std::move(data))
    , partition_key_(std::move(partition_key))
    , state_{TemplateRng(seed), 0, 0}
    , clock_(clock) {}

GeneratedRecord RecordGenerator::next() {
    ++state_.sequence;
    state_.now_ms = clock_.now_ms();
    GeneratedRecord out;
    data_.render(state_, out.data);
    partition_key_.render(state_, out.partition_key);
    return out;
}

}  // namespace shardflow::connectors
