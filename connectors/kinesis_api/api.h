#pragma once
// The AWS JSON 1.1 protocol of Kinesis over any HTTP transport: authentication checks, target
// dispatch, request decoding and error bodies. The store does the work.

#include "engine/store/stream_store.h"

#include <string>
#include <string_view>

namespace shardflow::api {

/// The parts of an HTTP request the protocol looks at.
struct HttpRequestView {
    std::string_view method;
    std::string_view target;  // X-Amz-Target
    std::string_view content_type;
    std::string_view authorization;
    std::string_view body;
};

struct ApiResponse {
    int status = 200;
    std::string content_type;
    std::string body;
};

/// Translates requests into store calls. Threading: handle() is safe from any thread.
class KinesisApi {
public:
    explicit KinesisApi(store::StreamStore& store)
        : store_(store) {}

    ApiResponse handle(const HttpRequestView& request);

private:
    store::StreamStore& store_;
};

}  // namespace shardflow::api
