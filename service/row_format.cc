#include "service/row_format.h"

#include "engine/common/quoting.h"
#include "engine/common/timestamp_text.h"
#include "sql/value_ops.h"

#include <boost/json.hpp>

namespace shardflow::service {

std::vector<std::string> row_text(const Row& row, const sql::Schema& schema) {
    std::vector<std::string> out;
    out.reserve(row.size());
    for (size_t i = 0; i < row.size(); ++i) {
        out.push_back(sql::value_text(row[i], schema.columns[i].type));
    }
    return out;
}

std::string sqlite_type(sql::SqlType type) {
    switch (type) {
        case sql::SqlType::kBoolean:
        case sql::SqlType::kBigint:
            return "INTEGER";
        case sql::SqlType::kDouble:
            return "REAL";
        default:
            return "TEXT";  // VARCHAR, TIMESTAMP (as '2026-01-01 00:00:00.000')
    }
}

Row sqlite_row(const Row& row, const sql::Schema& schema) {
    Row out = row;
    for (size_t i = 0; i < out.size(); ++i) {
        if (schema.columns[i].type == sql::SqlType::kTimestamp && !is_null(out[i])) {
            out[i] = format_timestamp(std::get<int64_t>(out[i]));
        }
    }
    return out;
}

std::string record_text(const Row& row,
                        const sql::Schema& schema,
                        sql::RecordFormat format,
                        JsonTime time) {
    if (format == sql::RecordFormat::kCsv) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            std::string text =
                is_null(row[i]) ? "" : sql::value_text(row[i], schema.columns[i].type);
            if (text.find_first_of(",\"\n") != std::string::npos) {
                text = with_quotes(text, '"');
            }
            line += (i ? "," : "") + text;
        }
        return line;
    }
    boost::json::object object;
    for (size_t i = 0; i < row.size(); ++i) {
        const Value& v = row[i];
        auto& field = object[schema.columns[i].name];
        if (is_null(v)) {
            field = nullptr;
        } else if (schema.columns[i].type == sql::SqlType::kTimestamp) {
            int64_t ms = std::get<int64_t>(v);
            if (time == JsonTime::kText) {
                field = format_timestamp(ms);
            } else {
                field = ms;
            }
        } else if (auto* b = std::get_if<bool>(&v)) {
            field = *b;
        } else if (auto* n = std::get_if<int64_t>(&v)) {
            field = *n;
        } else if (auto* d = std::get_if<double>(&v)) {
            field = *d;
        } else {
            field = std::get<std::string>(v);
        }
    }
    return boost::json::serialize(object);
}

}  // namespace shardflow::service
