#include "bench/nexmark/source/generator_source.h"

#include "bench/nexmark/generator/nexmark_generator.h"
#include "engine/runtime/state_codec.h"

#include <fmt/format.h>

namespace shardflow::nexmark {

GeneratorSource::GeneratorSource(GeneratorConfig config, uint64_t events, uint32_t partitions)
    : config_(config)
    , events_(events) {
    for (uint32_t p = 0; p < std::max<uint32_t>(partitions, 1); ++p) {
        next_.push_back(p);
    }
}

std::string GeneratorSource::describe() const {
    return fmt::format("nexmark_generator({} events, {} partitions)", events_, next_.size());
}

Result<std::vector<runtime::PartitionId>> GeneratorSource::readable_partitions() {
    std::lock_guard lock(mu_);
    done_.insert(finishing_.begin(), finishing_.end());
    finishing_.clear();
    std::vector<runtime::PartitionId> out;
    for (runtime::PartitionId p = 0; p < next_.size(); ++p) {
        if (!done_.contains(p)) {
            out.push_back(p);
        }
    }
    return out;
}

Result<runtime::PartitionRead> GeneratorSource::read(runtime::PartitionId p,
                                                     size_t max_records,
                                                     std::vector<Event>& out) {
    const uint64_t stride = next_.size();
    size_t n = 0;
    for (; n < max_records && next_[p] < events_; ++n, next_[p] += stride) {
        out.push_back(generate_event(config_, next_[p]));
    }
    bool finished = next_[p] >= events_;
    if (finished) {
        std::lock_guard lock(mu_);
        finishing_.push_back(p);
    }
    return runtime::PartitionRead{n, finished, finished};
}

std::string GeneratorSource::save_positions() const {
    runtime::StateWriter w;
    runtime::encode(w, next_);
    return w.take();
}

Status GeneratorSource::restore_positions(std::string_view positions) {
    if (positions.empty()) {
        return ok();
    }
    runtime::StateReader r(positions);
    runtime::decode(r, next_);
    return r.status();
}

}  // namespace shardflow::nexmark
