#pragma once
// Turns a shard record into a row of its stream's schema: the declared columns read from JSON or
// CSV, then the pseudo-columns. A field of the wrong type is an error naming the field; a
// missing field (JSON) is NULL.

#include "connectors/formats/csv_fields.h"
#include "connectors/formats/json_fields.h"
#include "connectors/shard_source/shard_source.h"
#include "sql/catalog/stream_def.h"

#include <memory>

namespace shardflow::service {

/// Threading: one instance per reader (the record formats keep the last record's fields);
/// copies share nothing mutable.
class RecordDecoder {
public:
    explicit RecordDecoder(const sql::StreamDef& def);
    RecordDecoder(const RecordDecoder& other)
        : RecordDecoder(other.def_) {}

    Result<Row> operator()(const connectors::ShardRecord& record);

private:
    Result<Value> json_value(size_t i);
    Result<Value> csv_value(size_t i);

    sql::StreamDef def_;
    connectors::JsonFields json_;
    connectors::CsvFields csv_;
};

}  // namespace shardflow::service
