#pragma once
// Reads one CSV record (RFC 4180: a separator, double-quoted fields with "" for a quote, which
// may hold separators and line breaks) into fields by position.

#include "engine/common/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shardflow::connectors {

/// Threading: one instance per thread (it keeps the last record's fields).
class CsvFields {
public:
    explicit CsvFields(char separator = ',')
        : separator_(separator) {}

    /// Scans one record; a trailing line break is ignored. Errors name the byte offset.
    Status scan(std::string_view record);

    size_t size() const { return fields_.size(); }
    /// The field's text, unquoted; an error if the record has fewer fields.
    Result<std::string_view> string(size_t field) const;
    Result<int64_t> int64(size_t field) const;
    Result<double> number(size_t field) const;

private:
    struct Field {
        std::string_view text;  // into the record, when it needed no unquoting
        int32_t decoded = -1;   // else its index in decoded_
    };

    char separator_;
    std::vector<Field> fields_;
    std::vector<std::string> decoded_;
};

}  // namespace shardflow::connectors
