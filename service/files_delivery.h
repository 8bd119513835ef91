#pragma once
// CREATE SINK ... WITH (connector = 'files', ...): the options checked and turned into the files
// sink's, and the sink fed with the query's rows as JSON objects. For a sink FROM a whole
// stream, records that do not decode go to the sink's error output with the reason (Firehose's
// format-conversion-failed), instead of only being counted.

#include "connectors/files/files_sink_options.h"
#include "service/path_policy.h"
#include "service/running_query.h"

namespace shardflow::service {

/// The WITH options, or an error naming the option's line and column.
/// The sink's options, its path resolved by `paths`.
Result<connectors::files::FilesSinkOptions> files_sink_options(const sql::CreateSink& sink,
                                                               const PathPolicy& paths);

struct FilesDelivery {
    SinkFactory rows;
    ErrorSinkFactory errors;  // set for FROM stream
};

/// One files sink per run of the query, shared by the two factories.
FilesDelivery files_delivery(connectors::files::FilesSinkOptions options,
                             const sql::Schema& rows,
                             bool whole_stream);

}  // namespace shardflow::service
