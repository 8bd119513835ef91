#include "service/graph/record_decoder.h"

#include "engine/common/timestamp_text.h"
#include "engine/store/stream_store.h"
#include "sql/value_ops.h"

namespace shardflow::service {
namespace {

std::vector<std::string> column_names(const sql::StreamDef& def) {
    std::vector<std::string> names;
    for (const auto& c : def.columns) {
        names.push_back(c.name);
    }
    return names;
}

Error wrong_type(const sql::ColumnDef& column, std::string_view found) {
    return Error::make(ErrorCode::kInvalidArgument,
                       "field '{}' is {}, not {}",
                       column.name,
                       found,
                       sql::type_name(column.type));
}

}  // namespace

RecordDecoder::RecordDecoder(const sql::StreamDef& def)
    : def_(def)
    , json_(column_names(def)) {}

Result<Value> RecordDecoder::json_value(size_t i) {
    const sql::ColumnDef& column = def_.columns[i];
    switch (json_.kind(i)) {
        case connectors::JsonKind::kMissing:
        case connectors::JsonKind::kNull:
            return Value{};
        case connectors::JsonKind::kObject:
        case connectors::JsonKind::kArray:
            if (column.type == sql::SqlType::kVarchar) {
                return Value(std::string(json_.raw(i)));  // nested JSON kept as text
            }
            return wrong_type(column, "an object or array");
        default:
            break;
    }
    switch (column.type) {
        case sql::SqlType::kBoolean: {
            SF_ASSIGN_OR_RETURN(bool b, json_.boolean(i));
            return Value(b);
        }
        case sql::SqlType::kBigint: {
            SF_ASSIGN_OR_RETURN(int64_t n, json_.int64(i));
            return Value(n);
        }
        case sql::SqlType::kDouble: {
            SF_ASSIGN_OR_RETURN(double d, json_.number(i));
            return Value(d);
        }
        case sql::SqlType::kVarchar:
            if (json_.kind(i) == connectors::JsonKind::kString) {
                SF_ASSIGN_OR_RETURN(auto s, json_.string(i));
                return Value(std::string(s));
            }
            return Value(std::string(json_.raw(i)));
        case sql::SqlType::kTimestamp:
            if (json_.kind(i) == connectors::JsonKind::kNumber) {  // milliseconds since the epoch
                SF_ASSIGN_OR_RETURN(int64_t ms, json_.int64(i));
                return Value(ms);
            }
            if (json_.kind(i) == connectors::JsonKind::kString) {
                SF_ASSIGN_OR_RETURN(auto s, json_.string(i));
                if (auto ms = parse_timestamp(s)) {
                    return Value(*ms);
                }
                return wrong_type(column, fmt::format("'{}'", s));
            }
            return wrong_type(column, "not a number or a string");
        case sql::SqlType::kNull:
            break;
    }
    return Value{};
}

Result<Value> RecordDecoder::csv_value(size_t i) {
    const sql::ColumnDef& column = def_.columns[i];
    SF_ASSIGN_OR_RETURN(auto text, csv_.string(i));
    if (text.empty() && column.type != sql::SqlType::kVarchar) {
        return Value{};
    }
    Value v = sql::cast_value(std::string(text), sql::SqlType::kVarchar, column.type);
    if (is_null(v)) {
        return wrong_type(column, fmt::format("'{}'", text));
    }
    return v;
}

Result<Row> RecordDecoder::operator()(const connectors::ShardRecord& record) {
    if (def_.format == sql::RecordFormat::kJson) {
        SF_TRY(json_.scan(record.data));
    } else {
        SF_TRY(csv_.scan(record.data));
    }
    Row row;
    row.reserve(def_.columns.size() + sql::kPseudoColumns);
    for (size_t i = 0; i < def_.columns.size(); ++i) {
        SF_ASSIGN_OR_RETURN(Value v,
                            def_.format == sql::RecordFormat::kJson ? json_value(i) : csv_value(i));
        row.push_back(std::move(v));
    }
    row.emplace_back(std::string(record.partition_key));
    row.emplace_back(static_cast<int64_t>(record.seq_ix));
    row.emplace_back(store::shard_id_name(record.shard_index));
    row.emplace_back(static_cast<int64_t>(record.arrival_ms));
    return row;
}

}  // namespace shardflow::service
