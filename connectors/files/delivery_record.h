#pragma once
// What the files sink receives, and what a user transform (Firehose's Lambda processing) may
// answer for each record.

#include <cstdint>
#include <functional>
#include <string>

namespace shardflow::connectors::files {

/// One record to deliver.
struct DeliveryRecord {
    std::string data;        // the record's bytes, normally a JSON object
    int64_t arrival_ms = 0;  // approximate arrival time, UTC milliseconds since the epoch
};

/// The outcome of a transform, named after Firehose's Lambda result values.
struct TransformResult {
    enum class Outcome : uint8_t { kOk, kDropped, kProcessingFailed };

    Outcome outcome = Outcome::kOk;
    std::string data;    // kOk: the record's new bytes
    std::string reason;  // kProcessingFailed: why, for the error output's errorMessage

    static TransformResult ok(std::string data) { return {Outcome::kOk, std::move(data), {}}; }
    /// The record is consumed without output and without error (a filter).
    static TransformResult dropped() { return {Outcome::kDropped, {}, {}}; }
    /// The record goes to the error output as processing-failed.
    static TransformResult processing_failed(std::string reason) {
        return {Outcome::kProcessingFailed, {}, std::move(reason)};
    }
};

/// Runs on every record before format conversion. Called concurrently from several workers:
/// it must be thread-safe.
using Transform = std::function<TransformResult(const DeliveryRecord&)>;

}  // namespace shardflow::connectors::files
