#include "service/running_query.h"

#include <fmt/format.h>

namespace shardflow::service {

Status RunningQuery::prepare(store::StreamStore& store,
                             const std::filesystem::path& database,
                             bool bounded,
                             size_t max_state_bytes) {
    state_budget_ = std::make_unique<runtime::StateBudget>(max_state_bytes);
    SF_TRY(sql::check_keyed_updates(plan_, bounded));
    SF_ASSIGN_OR_RETURN(checkpoints_, runtime::CheckpointStore::open(database));
    SF_ASSIGN_OR_RETURN(RowSink sink, make_sink_(*checkpoints_));
    RowSink late;
    if (make_late_sink_) {
        SF_ASSIGN_OR_RETURN(late, make_late_sink_(*checkpoints_));
    }
    if (make_error_sink_) {
        SF_ASSIGN_OR_RETURN(ErrorSink errors, make_error_sink_(*checkpoints_));
        rejected_->forward_to(std::move(errors));
    }
    query_ = std::make_unique<ops::Query>(name_);
    return build_query(
        plan_, *query_, QueryIo{store, std::move(sink), rejected_, std::move(late), bounded});
}

runtime::ExecutorOptions RunningQuery::executor_options(size_t workers, bool bounded) {
    runtime::ExecutorOptions options;
    options.workers = workers;
    options.bounded = bounded;
    options.stop = &stop_;
    options.cancelled = [this] {
        return cancel_.load();
    };
    options.watermarks.out_of_orderness = std::chrono::milliseconds(plan_.watermark_delay_ms());
    options.checkpoints.store = checkpoints_.get();
    options.state_budget = state_budget_.get();
    options.on_progress = [this](uint64_t records, runtime::EventTime) {
        records_ = records;
    };
    return options;
}

Result<runtime::RunStats> RunningQuery::run_bounded(size_t workers,
                                                    const StatementDeadline& deadline) {
    auto options = executor_options(workers, true);
    options.cancelled = [this, &deadline] {
        return cancel_ || deadline.over();
    };
    auto stats = query_->run(std::move(options));
    if (!stats && stats.error().code == ErrorCode::kCancelled) {
        stats = deadline.reason(fmt::format("the query {}", name_));
    }
    std::lock_guard lock(mu_);
    state_ = stats ? "FINISHED" : "FAILED: " + stats.error().message;
    return stats;
}

size_t RunningQuery::resume_workers(size_t wanted) const {
    auto saved = checkpoints_->load(name_);
    if (saved && *saved && !(*saved)->worker_states.empty()) {
        return (*saved)->worker_states.size();
    }
    return wanted;
}

void RunningQuery::start(size_t workers) {
    {
        std::lock_guard lock(mu_);
        state_ = "RUNNING";
    }
    auto options = executor_options(resume_workers(workers), false);
    thread_ = std::thread([this, options = std::move(options)]() mutable {
        auto stats = query_->run(std::move(options));
        bool stopped = stop_ && (stats || stats.error().code == ErrorCode::kCancelled);
        std::lock_guard lock(mu_);
        state_ = stopped ? "STOPPED" : !stats ? "FAILED: " + stats.error().message : "FINISHED";
        done_ = true;
        done_cv_.notify_all();
    });
}

void RunningQuery::finish(std::chrono::steady_clock::time_point deadline) {
    if (!thread_.joinable()) {
        return;
    }
    {
        std::unique_lock lock(mu_);
        if (!done_cv_.wait_until(lock, deadline, [this] { return done_; })) {
            cancel_ = true;
        }
    }
    thread_.join();
}

Status RunningQuery::forget() {
    return checkpoints_ ? checkpoints_->remove(name_) : ok();
}

std::string RunningQuery::state() const {
    std::lock_guard lock(mu_);
    std::string out = fmt::format("{}, {} records read", state_, records_.load());
    if (uint64_t n = rejected_->count()) {
        out += fmt::format(", {} rejected (first: {})", n, rejected_->first_reason());
    }
    return out;
}

}  // namespace shardflow::service
