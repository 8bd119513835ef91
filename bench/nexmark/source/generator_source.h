#pragma once
// The Nexmark generator as a runtime source: `partitions` partitions that together yield events
// [0, events) of the sequence, partition p the events p, p + P, p + 2P, ... so every partition
// moves through event time at the same pace (as Flink's parallel generator splits do).

#include "bench/nexmark/generator/generator_config.h"
#include "bench/nexmark/generator/model.h"
#include "engine/runtime/source.h"

#include <mutex>
#include <set>
#include <vector>

namespace shardflow::nexmark {

/// Threading: read() concurrently for distinct partitions, the rest between rounds.
class GeneratorSource final : public runtime::Source<Event> {
public:
    GeneratorSource(GeneratorConfig config, uint64_t events, uint32_t partitions);

    std::string describe() const override;
    Result<std::vector<runtime::PartitionId>> readable_partitions() override;
    Result<runtime::PartitionRead> read(runtime::PartitionId partition,
                                        size_t max_records,
                                        std::vector<Event>& out) override;
    std::string save_positions() const override;
    Status restore_positions(std::string_view positions) override;

private:
    GeneratorConfig config_;
    uint64_t events_;
    std::vector<uint64_t> next_;  // per partition: the next event index it yields
    std::mutex mu_;
    std::vector<runtime::PartitionId> finishing_;  // guarded by mu_
    std::set<runtime::PartitionId> done_;
};

}  // namespace shardflow::nexmark
