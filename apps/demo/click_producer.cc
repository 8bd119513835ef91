#include "apps/demo/click_producer.h"

#include "apps/demo/demo_script.h"
#include "apps/paced_sender.h"
#include "connectors/kinesis_client/kinesis_client.h"
#include "connectors/kinesis_client/put_records_batcher.h"
#include "connectors/record_template/record_generator.h"

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

/// The wall clock, `speed` times faster from the moment it is made.
class FastClock final : public Clock {
public:
    explicit FastClock(int speed)
        : start_(SystemClock::instance().now_ms())
        , speed_(speed) {}
    EpochMillis now_ms() const override {
        return start_ + (SystemClock::instance().now_ms() - start_) * speed_;
    }

private:
    EpochMillis start_;
    int speed_;
};

}  // namespace

struct ClickProducer::State {
    State(ProducerOptions o,
          connectors::RecordTemplate record,
          connectors::RecordTemplate key,
          connectors::KinesisClient c)
        : options(std::move(o))
        , event_clock(options.speed)
        , generator(std::move(record), std::move(key), options.seed, event_clock)
        , client(std::move(c)) {}

    ProducerOptions options;
    FastClock event_clock;
    connectors::RecordGenerator generator;  // clicks stamped by event_clock
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
    auto state = std::make_unique<State>(
        std::move(options), std::move(record), std::move(key), std::move(client));
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
    connectors::PutRecordsBatcher batcher(state_->client, state_->options.stream);
    Pacing pacing;
    pacing.rate = state_->options.rate;
    pacing.tick = std::chrono::milliseconds(50);
    pacing.pause = [this](std::chrono::milliseconds pause) {
        std::this_thread::sleep_for(pause);
        return stop_.load();
    };
    pacing.progress = [this](const connectors::PutRecordsBatcherStats& sent, double) {
        std::string now = fmt::format(
            "{:%Y-%m-%d %H:%M:%S}", fmt::gmtime(std::time_t(state_->event_clock.now_ms() / 1000)));
        std::lock_guard lock(state_->mu);
        state_->stats = {sent.sent, sent.failed, std::move(now)};
    };
    (void)send_paced(state_->generator, batcher, pacing);  // failures are counted in the stats
}

}  // namespace shardflow::app::demo
