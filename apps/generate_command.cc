// `shardflow generate`: records from a template into a stream at a steady rate, in the manner
// of the Kinesis Data Generator, through any Kinesis endpoint.

#include "apps/commands.h"
#include "apps/options.h"
#include "apps/paced_sender.h"
#include "apps/progress_line.h"
#include "apps/stop_signal.h"
#include "connectors/kinesis_client/put_records_batcher.h"
#include "connectors/kinesis_client/stream_setup.h"
#include "connectors/record_template/record_generator.h"

#include <fmt/format.h>

#include <fstream>
#include <optional>
#include <random>
#include <sstream>

namespace shardflow::app {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kClickTemplate =
    R"({"event_id": "{{random.uuid}}", "user": "{{internet.userName}}", )"
    R"("page": "{{random.arrayElement(["/", "/products", "/products/42", "/cart", "/checkout", "/search"])}}", )"
    R"("action": "{{random.weightedArrayElement({"weights": [0.7, 0.25, 0.05], "data": ["view", "click", "purchase"]})}}", )"
    R"("duration_ms": {{random.number({"min": 5, "max": 5000})}}, "ip": "{{internet.ip}}", )"
    R"("ts": "{{date.now}}"})";

struct Plan {
    std::string stream;
    std::string endpoint;
    std::string template_text;
    std::string partition_key;
    int64_t rate = 0;
    std::optional<int64_t> count;
    std::optional<int64_t> duration_s;
    uint64_t seed = 0;
    int64_t create_shards = 0;
};

Result<std::optional<int64_t>> optional_int(const Options& o, const std::string& name) {
    if (o.get(name).empty()) {
        return std::optional<int64_t>();
    }
    SF_ASSIGN_OR_RETURN(int64_t value, o.get_int(name));
    return std::optional<int64_t>(value);
}

Result<Plan> make_plan(const std::vector<std::string>& args) {
    SF_ASSIGN_OR_RETURN(auto o,
                        Options::parse(args,
                                       {{"stream", ""},
                                        {"endpoint", "http://127.0.0.1:4567"},
                                        {"template", ""},
                                        {"template-text", ""},
                                        {"partition-key", "{{random.uuid}}"},
                                        {"rate", "100"},
                                        {"count", ""},
                                        {"duration", ""},
                                        {"seed", ""},
                                        {"create-shards", "0"}}));
    Plan plan;
    plan.stream = o.get("stream");
    plan.endpoint = o.get("endpoint");
    plan.partition_key = o.get("partition-key");
    SF_ASSIGN_OR_RETURN(plan.rate, o.get_int("rate"));
    SF_ASSIGN_OR_RETURN(plan.count, optional_int(o, "count"));
    SF_ASSIGN_OR_RETURN(plan.duration_s, optional_int(o, "duration"));
    SF_ASSIGN_OR_RETURN(plan.create_shards, o.get_int("create-shards"));
    SF_ASSIGN_OR_RETURN(auto seed, optional_int(o, "seed"));
    plan.seed = seed ? static_cast<uint64_t>(*seed) : std::random_device{}();
    if (plan.stream.empty()) {
        return Error{ErrorCode::kInvalidArgument, "--stream NAME is required"};
    }
    if (plan.rate < 1 || (plan.count && *plan.count < 1) ||
        (plan.duration_s && *plan.duration_s < 1) || plan.create_shards < 0) {
        return Error{ErrorCode::kInvalidArgument,
                     "--rate, --count and --duration must be at least 1, --create-shards at "
                     "least 0"};
    }
    if (!plan.count && !plan.duration_s) {
        plan.duration_s = 10;
    }
    if (!o.get("template").empty() && !o.get("template-text").empty()) {
        return Error{ErrorCode::kInvalidArgument,
                     "give --template FILE or --template-text, not both"};
    }
    plan.template_text = o.get("template-text");
    if (!o.get("template").empty()) {
        std::ifstream in(o.get("template"));
        if (!in) {
            return Error::make(
                ErrorCode::kInvalidArgument, "cannot read the template file {}", o.get("template"));
        }
        std::stringstream text;
        text << in.rdbuf();
        plan.template_text = text.str();
    } else if (plan.template_text.empty()) {
        plan.template_text = kClickTemplate;
    }
    return plan;
}

struct Setup {
    Plan plan;
    connectors::RecordGenerator generator;
    connectors::KinesisClient client;
};

/// Everything a bad command line can get wrong, checked before anything is sent.
Result<Setup> prepare(const std::vector<std::string>& args) {
    SF_ASSIGN_OR_RETURN(auto plan, make_plan(args));
    SF_ASSIGN_OR_RETURN(auto data, connectors::RecordTemplate::parse(plan.template_text));
    auto key = connectors::RecordTemplate::parse(plan.partition_key);
    if (!key) {
        return Error::make(ErrorCode::kInvalidArgument, "--partition-key: {}", key.error().message);
    }
    connectors::KinesisClientOptions options;
    options.endpoint = plan.endpoint;
    SF_ASSIGN_OR_RETURN(auto client, connectors::KinesisClient::create(options));
    uint64_t seed = plan.seed;
    return Setup{std::move(plan),
                 connectors::RecordGenerator(std::move(data), std::move(*key), seed),
                 std::move(client)};
}

std::string progress(const connectors::PutRecordsBatcherStats& s, double elapsed_s) {
    return fmt::format("shardflow generate: {:.0f} records/s, {} sent, {} failed, {} retried",
                       elapsed_s > 0 ? static_cast<double>(s.sent) / elapsed_s : 0.0,
                       s.sent,
                       s.failed,
                       s.retried);
}

}  // namespace

int generate_command(const std::vector<std::string>& args) {
    auto setup = prepare(args);
    if (!setup) {
        fmt::print(stderr, "shardflow generate: {}\n", setup.error().message);
        return 2;
    }
    const Plan& plan = setup->plan;
    Status ready = connectors::ensure_stream(
        setup->client, plan.stream, plan.create_shards, std::chrono::seconds(60));
    if (!ready) {
        fmt::print(stderr, "shardflow generate: {}\n", ready.error().message);
        return 1;
    }

    connectors::PutRecordsBatcher batcher(setup->client, plan.stream);
    ProgressLine line(std::chrono::seconds(5));
    StopSignal stop;  // Ctrl-C ends the run with its summary
    const auto start = SteadyClock::now();
    Pacing pacing;
    pacing.rate = static_cast<double>(plan.rate);
    pacing.limit = static_cast<uint64_t>(plan.count.value_or(INT64_MAX));
    if (plan.duration_s) {
        pacing.end = start + std::chrono::seconds(*plan.duration_s);
    }
    pacing.pause = [&](std::chrono::milliseconds pause) {
        return stop.wait(pause);
    };
    pacing.progress = [&](const connectors::PutRecordsBatcherStats& stats, double elapsed) {
        line.show(progress(stats, elapsed));
    };
    Status delivered = send_paced(setup->generator, batcher, pacing);
    line.finish();
    const auto& stats = batcher.stats();
    double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
    if (!delivered) {
        fmt::print(stderr, "shardflow generate: {}\n", delivered.error().message);
    }
    fmt::print(stderr,
               "shardflow generate: {} records sent to {}, {} failed, {} retried, in {:.1f} s "
               "({:.0f} records/s)\n",
               stats.sent,
               plan.stream,
               stats.failed,
               stats.retried,
               elapsed,
               elapsed > 0 ? static_cast<double>(stats.sent) / elapsed : 0.0);
    return stats.failed == 0 && delivered ? 0 : 1;
}

}  // namespace shardflow::app
