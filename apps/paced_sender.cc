#include "apps/paced_sender.h"

namespace shardflow::app {

Status send_paced(connectors::RecordGenerator& generator,
                  connectors::PutRecordsBatcher& batcher,
                  const Pacing& pacing) {
    using SteadyClock = std::chrono::steady_clock;
    const auto start = SteadyClock::now();
    auto seconds = [&] {
        return std::chrono::duration<double>(SteadyClock::now() - start).count();
    };
    uint64_t made = 0;
    Status delivered;
    for (auto tick = start; made < pacing.limit && SteadyClock::now() < pacing.end && delivered;
         tick += pacing.tick) {
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::min(tick, pacing.end) - SteadyClock::now());
        if (wait.count() > 0 && pacing.pause(wait)) {
            break;
        }
        double elapsed = seconds();
        auto due = std::min(pacing.limit, static_cast<uint64_t>(elapsed * pacing.rate));
        for (; made < due && delivered; ++made) {
            auto record = generator.next();
            delivered = batcher.add({std::move(record.data), std::move(record.partition_key)});
        }
        if (delivered) {
            delivered = batcher.flush();
        }
        pacing.progress(batcher.stats(), elapsed);
    }
    if (delivered) {
        delivered = batcher.flush();
    }
    batcher.drop_pending();  // retried enough already
    pacing.progress(batcher.stats(), seconds());
    return delivered;
}

}  // namespace shardflow::app
