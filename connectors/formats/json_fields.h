#pragma once
// Reads chosen top-level fields of a JSON object record without building a document: one pass
// over the text validates it (RFC 8259 and UTF-8, nesting at most 64 deep) and notes where each
// wanted field's value is. Records of a stream are flat objects read millions of times a second,
// and a DOM per record costs more than the rest of a query.

#include "engine/common/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shardflow::connectors {

enum class JsonKind : uint8_t { kMissing, kNull, kBool, kNumber, kString, kObject, kArray };

/// Threading: one instance per thread (it keeps the last record's positions).
class JsonFields {
public:
    /// The fields to extract, by name; their index in this list is how they are read back.
    explicit JsonFields(std::vector<std::string> names);

    /// Scans one record. An error (InvalidArgument) names the byte offset of the problem.
    Status scan(std::string_view text);

    JsonKind kind(size_t field) const { return values_[field].kind; }
    /// The raw text of the field's value (for nested objects and arrays, the whole value).
    std::string_view raw(size_t field) const { return values_[field].text; }

    /// The field as a string, unescaped; an error if it is missing or not a string.
    Result<std::string_view> string(size_t field);
    /// The field as an integer; an error if it is not an integer that fits in 64 bits.
    Result<int64_t> int64(size_t field) const;
    Result<double> number(size_t field) const;
    Result<bool> boolean(size_t field) const;

private:
    struct Value {
        JsonKind kind = JsonKind::kMissing;
        std::string_view text;
        bool escaped = false;  // a string with backslashes: string() decodes it
    };

    Error type_error(size_t field, std::string_view wanted) const;

    std::vector<std::string> names_;
    std::vector<Value> values_;
    std::string decoded_;  // the last escaped string returned
};

}  // namespace shardflow::connectors
