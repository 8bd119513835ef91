#pragma once
// Answers to requests the handler never sees (too large, too slow), the same over HTTP/1.1 and
// HTTP/2: Kinesis JSON errors, after which the connection closes. KINESIS.md only says that
// kinesalite answers 413; the __type names are ours. Internal to the server.

#include "connectors/kinesis_api/server/http_server.h"

#include <cstddef>
#include <string_view>

namespace shardflow::api::detail {

/// The most header bytes a request may have.
inline constexpr size_t kHeaderLimit = 64 * 1024;

ApiResponse rejection(int status, std::string_view type, std::string_view message);

/// A request whose body did not arrive within the body timeout: KINESIS.md is silent; S3 answers
/// an unfinished body with 400 RequestTimeout.
ApiResponse body_timed_out(const ServerOptions& options);

}  // namespace shardflow::api::detail
