#pragma once
// The fluent C++ API for continuous queries: a source, stateless transforms, key_by, a keyed
// operator (windows, aggregates), sinks. Everything before key_by runs per partition on the
// reader side; key_by exchanges records so each key lives on one worker. A keyed operator's
// output can be keyed again (a second exchange, between the workers) for a further operator.
//
//   ops::Query q("clicks_per_minute");
//   q.source(shard_source)
//       .map(parse_click)
//       .with_event_time(&Click::ts)
//       .key_by(&Click::page)
//       .apply(ops::TumblingWindow(60s).aggregate(ops::Count{}))
//       .sink(table_sink);
//   auto stats = q.run({.bounded = true});

#include "engine/runtime/executor.h"
#include "engine/runtime/typed_pipeline.h"
#include "engine/runtime/union_plan.h"
#include "operators/transform/transforms.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>

namespace shardflow::ops {

using runtime::EventTime;

template <class T>
using KeyFn = std::function<size_t(const T&)>;

/// Holds the one pipeline a query builds and runs it. Misuse (no sink, two sinks) is an Error
/// from run(), never an abort.
class Query {
public:
    explicit Query(std::string name)
        : name_(std::move(name)) {}

    template <class S>
    auto source(std::shared_ptr<runtime::Source<S>> source);

    /// Runs the pipeline on the executor; see ExecutorOptions for bounded and live runs and
    /// checkpoints (named after the query unless options name them).
    Result<runtime::RunStats> run(runtime::ExecutorOptions options = {}) {
        if (!participants_.empty() && !options.checkpoints.store) {
            return Error{
                ErrorCode::kInvalidArgument,
                "query " + name_ + " has an exactly-once sink: run it with a checkpoint store"};
        }
        options.checkpoints.participants = participants_;
        if (options.checkpoints.query.empty()) {
            options.checkpoints.query = name_;
        }
        if (error_) {
            return *error_;
        }
        if (!pipeline_) {
            return Error{ErrorCode::kInvalidArgument, "query " + name_ + " has no sink"};
        }
        return runtime::Executor(std::move(options)).run(*pipeline_);
    }

    const std::string& name() const { return name_; }
    std::string describe() const { return pipeline_ ? pipeline_->describe() : "(not built)"; }

    /// Called by the stream types for every sink: exactly-once sinks commit with checkpoints.
    void add_sink(runtime::CheckpointParticipant* participant) {
        if (participant) {
            participants_.push_back(participant);
        }
    }

    /// Records a misuse found while building; run() reports the first one.
    void fail(Error error) {
        if (!error_) {
            error_ = std::move(error);
        }
    }

    /// Called by the stream types when a sink completes the pipeline.
    void set_pipeline(std::unique_ptr<runtime::Pipeline> pipeline) {
        if (pipeline_) {
            fail(Error{ErrorCode::kInvalidArgument, "query " + name_ + " already has a sink"});
            return;
        }
        pipeline_ = std::move(pipeline);
    }

private:
    std::string name_;
    std::unique_ptr<runtime::Pipeline> pipeline_;
    std::vector<runtime::CheckpointParticipant*> participants_;
    std::optional<Error> error_;
};

/// Fails the query when a keyed operator spec cannot run on its input.
template <class Spec>
void check_keyed_spec(Query& query, const Spec& spec, bool has_event_time) {
    if (!has_event_time && spec.needs_event_time()) {
        query.fail(
            Error::make(ErrorCode::kInvalidArgument,
                        "query {}: {} needs event time: call with_event_time() before key_by()",
                        query.name(),
                        spec.describe()));
    }
    if constexpr (requires { spec.misuse(); }) {
        if (std::string misuse = spec.misuse(); !misuse.empty()) {
            query.fail(
                Error::make(ErrorCode::kInvalidArgument, "query {}: {}", query.name(), misuse));
        }
    }
}

template <class X, class R, class K>
class RekeyedStream;

/// Records of X after the exchange, transformed on the workers into R.
template <class X, class R>
class WorkerStream {
public:
    /// Builds worker `worker`'s stages ending in `tail` and returns the head that takes X.
    using Build = std::function<runtime::Downstream<X>&(
        runtime::StageArena&, size_t worker, runtime::Downstream<R>& tail)>;
    using Exchanges = std::vector<std::shared_ptr<runtime::WorkerExchange>>;

    WorkerStream(Query& query,
                 std::string description,
                 runtime::ReaderPlan<X> reader,
                 runtime::ExchangeSpec<X> spec,
                 Build build,
                 Exchanges later_exchanges = {})
        : query_(query)
        , description_(std::move(description))
        , reader_(std::move(reader))
        , spec_(std::move(spec))
        , build_(std::move(build))
        , later_exchanges_(std::move(later_exchanges)) {}

    template <class F, class U = std::decay_t<std::invoke_result_t<F&, R&>>>
    WorkerStream<X, U> map(F f) && {
        return then<U>("map",
                       [f](runtime::StageArena& arena,
                           runtime::Downstream<U>& tail) -> runtime::Downstream<R>& {
                           return arena.make<MapStage<R, U, F>>(tail, f);
                       });
    }

    template <class Pred>
    WorkerStream<X, R> filter(Pred pred) && {
        return then<R>("filter",
                       [pred](runtime::StageArena& arena,
                              runtime::Downstream<R>& tail) -> runtime::Downstream<R>& {
                           return arena.make<FilterStage<R, Pred>>(tail, pred);
                       });
    }

    /// `f(const R&, std::vector<U>& out)` appends zero or more records.
    template <class U, class F>
    WorkerStream<X, U> flat_map(F f) && {
        return then<U>("flat_map",
                       [f](runtime::StageArena& arena,
                           runtime::Downstream<U>& tail) -> runtime::Downstream<R>& {
                           return arena.make<FlatMapStage<R, U, F>>(tail, f);
                       });
    }

    /// Event time of each record, for a keyed operator after the next key_by that needs it.
    template <class F>
    WorkerStream<X, R> with_event_time(F f) && {
        event_time_ = [f](const R& r) -> EventTime {
            return static_cast<EventTime>(std::invoke(f, r));
        };
        return std::move(*this);
    }

    /// Keys the records again: they move between the workers so each new key lives on one.
    template <class F, class K = std::decay_t<std::invoke_result_t<F&, const R&>>>
    RekeyedStream<X, R, K> key_by(F f) && {
        std::function<K(const R&)> key = [f](const R& r) -> K {
            return std::invoke(f, r);
        };
        return RekeyedStream<X, R, K>(std::move(*this), std::move(key));
    }

    /// Completes the query. The sink is shared by every worker, so it must lock internally.
    void sink(std::shared_ptr<runtime::Downstream<R>> sink) && {
        query_.add_sink(dynamic_cast<runtime::CheckpointParticipant*>(sink.get()));
        auto build = build_;
        runtime::WorkerPlan<X> worker = [build, sink](runtime::StageArena& arena,
                                                      size_t worker) -> runtime::Downstream<X>& {
            arena.make<std::shared_ptr<runtime::Downstream<R>>>(sink);
            return build(arena, worker, *sink);
        };
        query_.set_pipeline(
            std::make_unique<runtime::TypedPipeline<X>>(description_ + " -> sink",
                                                        std::move(reader_),
                                                        std::move(spec_),
                                                        std::move(worker),
                                                        std::move(later_exchanges_)));
    }

private:
    template <class U, class Stage>
    WorkerStream<X, U> then(std::string_view name, Stage stage) {
        auto build = build_;
        typename WorkerStream<X, U>::Build next =
            [build, stage](runtime::StageArena& arena,
                           size_t worker,
                           runtime::Downstream<U>& tail) -> runtime::Downstream<X>& {
            return build(arena, worker, stage(arena, tail));
        };
        return WorkerStream<X, U>(query_,
                                  fmt::format("{} -> {}", description_, name),
                                  std::move(reader_),
                                  std::move(spec_),
                                  std::move(next),
                                  std::move(later_exchanges_));
    }

    template <class, class, class>
    friend class RekeyedStream;

    Query& query_;
    std::string description_;
    runtime::ReaderPlan<X> reader_;
    runtime::ExchangeSpec<X> spec_;
    Build build_;
    Exchanges later_exchanges_;
    std::function<EventTime(const R&)> event_time_;
};

/// A keyed operator's output keyed again by K: the next keyed operator runs on the worker that
/// owns each new key, after an exchange between the workers.
template <class X, class R, class K>
class RekeyedStream {
public:
    RekeyedStream(WorkerStream<X, R> upstream, std::function<K(const R&)> key)
        : upstream_(std::move(upstream))
        , key_(std::move(key)) {}

    template <class Spec, class R2 = typename Spec::template Output<R, K>>
    WorkerStream<X, R2> apply(Spec spec) && {
        WorkerStream<X, R>& up = upstream_;
        check_keyed_spec(up.query_, spec, static_cast<bool>(up.event_time_));
        auto key = key_;
        auto exchange = std::make_shared<runtime::TypedWorkerExchange<R>>(
            [key](const R& r) { return std::hash<K>{}(key(r)); });
        typename WorkerStream<X, R2>::Build build =
            [spec, key, event_time = up.event_time_, exchange, before = up.build_](
                runtime::StageArena& arena,
                size_t worker,
                runtime::Downstream<R2>& tail) -> runtime::Downstream<X>& {
            exchange->set_head(worker, spec.template build<R, K>(arena, key, event_time, tail));
            return before(arena, worker, exchange->writer(worker));
        };
        up.later_exchanges_.push_back(exchange);
        return WorkerStream<X, R2>(
            up.query_,
            fmt::format("{} -> key_by -> {}", up.description_, spec.describe()),
            std::move(up.reader_),
            std::move(up.spec_),
            std::move(build),
            std::move(up.later_exchanges_));
    }

private:
    WorkerStream<X, R> upstream_;
    std::function<K(const R&)> key_;
};

/// A stream keyed by K: the next operator runs on the worker that owns each key.
template <class T, class K>
class KeyedStream {
public:
    KeyedStream(Query& query,
                std::string description,
                runtime::ReaderPlan<T> reader,
                std::function<EventTime(const T&)> event_time,
                std::function<K(const T&)> key)
        : query_(query)
        , description_(std::move(description))
        , reader_(std::move(reader))
        , event_time_(std::move(event_time))
        , key_(std::move(key)) {}

    /// Runs a keyed operator spec (e.g. TumblingWindow(...).aggregate(...)) on the workers.
    template <class Spec, class R = typename Spec::template Output<T, K>>
    WorkerStream<T, R> apply(Spec spec) && {
        check_keyed_spec(query_, spec, static_cast<bool>(event_time_));
        auto key = key_;
        auto event_time = event_time_;
        typename WorkerStream<T, R>::Build build =
            [spec, key, event_time](runtime::StageArena& arena,
                                    size_t,
                                    runtime::Downstream<R>& tail) -> runtime::Downstream<T>& {
            return spec.template build<T, K>(arena, key, event_time, tail);
        };
        runtime::ExchangeSpec<T> exchange{[key](const T& r) { return std::hash<K>{}(key(r)); },
                                          event_time_};
        return WorkerStream<T, R>(query_,
                                  fmt::format("{} -> key_by -> {}", description_, spec.describe()),
                                  std::move(reader_),
                                  std::move(exchange),
                                  std::move(build));
    }

private:
    Query& query_;
    std::string description_;
    runtime::ReaderPlan<T> reader_;
    std::function<EventTime(const T&)> event_time_;
    std::function<K(const T&)> key_;
};

/// Records of T on the reader side (per partition, in partition order).
template <class T>
class Stream {
public:
    Stream(Query& query,
           std::string description,
           runtime::ReaderPlan<T> reader,
           std::function<EventTime(const T&)> event_time)
        : query_(query)
        , description_(std::move(description))
        , reader_(std::move(reader))
        , event_time_(std::move(event_time)) {}

    template <class F, class U = std::decay_t<std::invoke_result_t<F&, T&>>>
    Stream<U> map(F f) && {
        return then<U>("map",
                       [f](runtime::StageArena& arena,
                           runtime::Downstream<U>& tail) -> runtime::Downstream<T>& {
                           return arena.make<MapStage<T, U, F>>(tail, f);
                       });
    }

    /// `f(const T&)` returns Result<U>; records it rejects go to `errors` with the reason.
    template <class F, class U = typename std::decay_t<std::invoke_result_t<F&, T&>>::value_type>
    Stream<U> try_map(F f, std::shared_ptr<runtime::Downstream<Rejected<T>>> errors) && {
        return then<U>("try_map",
                       [f, errors](runtime::StageArena& arena,
                                   runtime::Downstream<U>& tail) -> runtime::Downstream<T>& {
                           return arena.make<TryMapStage<T, U, F>>(tail, f, errors);
                       });
    }

    template <class Pred>
    Stream<T> filter(Pred pred) && {
        auto event_time = event_time_;
        Stream<T> next = then<T>("filter",
                                 [pred](runtime::StageArena& arena,
                                        runtime::Downstream<T>& tail) -> runtime::Downstream<T>& {
                                     return arena.make<FilterStage<T, Pred>>(tail, pred);
                                 });
        next.event_time_ = std::move(event_time);
        return next;
    }

    /// `f(const T&, std::vector<U>& out)` appends zero or more records.
    template <class U, class F>
    Stream<U> flat_map(F f) && {
        return then<U>("flat_map",
                       [f](runtime::StageArena& arena,
                           runtime::Downstream<U>& tail) -> runtime::Downstream<T>& {
                           return arena.make<FlatMapStage<T, U, F>>(tail, f);
                       });
    }

    /// The records of both streams; each input's partitions keep their order.
    Stream<T> union_with(Stream<T> other) && {
        auto event_time = event_time_ ? event_time_ : other.event_time_;
        return Stream<T>(query_,
                         fmt::format("union({}, {})", description_, other.description_),
                         runtime::union_plans(std::move(reader_), std::move(other.reader_)),
                         std::move(event_time));
    }

    /// Event time of each record (milliseconds since the epoch): drives watermarks and windows.
    template <class F>
    Stream<T> with_event_time(F f) && {
        event_time_ = [f](const T& r) -> EventTime {
            return static_cast<EventTime>(std::invoke(f, r));
        };
        return std::move(*this);
    }

    template <class F, class K = std::decay_t<std::invoke_result_t<F&, const T&>>>
    KeyedStream<T, K> key_by(F f) && {
        std::function<K(const T&)> key = [f](const T& r) -> K {
            return std::invoke(f, r);
        };
        return KeyedStream<T, K>(
            query_, description_, std::move(reader_), event_time_, std::move(key));
    }

    /// Completes the query without a keyed operator: each partition's records go, in order, to
    /// one worker's copy of the sink path. The sink is shared by every worker.
    void sink(std::shared_ptr<runtime::Downstream<T>> sink) && {
        query_.add_sink(dynamic_cast<runtime::CheckpointParticipant*>(sink.get()));
        runtime::WorkerPlan<T> worker = [sink](runtime::StageArena&,
                                               size_t) -> runtime::Downstream<T>& {
            return *sink;
        };
        runtime::ExchangeSpec<T> exchange{nullptr, event_time_};
        query_.set_pipeline(std::make_unique<runtime::TypedPipeline<T>>(
            description_ + " -> sink", std::move(reader_), std::move(exchange), std::move(worker)));
    }

private:
    template <class U, class Stage>
    Stream<U> then(std::string_view name, Stage stage) {
        auto build = reader_.build;
        runtime::ReaderPlan<U> next{
            reader_.source,
            reader_.describe,
            reader_.readable_partitions,
            reader_.save_positions,
            reader_.restore_positions,
            [build, stage](
                runtime::PartitionId id, runtime::Downstream<U>& tail, runtime::StageArena& arena) {
                return build(id, stage(arena, tail), arena);
            }};
        return Stream<U>(
            query_, fmt::format("{} -> {}", description_, name), std::move(next), nullptr);
    }

    template <class>
    friend class Stream;
    template <class, class>
    friend class ConnectedStreams;

    Query& query_;
    std::string description_;
    runtime::ReaderPlan<T> reader_;
    std::function<EventTime(const T&)> event_time_;
};

/// Two streams of different types read together, for joins: records are std::variant<A, B>, and
/// key_by takes one key function per side.
template <class A, class B>
class ConnectedStreams {
public:
    using Both = std::variant<A, B>;

    ConnectedStreams(Stream<A> a, Stream<B> b)
        : event_time_a_(a.event_time_)
        , event_time_b_(b.event_time_)
        , both_(std::move(a)
                    .map([](A& x) { return Both(std::in_place_index<0>, std::move(x)); })
                    .union_with(std::move(b).map(
                        [](B& x) { return Both(std::in_place_index<1>, std::move(x)); }))) {
        if (event_time_a_ && event_time_b_) {
            both_.event_time_ = [ta = event_time_a_, tb = event_time_b_](const Both& v) {
                return v.index() == 0 ? ta(std::get<0>(v)) : tb(std::get<1>(v));
            };
        }
    }

    template <class FA, class FB, class K = std::decay_t<std::invoke_result_t<FA&, const A&>>>
    KeyedStream<Both, K> key_by(FA key_a, FB key_b) && {
        return std::move(both_).key_by([key_a, key_b](const Both& v) -> K {
            return v.index() == 0 ? K(std::invoke(key_a, std::get<0>(v)))
                                  : K(std::invoke(key_b, std::get<1>(v)));
        });
    }

private:
    std::function<EventTime(const A&)> event_time_a_;
    std::function<EventTime(const B&)> event_time_b_;
    Stream<Both> both_;
};

/// `connect(orders, payments).key_by(&Order::id, &Payment::order_id).apply(IntervalJoin(...))`
template <class A, class B>
ConnectedStreams<A, B> connect(Stream<A> a, Stream<B> b) {
    return ConnectedStreams<A, B>(std::move(a), std::move(b));
}

template <class S>
auto Query::source(std::shared_ptr<runtime::Source<S>> source) {
    runtime::ReaderPlan<S> plan{
        source,
        [source] { return source->describe(); },
        [source] { return source->readable_partitions(); },
        [source] { return source->save_positions(); },
        [source](std::string_view positions) { return source->restore_positions(positions); },
        [source](runtime::PartitionId,
                 runtime::Downstream<S>& tail,
                 runtime::StageArena&) -> std::unique_ptr<runtime::ReaderChain> {
            return std::make_unique<runtime::SourceReader<S>>(*source, tail);
        }};
    return Stream<S>(*this, source->describe(), std::move(plan), nullptr);
}

}  // namespace shardflow::ops
