// RecordEncoder: Boost.JSON parses (and so validates) each record once; the value then gives
// the partition keys and the output line.

#include "connectors/files/record_encoder.h"

#include "engine/common/quoting.h"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace shardflow::connectors::files {
namespace {

std::string_view kind_name(const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::null:
            return "null";
        case boost::json::kind::bool_:
            return "a boolean";
        case boost::json::kind::int64:
        case boost::json::kind::uint64:
        case boost::json::kind::double_:
            return "a number";
        case boost::json::kind::string:
            return "a string";
        case boost::json::kind::array:
            return "an array";
        case boost::json::kind::object:
            return "an object";
    }
    return {};
}

/// A scalar as text: strings unquoted, numbers in their shortest form, null empty.
std::string scalar_text(const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::null:
            return {};
        case boost::json::kind::bool_:
            return v.get_bool() ? "true" : "false";
        case boost::json::kind::int64:
            return fmt::format("{}", v.get_int64());
        case boost::json::kind::uint64:
            return fmt::format("{}", v.get_uint64());
        case boost::json::kind::double_:
            return fmt::format("{}", v.get_double());
        case boost::json::kind::string:
            return std::string(v.get_string());
        case boost::json::kind::array:
        case boost::json::kind::object:
            return boost::json::serialize(v);
    }
    return {};
}

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        return std::string(text);
    }
    return with_quotes(text, '"');
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string line;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            line += ',';
        }
        line += csv_field(fields[i]);
    }
    line += '\n';
    return line;
}

RecordFailure failure(FailureKind kind, std::string reason) {
    return RecordFailure{kind, std::move(reason)};
}

}  // namespace

RecordEncoder::RecordEncoder(FileFormat format,
                             std::optional<std::vector<std::string>> csv_columns,
                             std::vector<std::string> partition_keys)
    : format_(format)
    , csv_columns_(std::move(csv_columns))
    , partition_keys_(std::move(partition_keys)) {}

std::variant<EncodedRecord, RecordFailure> RecordEncoder::encode(std::string_view data) {
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(data, ec);
    if (ec) {
        return failure(FailureKind::kFormatConversionFailed,
                       fmt::format("not valid JSON: {}", ec.message()));
    }
    const boost::json::object* object = value.if_object();
    EncodedRecord out;
    for (const std::string& key : partition_keys_) {
        const boost::json::value* field = object ? object->if_contains(key) : nullptr;
        if (!field) {
            return failure(FailureKind::kPartitionKeyFailed,
                           fmt::format("partition key field '{}' is missing", key));
        }
        if (!field->is_string() && !field->is_number()) {
            return failure(FailureKind::kPartitionKeyFailed,
                           fmt::format("partition key field '{}' is {}, not a string or number",
                                       key,
                                       kind_name(*field)));
        }
        std::string text = scalar_text(*field);
        if (text.empty() || text.find('\0') != std::string::npos) {
            return failure(FailureKind::kPartitionKeyFailed,
                           fmt::format("partition key field '{}' is empty or holds a NUL", key));
        }
        out.partition_values.push_back(std::move(text));
    }
    switch (format_) {
        case FileFormat::kJsonLines:
            // A value spread over lines is written again compactly, so one line is one record.
            out.line = data.find_first_of("\r\n") == std::string_view::npos
                           ? std::string(data)
                           : boost::json::serialize(value);
            out.line += '\n';
            break;
        case FileFormat::kCsv: {
            if (!object) {
                return failure(FailureKind::kFormatConversionFailed,
                               fmt::format("CSV needs a JSON object, not {}", kind_name(value)));
            }
            if (!csv_columns_ && object->empty()) {
                return failure(FailureKind::kFormatConversionFailed,
                               "an empty object gives no CSV columns");
            }
            if (!csv_columns_) {
                csv_columns_.emplace();
                for (const auto& field : *object) {
                    csv_columns_->emplace_back(field.key());
                }
            }
            std::vector<std::string> fields;
            fields.reserve(csv_columns_->size());
            for (const std::string& column : *csv_columns_) {
                const boost::json::value* field = object->if_contains(column);
                fields.push_back(field ? scalar_text(*field) : std::string());
            }
            out.line = csv_line(fields);
            break;
        }
    }
    return out;
}

std::string RecordEncoder::object_header() const {
    if (format_ == FileFormat::kCsv && csv_columns_) {
        return csv_line(*csv_columns_);
    }
    return {};
}

}  // namespace shardflow::connectors::files
