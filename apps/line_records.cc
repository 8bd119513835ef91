// Lines to records: JSON checked once, the key taken from it or made up.

#include "apps/line_records.h"

#include <boost/json.hpp>

#include <random>

namespace shardflow::app {
namespace {

/// FNV-1a: stable across runs and machines, unlike std::hash.
std::string line_hash(std::string_view line) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : line) {
        h = (h ^ c) * 0x100000001b3ULL;
    }
    return fmt::format("{:016x}", h);
}

}  // namespace

Result<LineRecords> LineRecords::make(std::string_view format, std::string_view partition_key) {
    if (format != "lines" && format != "jsonl") {
        return Error::make(
            ErrorCode::kInvalidArgument, "--format must be lines or jsonl, not '{}'", format);
    }
    bool jsonl = format == "jsonl";
    uint64_t seed = std::random_device{}();
    if (partition_key == "random") {
        return LineRecords(jsonl, Key::kRandom, "", seed);
    }
    if (partition_key == "line-hash") {
        return LineRecords(jsonl, Key::kLineHash, "", seed);
    }
    if (partition_key.starts_with("field:") && partition_key.size() > 6 && jsonl) {
        return LineRecords(jsonl, Key::kField, std::string(partition_key.substr(6)), seed);
    }
    return Error::make(ErrorCode::kInvalidArgument,
                       "--partition-key must be random, line-hash or field:NAME (with --format "
                       "jsonl), not '{}'",
                       partition_key);
}

Result<std::optional<connectors::PutRecordsEntry>> LineRecords::to_record(std::string line) {
    if (line.empty()) {
        return std::optional<connectors::PutRecordsEntry>();
    }
    std::string key;
    if (jsonl_) {
        boost::system::error_code ec;
        boost::json::value parsed = boost::json::parse(line, ec);
        if (ec) {
            return Error::make(ErrorCode::kInvalidArgument, "not JSON ({})", ec.message());
        }
        const boost::json::value* field = key_ == Key::kField && parsed.is_object()
                                              ? parsed.get_object().if_contains(field_)
                                              : nullptr;
        if (field) {
            key = field->is_string() ? std::string(field->get_string())
                                     : boost::json::serialize(*field);
        }
    }
    if (key.empty() || key.size() > 256) {
        key = key_ == Key::kRandom ? fmt::format("{:016x}", rng_.next()) : line_hash(line);
    }
    return std::optional<connectors::PutRecordsEntry>(
        connectors::PutRecordsEntry{std::move(line), std::move(key)});
}

}  // namespace shardflow::app
