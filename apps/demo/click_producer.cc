#include "apps/demo/click_producer.h"

#include "apps/demo/demo_script.h"
#include "connectors/kinesis_client/kinesis_client.h"
#include "connectors/kinesis_client/put_records_batcher.h"
#include "connectors/record_template/record_template.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <mutex>

namespace shardflow::app::demo {
namespace {

// The Kinesis Data Generator's kind of template; PAGES and WEIGHTS are filled in below.
constexpr std::string_view kClickTemplate =
    R"({"user_id": "user-{{random.number({"min": 1, "max": 300})}}", )"
    R"("page": "{{random.weightedArrayElement({"weights": [WEIGHTS], "data": [PAGES]})}}", )"
    R"("referrer": "{{random.arrayElement(["google", "direct", "newsletter", "social"])}}", )"
    R"("device": "{{random.arrayElement(["mobile", "desktop", "tablet"])}}", )"
    R"("duration_ms": {{random.number({"min": 200, "max": 60000})}}, )"
    R"("ts": "{{date.now("yyyy-MM-dd HH:mm:ss.SSS")}}"})";

/// Popular pages get more weight (so top pages mean something); two pages are not in the
/// reference table, so the enrichment join has clicks to drop.
std::string click_template() {
    std::vector<std::string> pages = {"\"/promo/black-friday\"", "\"/search\""};
    std::vector<size_t> weights = {4, 6};
    for (size_t i = 0; i < kPages.size(); ++i) {
        pages.push_back(fmt::format("\"{}\"", kPages[i].url));
        weights.push_back(kPages.size() + 2 - i);  // "/" the most
    }
    std::string text(kClickTemplate);
    text.replace(text.find("WEIGHTS"), 7, fmt::format("{}", fmt::join(weights, ", ")));
    text.replace(text.find("PAGES"), 5, fmt::format("{}", fmt::join(pages, ", ")));
    return text;
}

}  // namespace

struct ClickProducer::State {
    ProducerOptions options;
    connectors::RecordTemplate record;
    connectors::RecordTemplate partition_key;
    connectors::KinesisClient client;
    mutable std::mutex mu;
    ProducerStats stats;  // under mu
};

Result<std::unique_ptr<ClickProducer>> ClickProducer::start(ProducerOptions options) {
    SF_ASSIGN_OR_RETURN(auto record, connectors::RecordTemplate::parse(click_template()));
    SF_ASSIGN_OR_RETURN(auto key, connectors::RecordTemplate::parse("{{random.uuid}}"));
    connectors::KinesisClientOptions client_options;
    client_options.endpoint = options.endpoint;
    SF_ASSIGN_OR_RETURN(auto client, connectors::KinesisClient::create(client_options));
    auto state = std::unique_ptr<State>(new State{
        std::move(options), std::move(record), std::move(key), std::move(client), {}, {}});
    std::unique_ptr<ClickProducer> producer(new ClickProducer(std::move(state)));
    producer->thread_ = std::thread([p = producer.get()] { p->run(); });
    return producer;
}

ClickProducer::ClickProducer(std::unique_ptr<State> state)
    : state_(std::move(state)) {}

ClickProducer::~ClickProducer() {
    stop();
}

void ClickProducer::stop() {
    stop_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
}

ProducerStats ClickProducer::stats() const {
    std::lock_guard lock(state_->mu);
    return state_->stats;
}

void ClickProducer::run() {
    const ProducerOptions& o = state_->options;
    connectors::PutRecordsBatcher batcher(state_->client, o.stream);
    connectors::RenderState render{connectors::TemplateRng(o.seed), 0, 0};
    const auto started = std::chrono::steady_clock::now();
    const EpochMillis event_start = SystemClock::instance().now_ms();
    uint64_t made = 0;
    std::string event_time;
    for (bool last_round = false; !last_round;) {
        last_round = stop_;
        double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        auto due = static_cast<uint64_t>(elapsed * o.rate);
        for (; made < due; ++made) {
            // The record's slot in the schedule, on the faster event-time clock.
            render.sequence = made + 1;
            render.now_ms = event_start + static_cast<EpochMillis>(static_cast<double>(made) /
                                                                   o.rate * 1000.0 * o.speed);
            connectors::PutRecordsEntry entry;
            state_->record.render(render, entry.data);
            state_->partition_key.render(render, entry.partition_key);
            (void)batcher.add(std::move(entry));  // failures are counted in the stats
        }
        (void)batcher.flush();
        if (last_round) {
            batcher.drop_pending();  // retried enough: count what is left as failed
        }
        event_time =
            made == 0 ? "" : fmt::format("{:%Y-%m-%d %H:%M:%S}", fmt::gmtime(render.now_ms / 1000));
        {
            std::lock_guard lock(state_->mu);
            state_->stats = {batcher.stats().sent, batcher.stats().failed, event_time};
        }
        if (!last_round) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
}

}  // namespace shardflow::app::demo
