#pragma once
// One continuous query of the SQL engine: its plan, its own checkpoint store (a connection to
// the SQL database), the sink it writes, and the thread it runs on (or, in batch mode, a
// bounded run to the tail in the caller's thread).

#include "engine/runtime/checkpoint/checkpoint_store.h"
#include "service/graph/build_query.h"
#include "service/statement_io.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace shardflow::service {

/// Records that could not be decoded: counted, the first reason kept for SHOW QUERIES.
class RejectCounter final : public runtime::Downstream<ops::Rejected<connectors::ShardRecord>> {
public:
    void on_batch(std::span<ops::Rejected<connectors::ShardRecord>> batch) override {
        {
            std::lock_guard lock(mu_);
            if (count_ == 0 && !batch.empty()) {
                first_reason_ = batch.front().reason;
            }
            count_ += batch.size();
        }
        if (next_) {
            next_->on_batch(batch);
        }
    }
    /// Also hands the records to `next` (a files sink's error output).
    void forward_to(ErrorSink next) { next_ = std::move(next); }
    void on_watermark(runtime::EventTime) override {}
    void on_end() override {}

    uint64_t count() const {
        std::lock_guard lock(mu_);
        return count_;
    }
    std::string first_reason() const {
        std::lock_guard lock(mu_);
        return first_reason_;
    }

private:
    mutable std::mutex mu_;
    uint64_t count_ = 0;
    std::string first_reason_;
    ErrorSink next_;
};

/// Makes the query's sink once its checkpoint store is open (table sinks write in its database).
using SinkFactory = std::function<Result<RowSink>(runtime::CheckpointStore& checkpoints)>;
using ErrorSinkFactory = std::function<Result<ErrorSink>(runtime::CheckpointStore& checkpoints)>;

class RunningQuery {
public:
    /// `late`, when set, makes the sink of records later than their window.
    RunningQuery(std::string name,
                 std::string target,
                 std::string sql,
                 sql::SelectPlan plan,
                 SinkFactory sink,
                 SinkFactory late = nullptr)
        : name_(std::move(name))
        , target_(std::move(target))
        , sql_(std::move(sql))
        , plan_(std::move(plan))
        , make_sink_(std::move(sink))
        , make_late_sink_(std::move(late)) {}
    ~RunningQuery() { stop(); }

    /// Records that do not decode also go to the sink this makes (called after the row sink's).
    void reject_to(ErrorSinkFactory errors) { make_error_sink_ = std::move(errors); }

    /// Opens the checkpoint store and builds the graph; then run_bounded() (`bounded`) or start().
    /// It may keep `max_state_bytes` of state (see StateBudget).
    Status prepare(store::StreamStore& store,
                   const std::filesystem::path& database,
                   bool bounded,
                   size_t max_state_bytes);
    /// To the tail of every shard, then stops with every window closed (batch mode); fails
    /// when `deadline` passes first.
    Result<runtime::RunStats> run_bounded(size_t workers, const StatementDeadline& deadline);
    /// On a thread of its own, until stop(). A query with a checkpoint resumes with the
    /// workers it was taken with (its state is split by worker), whatever `workers` says.
    void start(size_t workers);
    /// Asks the run to end after its round, with a final checkpoint; finish() waits for it.
    void request_stop() { stop_ = true; }
    /// Waits for the run to end. Past `deadline` it is abandoned mid-round without its final
    /// checkpoint (it resumes from the last one, as after a crash), so that a round that takes
    /// long, such as a join with many matches, cannot hold up a shutdown.
    void finish(std::chrono::steady_clock::time_point deadline);
    void stop(std::chrono::milliseconds grace = kStopGrace) {
        request_stop();
        finish(std::chrono::steady_clock::now() + grace);
    }
    static constexpr std::chrono::milliseconds kStopGrace{5000};
    /// Forgets the checkpoint (DROP): a new query of this name starts afresh.
    Status forget();

    const std::string& name() const { return name_; }
    const std::string& target() const { return target_; }
    const std::string& sql() const { return sql_; }
    /// RUNNING, FINISHED or FAILED: reason; with records read and rejected.
    std::string state() const;
    uint64_t records_read() const { return records_; }
    std::string describe() const { return plan_.describe(); }
    /// Whether the query reads this stream or table (FROM or JOIN).
    bool reads(std::string_view name) const {
        auto read = plan_.reads();
        return std::any_of(read.begin(), read.end(), [&](const std::string& r) {
            return sql::same_name(r, name);
        });
    }

private:
    runtime::ExecutorOptions executor_options(size_t workers, bool bounded);
    size_t resume_workers(size_t wanted) const;

    std::string name_;
    std::string target_;
    std::string sql_;
    sql::SelectPlan plan_;
    SinkFactory make_sink_;
    SinkFactory make_late_sink_;
    ErrorSinkFactory make_error_sink_;
    std::unique_ptr<runtime::CheckpointStore> checkpoints_;
    std::unique_ptr<ops::Query> query_;
    std::unique_ptr<runtime::StateBudget> state_budget_;
    std::shared_ptr<RejectCounter> rejected_ = std::make_shared<RejectCounter>();
    std::atomic<bool> stop_{false};
    std::atomic<bool> cancel_{false};  // abandon the round: stop_ took too long
    std::atomic<uint64_t> records_{0};
    std::thread thread_;
    mutable std::mutex mu_;
    std::condition_variable done_cv_;
    bool done_ = false;  // the thread's run returned, under mu_
    std::string state_ = "CREATED";
};

}  // namespace shardflow::service
