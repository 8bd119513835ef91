#pragma once
// Makes records from a data template and a partition-key template, deterministically for a seed.

#include "connectors/record_template/record_template.h"
#include "engine/common/clock.h"

#include <cstdint>
#include <string>

namespace shardflow::connectors {

struct GeneratedRecord {
    std::string data;
    std::string partition_key;
};

/// One stream of records. {{sequence}} counts records from 1 and every placeholder of a record
/// sees the same time, so the data and its key agree. With a FakeClock, the same seed gives
/// the same records. Threading: one caller at a time (one generator per thread).
class RecordGenerator {
public:
    RecordGenerator(RecordTemplate data,
                    RecordTemplate partition_key,
                    uint64_t seed,
                    const Clock& clock = SystemClock::instance());

    GeneratedRecord next();

private:
    RecordTemplate data_;
    RecordTemplate partition_key_;
    RenderState state_;
    const Clock& clock_;
};

}  // namespace shardflow::connectors
