#include "service/files_delivery.h"

#include "connectors/files/files_sink.h"
#include "connectors/files/prefix_expression.h"
#include "engine/common/clock.h"
#include "engine/common/parse_number.h"
#include "service/row_format.h"
#include "sql/sql_error.h"

namespace shardflow::service {
namespace {

namespace files = connectors::files;

Result<int64_t> whole_number(const sql::WithOption& option, int64_t min, int64_t max) {
    auto n = parse_number<int64_t>(option.value);
    if (!n || *n < min || *n > max) {
        return sql::sql_error(option.pos,
                              "{} must be a whole number from {} to {}, not '{}'",
                              option.key,
                              min,
                              max,
                              option.value);
    }
    return *n;
}

/// The query's rows as JSON objects, arriving now.
class RowDelivery final : public runtime::Downstream<Row>, public runtime::CheckpointParticipant {
public:
    RowDelivery(std::shared_ptr<files::FilesSink> sink, sql::Schema rows)
        : sink_(std::move(sink))
        , rows_(std::move(rows)) {}

    void on_batch(std::span<Row> batch) override {
        int64_t now = SystemClock::instance().now_ms();
        std::vector<files::DeliveryRecord> records;
        records.reserve(batch.size());
        for (const Row& row : batch) {
            records.push_back(
                {record_text(row, rows_, sql::RecordFormat::kJson, JsonTime::kText), now});
        }
        sink_->on_batch(records);
    }
    void on_watermark(runtime::EventTime watermark) override { sink_->on_watermark(watermark); }
    void on_end() override { sink_->on_end(); }
    Status commit(sqlite3* db) override { return sink_->commit(db); }

private:
    std::shared_ptr<files::FilesSink> sink_;
    sql::Schema rows_;
};

/// Records that did not decode, to the error output as they arrived.
class RejectedDelivery final : public runtime::Downstream<ops::Rejected<connectors::ShardRecord>> {
public:
    explicit RejectedDelivery(std::shared_ptr<files::FilesSink> sink)
        : sink_(std::move(sink)) {}

    void on_batch(std::span<ops::Rejected<connectors::ShardRecord>> batch) override {
        for (const auto& rejected : batch) {
            sink_->deliver_failed({std::string(rejected.record.data), rejected.record.arrival_ms},
                                  {files::FailureKind::kFormatConversionFailed, rejected.reason});
        }
    }
    void on_watermark(runtime::EventTime) override {}
    void on_end() override {}

private:
    std::shared_ptr<files::FilesSink> sink_;
};

}  // namespace

Result<files::FilesSinkOptions> files_sink_options(const sql::CreateSink& sink,
                                                   const PathPolicy& paths) {
    files::FilesSinkOptions out;
    out.name = sink.name;
    bool files_connector = false;
    for (const auto& option : sink.options) {
        const std::string& v = option.value;
        if (option.key == "connector") {
            if (v != "files") {
                return sql::sql_error(option.pos, "connector '{}' is not known (files)", v);
            }
            files_connector = true;
        } else if (option.key == "path") {
            auto path = paths.resolve(v);
            if (!path) {
                return sql::sql_error(option.pos, "{}", path.error().message);
            }
            out.path = std::move(*path);
        } else if (option.key == "format") {
            if (v != "jsonl" && v != "csv") {
                return sql::sql_error(option.pos, "format is 'jsonl' or 'csv', not '{}'", v);
            }
            out.format = v == "csv" ? files::FileFormat::kCsv : files::FileFormat::kJsonLines;
        } else if (option.key == "compression") {
            if (v != "gzip" && v != "none") {
                return sql::sql_error(option.pos, "compression is 'gzip' or 'none', not '{}'", v);
            }
            out.compression = v == "gzip" ? files::Compression::kGzip : files::Compression::kNone;
        } else if (option.key == "buffer_size_mb") {
            SF_ASSIGN_OR_RETURN(int64_t mb, whole_number(option, 1, 128));
            out.buffer_size_bytes = static_cast<uint64_t>(mb) << 20;
        } else if (option.key == "buffer_interval_s") {
            SF_ASSIGN_OR_RETURN(int64_t s, whole_number(option, 1, 900));
            out.buffer_interval = std::chrono::seconds(s);
        } else if (option.key == "prefix" || option.key == "error_output_prefix") {
            bool data = option.key == "prefix";
            auto parsed =
                files::PrefixExpression::parse(v,
                                               data ? files::PrefixExpression::Use::kData
                                                    : files::PrefixExpression::Use::kErrorOutput);
            if (!parsed) {
                return sql::sql_error(option.pos, "{}", parsed.error().message);
            }
            (data ? out.prefix : out.error_output_prefix) = v;
        } else {
            return sql::sql_error(option.pos,
                                  "unknown option '{}' (connector, path, format, compression, "
                                  "buffer_size_mb, buffer_interval_s, prefix, error_output_prefix)",
                                  option.key);
        }
    }
    if (!files_connector || out.path.empty()) {
        return Error{
            ErrorCode::kInvalidArgument,
            fmt::format("sink {} needs WITH (connector = 'files', path = '...')", sink.name)};
    }
    return out;
}

FilesDelivery files_delivery(files::FilesSinkOptions options,
                             const sql::Schema& rows,
                             bool whole_stream) {
    // The rows factory opens the sink (with the query's checkpoint store); the error factory,
    // called after it in the same prepare(), shares it.
    auto opened = std::make_shared<std::shared_ptr<files::FilesSink>>();
    FilesDelivery out;
    out.rows = [options, rows, opened](runtime::CheckpointStore& checkpoints) -> Result<RowSink> {
        SF_ASSIGN_OR_RETURN(
            *opened, files::FilesSink::create(options, &checkpoints, SystemClock::instance()));
        return RowSink(std::make_shared<RowDelivery>(*opened, rows));
    };
    if (whole_stream) {
        out.errors = [opened](runtime::CheckpointStore&) -> Result<ErrorSink> {
            return ErrorSink(std::make_shared<RejectedDelivery>(*opened));
        };
    }
    return out;
}

}  // namespace shardflow::service
