// PrefixExpression: literal text between "!{namespace:value}" expressions.

#include "connectors/files/prefix_expression.h"

#include <algorithm>

namespace shardflow::connectors::files {

Result<PrefixExpression> PrefixExpression::parse(std::string_view text, Use use) {
    PrefixExpression out;
    size_t at = 0;
    while (at < text.size()) {
        size_t open = text.find("!{", at);
        if (open != at) {
            size_t end = open == std::string_view::npos ? text.size() : open;
            out.parts_.push_back({Kind::kLiteral, std::string(text.substr(at, end - at)), {}, 0});
            at = end;
            continue;
        }
        size_t close = text.find('}', open);
        if (close == std::string_view::npos) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "prefix '{}': unclosed '!{{' at offset {}",
                               text,
                               open);
        }
        std::string_view body = text.substr(open + 2, close - open - 2);
        size_t colon = body.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon + 1 == body.size()) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "prefix '{}': '!{{{}}}' at offset {} is not !{{namespace:value}}",
                               text,
                               body,
                               open);
        }
        if (Status s = out.add_expression(body.substr(0, colon), body.substr(colon + 1), use); !s) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "prefix '{}': '!{{{}}}' at offset {}: {}",
                               text,
                               body,
                               open,
                               s.error().message);
        }
        at = close + 1;
    }
    // Sample values catch a prefix that leaves the root through its literal text alone.
    std::vector<std::string> keys(out.partition_keys_.size(), "key");
    SF_TRY(out.expand({0, keys, "processing-failed", "random"}));
    return out;
}

Status PrefixExpression::add_expression(std::string_view ns, std::string_view value, Use use) {
    if (ns == "timestamp") {
        SF_ASSIGN_OR_RETURN(DatePattern pattern,
                            DatePattern::parse(value, DatePattern::Syntax::kJava));
        parts_.push_back({Kind::kTimestamp, {}, std::move(pattern), 0});
        return ok();
    }
    if (ns == "partitionKeyFromQuery") {
        // Firehose refuses these too: failed records have no trustworthy key.
        if (use == Use::kErrorOutput) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "partition keys are not allowed in the error output prefix");
        }
        auto known = std::find(partition_keys_.begin(), partition_keys_.end(), value);
        size_t index = static_cast<size_t>(known - partition_keys_.begin());
        if (known == partition_keys_.end()) {
            partition_keys_.emplace_back(value);
        }
        parts_.push_back({Kind::kPartitionKey, {}, std::nullopt, index});
        return ok();
    }
    if (ns == "firehose" && value == "random-string") {
        parts_.push_back({Kind::kRandom, {}, std::nullopt, 0});
        return ok();
    }
    if (ns == "firehose" && value == "error-output-type") {
        if (use == Use::kData) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "only allowed in the error output prefix");
        }
        parts_.push_back({Kind::kErrorOutputType, {}, std::nullopt, 0});
        return ok();
    }
    if (ns == "firehose") {
        return Error::make(ErrorCode::kInvalidArgument,
                           "unknown firehose value '{}' (random-string, error-output-type)",
                           value);
    }
    return Error::make(ErrorCode::kInvalidArgument,
                       "unknown namespace '{}' (timestamp, partitionKeyFromQuery, firehose)",
                       ns);
}

Result<std::string> PrefixExpression::expand(const Values& values) const {
    std::string out;
    for (const Part& part : parts_) {
        switch (part.kind) {
            case Kind::kLiteral:
                out += part.literal;
                break;
            case Kind::kTimestamp:
                out += part.timestamp->format(values.first_arrival_ms);
                break;
            case Kind::kPartitionKey:
                out += values.partition_values[part.partition_key];
                break;
            case Kind::kErrorOutputType:
                out += values.error_output_type;
                break;
            case Kind::kRandom:
                out += values.random_string;
                break;
        }
    }
    if (out.starts_with('/')) {
        return Error::make(ErrorCode::kInvalidArgument, "prefix '{}' is an absolute path", out);
    }
    for (size_t at = 0; at <= out.size();) {
        size_t end = std::min(out.find('/', at), out.size());
        std::string_view part = std::string_view(out).substr(at, end - at);
        if (part == "." || part == "..") {
            return Error::make(
                ErrorCode::kInvalidArgument, "prefix '{}' has a '{}' component", out, part);
        }
        at = end + 1;
    }
    return out;
}

}  // namespace shardflow::connectors::files
