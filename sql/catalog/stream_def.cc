#include "sql/catalog/stream_def.h"

#include "engine/common/timestamp_text.h"
#include "sql/binder/bound_expression.h"
#include "sql/sql_error.h"
#include "sql/value_ops.h"

namespace shardflow::sql {

Schema StreamDef::schema(std::string_view qualifier) const {
    Schema s;
    std::string q(qualifier);
    for (const auto& c : columns) {
        s.columns.push_back({c.name, c.type, q});
    }
    s.columns.push_back({"_partition_key", SqlType::kVarchar, q});
    s.columns.push_back({"_sequence_number", SqlType::kBigint, q});
    s.columns.push_back({"_shard_id", SqlType::kVarchar, q});
    s.columns.push_back({"_arrival_time", SqlType::kTimestamp, q});
    return s;
}

namespace {

/// `ts - INTERVAL 'n' unit` (or just `ts`): the delay in milliseconds.
Result<int64_t> watermark_delay(const Watermark& w) {
    const Expr& e = *w.expr;
    auto is_column = [&](const Expr& x) {
        return x.kind == ExprKind::kColumn && same_name(x.name, w.column);
    };
    if (is_column(e)) {
        return int64_t{0};
    }
    if (e.kind == ExprKind::kBinary && e.op == "-" && is_column(*e.args[0])) {
        SF_ASSIGN_OR_RETURN(Value delay, constant_value(*e.args[1], "WATERMARK"));
        if (auto* ms = std::get_if<int64_t>(&delay); ms && *ms >= 0) {
            return *ms;
        }
    }
    return sql_error(w.pos,
                     "WATERMARK FOR {} must be `{}` or `{} - INTERVAL '<n>' <unit>`",
                     w.column,
                     w.column,
                     w.column);
}

}  // namespace

Result<StreamDef> make_stream_def(const CreateStream& create, std::string sql) {
    StreamDef def;
    def.name = create.name;
    def.store_stream = create.name;
    def.columns = create.columns;
    def.sql = std::move(sql);
    if (def.columns.empty()) {
        return sql_error(Position{}, "stream {} needs at least one column", create.name);
    }
    for (size_t i = 0; i < def.columns.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
            if (same_name(def.columns[i].name, def.columns[j].name)) {
                return sql_error(
                    def.columns[i].pos, "column '{}' is declared twice", def.columns[i].name);
            }
        }
        if (def.columns[i].name.starts_with('_')) {
            return sql_error(def.columns[i].pos,
                             "column names starting with '_' are reserved for pseudo-columns "
                             "(_partition_key, _sequence_number, _shard_id, _arrival_time)");
        }
    }
    def.partition_key = def.columns.front().name;
    if (create.watermark) {
        const auto& w = *create.watermark;
        auto found = std::find_if(def.columns.begin(), def.columns.end(), [&](const ColumnDef& c) {
            return same_name(c.name, w.column);
        });
        if (found == def.columns.end() || found->type != SqlType::kTimestamp) {
            return sql_error(
                w.pos, "WATERMARK FOR {} needs a TIMESTAMP column of this stream", w.column);
        }
        def.watermark_column = static_cast<size_t>(found - def.columns.begin());
        SF_ASSIGN_OR_RETURN(def.watermark_delay_ms, watermark_delay(w));
    }
    for (const auto& option : create.options) {
        if (option.key == "stream") {
            def.store_stream = option.value;
        } else if (option.key == "format") {
            if (option.value != "json" && option.value != "csv") {
                return sql_error(
                    option.pos, "format must be 'json' or 'csv', not '{}'", option.value);
            }
            def.format = option.value == "json" ? RecordFormat::kJson : RecordFormat::kCsv;
        } else if (option.key == "start") {
            if (option.value != "TRIM_HORIZON" && option.value != "LATEST" &&
                !parse_timestamp(option.value)) {
                return sql_error(option.pos,
                                 "start must be 'TRIM_HORIZON', 'LATEST' or a timestamp, not '{}'",
                                 option.value);
            }
            def.start = option.value;
        } else if (option.key == "partition_key") {
            auto found =
                std::find_if(def.columns.begin(), def.columns.end(), [&](const ColumnDef& c) {
                    return same_name(c.name, option.value);
                });
            if (found == def.columns.end()) {
                return sql_error(option.pos, "partition_key names no column: '{}'", option.value);
            }
            def.partition_key = found->name;
        } else if (option.key != "shards") {
            return sql_error(
                option.pos,
                "unknown option '{}'{} (stream, format, start, partition_key, shards)",
                option.key,
                did_you_mean(option.key, {"stream", "format", "start", "partition_key", "shards"}));
        }
    }
    return def;
}

}  // namespace shardflow::sql
