#pragma once
// The parts of an HTTP request the Kinesis protocol looks at, borrowed from the transport.

#include <span>
#include <string_view>

namespace shardflow::api {

struct HttpHeader {
    std::string_view name;
    std::string_view value;
};

struct HttpRequestView {
    std::string_view method{};
    std::string_view target{};  // X-Amz-Target
    std::string_view content_type{};
    std::string_view authorization{};
    std::string_view body{};
    std::string_view uri = "/";             // request target: path and query
    std::span<const HttpHeader> headers{};  // every header as received, for signature checks
};

}  // namespace shardflow::api
