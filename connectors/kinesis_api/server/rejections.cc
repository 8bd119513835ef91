#include "connectors/kinesis_api/server/rejections.h"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace shardflow::api::detail {

ApiResponse rejection(int status, std::string_view type, std::string_view message) {
    return ApiResponse{
        status,
        "application/x-amz-json-1.1",
        boost::json::serialize(boost::json::object{{"__type", type}, {"message", message}}),
        true};
}

ApiResponse body_timed_out(const ServerOptions& options) {
    return rejection(
        400,
        "RequestTimeoutException",
        fmt::format("Request body not received within {} ms.", options.body_timeout.count()));
}

}  // namespace shardflow::api::detail
