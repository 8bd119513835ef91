// `shardflow agent`: the Kinesis Agent's job. Follows log files and sends their lines to a
// stream, checkpointing per file after each acknowledged batch, so a restart neither loses nor
// repeats lines. Only the batch in flight when the agent dies (or is stopped while the endpoint
// is away) is sent again: at least once, exactly once when nothing goes wrong.

#include "apps/commands.h"
#include "apps/line_records.h"
#include "apps/options.h"
#include "apps/progress_line.h"
#include "apps/stop_signal.h"
#include "connectors/file_tailer/checkpoint_file.h"
#include "connectors/file_tailer/file_tailer.h"
#include "connectors/kinesis_client/put_records_batcher.h"
#include "connectors/kinesis_client/stream_setup.h"

#include <fmt/format.h>

#include <ctime>
#include <memory>

namespace shardflow::app {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr auto kPollEvery = std::chrono::milliseconds(200);
constexpr auto kRetryEvery = std::chrono::seconds(5);
constexpr size_t kMaxPollBytes = 4 << 20;  // under the 5 MiB of one PutRecords call

struct AgentSetup {
    std::string stream;
    std::vector<std::string> files;
    std::filesystem::path checkpoint;
    bool from_start = false;
    std::optional<int64_t> duration_s;
    LineRecords records;
    connectors::KinesisClient client;
};

Result<AgentSetup> prepare(std::vector<std::string> args) {
    // --file may repeat, which Options does not do: take those out first.
    std::vector<std::string> files;
    std::vector<std::string> rest;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--file" && i + 1 < args.size()) {
            files.push_back(args[++i]);
        } else if (args[i].starts_with("--file=")) {
            files.push_back(args[i].substr(7));
        } else {
            rest.push_back(args[i]);
        }
    }
    SF_ASSIGN_OR_RETURN(auto o,
                        Options::parse(rest,
                                       {{"stream", ""},
                                        {"endpoint", "http://127.0.0.1:4567"},
                                        {"format", "lines"},
                                        {"partition-key", "random"},
                                        {"checkpoint", "./shardflow-agent.checkpoints"},
                                        {"from-start", "false"},
                                        {"duration", ""}}));
    if (o.get("stream").empty() || files.empty()) {
        return Error{ErrorCode::kInvalidArgument, "--stream NAME and --file PATH are required"};
    }
    if (o.get("from-start") != "true" && o.get("from-start") != "false") {
        return Error{ErrorCode::kInvalidArgument, "--from-start must be true or false"};
    }
    std::optional<int64_t> duration;
    if (!o.get("duration").empty()) {
        SF_ASSIGN_OR_RETURN(duration, o.get_int("duration"));
        if (*duration < 1) {
            return Error{ErrorCode::kInvalidArgument, "--duration must be at least 1"};
        }
    }
    SF_ASSIGN_OR_RETURN(auto records, LineRecords::make(o.get("format"), o.get("partition-key")));
    connectors::KinesisClientOptions options;
    options.endpoint = o.get("endpoint");
    SF_ASSIGN_OR_RETURN(auto client, connectors::KinesisClient::create(options));
    for (auto& f : files) {  // checkpoints hold absolute paths: a restart may be elsewhere
        f = std::filesystem::absolute(f).lexically_normal().string();
    }
    return AgentSetup{o.get("stream"),
                      std::move(files),
                      o.get("checkpoint"),
                      o.get("from-start") == "true",
                      duration,
                      std::move(records),
                      std::move(client)};
}

/// Sends what is queued, trying again every few seconds while the endpoint refuses; false when
/// told to stop first (the records stay unacknowledged).
bool deliver(connectors::PutRecordsBatcher& batcher, StopSignal& stop) {
    while (true) {
        Status sent = batcher.flush();
        if (!sent) {
            fmt::print(stderr, "shardflow agent: {}\n", sent.error().message);
        }
        if (batcher.pending() == 0) {
            return true;
        }
        if (stop.wait(kRetryEvery)) {
            return false;
        }
    }
}

}  // namespace

int agent_command(const std::vector<std::string>& args) {
    auto setup = prepare(args);
    if (!setup) {
        fmt::print(stderr, "shardflow agent: {}\n", setup.error().message);
        return 2;
    }
    auto checkpoints = connectors::load_checkpoints(setup->checkpoint);
    if (!checkpoints) {
        fmt::print(stderr, "shardflow agent: {}\n", checkpoints.error().message);
        return 1;
    }
    Status ready =
        connectors::ensure_stream(setup->client, setup->stream, 0, std::chrono::seconds(60));
    if (!ready) {
        fmt::print(stderr, "shardflow agent: {}\n", ready.error().message);
        return 1;
    }
    std::vector<std::unique_ptr<connectors::FileTailer>> tailers;
    for (const auto& file : setup->files) {
        auto saved = checkpoints->find(file);
        tailers.push_back(std::make_unique<connectors::FileTailer>(
            file,
            saved == checkpoints->end() ? std::nullopt : std::make_optional(saved->second),
            setup->from_start));
    }
    fmt::print(stderr,
               "shardflow agent: following {} file(s) into {} (checkpoints in {})\n",
               tailers.size(),
               setup->stream,
               setup->checkpoint.string());

    StopSignal stop(setup->duration_s ? std::make_optional(SteadyClock::now() +
                                                           std::chrono::seconds(*setup->duration_s))
                                      : std::nullopt);
    connectors::PutRecordsBatcher batcher(setup->client, setup->stream);
    ProgressLine progress(std::chrono::seconds(30));
    uint64_t bad_lines = 0;
    bool stopped = false;
    std::vector<std::string> lines;
    while (!stopped) {
        bool read_any = false;
        for (auto& tailer : tailers) {
            lines.clear();
            if (Status polled = tailer->poll(lines, kMaxPollBytes); !polled) {
                fmt::print(stderr, "shardflow agent: {}\n", polled.error().message);
            }
            read_any = read_any || !lines.empty();
            for (size_t i = 0; i < lines.size() && !stopped; ++i) {
                auto record = setup->records.to_record(std::move(lines[i]));
                if (!record) {
                    ++bad_lines;
                    fmt::print(stderr,
                               "shardflow agent: skipped a line of {}: {}\n",
                               tailer->path().string(),
                               record.error().message);
                    continue;
                }
                if (!*record) {
                    continue;
                }
                if (Status added = batcher.add(std::move(**record)); !added) {
                    fmt::print(stderr, "shardflow agent: {}\n", added.error().message);
                    stopped = batcher.pending() > 0 && !deliver(batcher, stop);
                }
            }
            stopped = stopped || !deliver(batcher, stop);
            if (stopped) {
                break;
            }
            auto& saved = (*checkpoints)[tailer->path().string()];
            if (saved == tailer->position()) {
                continue;
            }
            saved = tailer->position();
            if (Status written = connectors::save_checkpoints(setup->checkpoint, *checkpoints);
                !written) {
                fmt::print(stderr, "shardflow agent: {}\n", written.error().message);
            }
        }
        const auto& s = batcher.stats();
        progress.show(fmt::format("shardflow agent: {} sent, {} failed, {} retried, {} bad lines",
                                  s.sent,
                                  s.failed,
                                  s.retried,
                                  bad_lines));
        stopped = stopped || stop.wait(read_any ? std::chrono::milliseconds(0) : kPollEvery);
    }
    progress.finish();
    const auto& s = batcher.stats();
    if (batcher.pending() > 0) {
        fmt::print(stderr,
                   "shardflow agent: {} record(s) not acknowledged; they are sent again on the "
                   "next start\n",
                   batcher.pending());
    }
    fmt::print(stderr,
               "shardflow agent: stopped; {} records sent, {} failed, {} retried, {} bad lines "
               "skipped\n",
               s.sent,
               s.failed,
               s.retried,
               bad_lines);
    return batcher.pending() > 0 || s.failed > 0 ? 1 : 0;
}

}  // namespace shardflow::app
