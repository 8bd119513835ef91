#pragma once
// Stateless stages: map, filter, flat_map. Each turns a batch into a batch in one loop.

#include "engine/common/error.h"
#include "engine/runtime/downstream.h"

#include <memory>
#include <string>
#include <vector>

namespace shardflow::ops {

template <class In, class Out, class F>
class MapStage final : public runtime::PassThroughTime<In, Out> {
public:
    MapStage(runtime::Downstream<Out>& next, F f)
        : runtime::PassThroughTime<In, Out>(next)
        , f_(std::move(f)) {}

    void on_batch(std::span<In> batch) override {
        out_.clear();
        out_.reserve(batch.size());
        for (In& record : batch) {
            out_.push_back(f_(record));
        }
        this->next_.on_batch(out_);
    }

private:
    F f_;
    std::vector<Out> out_;
};

template <class T, class Pred>
class FilterStage final : public runtime::PassThroughTime<T, T> {
public:
    FilterStage(runtime::Downstream<T>& next, Pred pred)
        : runtime::PassThroughTime<T, T>(next)
        , pred_(std::move(pred)) {}

    void on_batch(std::span<T> batch) override {
        out_.clear();
        for (T& record : batch) {
            if (pred_(record)) {
                out_.push_back(std::move(record));
            }
        }
        if (!out_.empty()) {
            this->next_.on_batch(out_);
        }
    }

private:
    Pred pred_;
    std::vector<T> out_;
};

/// `f(record, out)` appends any number of records to `out`.
template <class In, class Out, class F>
class FlatMapStage final : public runtime::PassThroughTime<In, Out> {
public:
    FlatMapStage(runtime::Downstream<Out>& next, F f)
        : runtime::PassThroughTime<In, Out>(next)
        , f_(std::move(f)) {}

    void on_batch(std::span<In> batch) override {
        out_.clear();
        for (In& record : batch) {
            f_(record, out_);
        }
        if (!out_.empty()) {
            this->next_.on_batch(out_);
        }
    }

private:
    F f_;
    std::vector<Out> out_;
};

/// A record a stage could not handle, and why (e.g. JSON that does not parse).
template <class T>
struct Rejected {
    T record;
    std::string reason;
};

/// `f(record)` returns Result<Out>: values go on, errors go to the error output with their
/// message, and the query goes on. The error output is shared by every partition (it locks).
template <class In, class Out, class F>
class TryMapStage final : public runtime::PassThroughTime<In, Out> {
public:
    TryMapStage(runtime::Downstream<Out>& next,
                F f,
                std::shared_ptr<runtime::Downstream<Rejected<In>>> errors)
        : runtime::PassThroughTime<In, Out>(next)
        , f_(std::move(f))
        , errors_(std::move(errors)) {}

    void on_batch(std::span<In> batch) override {
        out_.clear();
        rejected_.clear();
        for (In& record : batch) {
            Result<Out> mapped = f_(record);
            if (mapped) {
                out_.push_back(std::move(mapped).value());
            } else {
                rejected_.push_back({std::move(record), mapped.error().message});
            }
        }
        if (!rejected_.empty() && errors_) {
            errors_->on_batch(rejected_);
        }
        if (!out_.empty()) {
            this->next_.on_batch(out_);
        }
    }

private:
    F f_;
    std::shared_ptr<runtime::Downstream<Rejected<In>>> errors_;
    std::vector<Out> out_;
    std::vector<Rejected<In>> rejected_;
};

}  // namespace shardflow::ops
