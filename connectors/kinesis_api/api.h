#pragma once
// The AWS JSON 1.1 protocol of Kinesis over any HTTP transport: authentication checks, target
// dispatch, request decoding and error bodies. The store does the work.

#include "connectors/kinesis_api/auth/authenticator.h"
#include "connectors/kinesis_api/body_source.h"
#include "connectors/kinesis_api/http_request.h"
#include "connectors/kinesis_api/subscriptions/shard_subscriptions.h"
#include "engine/store/stream_store.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shardflow::api {

struct ApiResponse {
    int status = 200;
    std::string content_type;
    std::string body;
    bool close = false;  // answer with Connection: close and close after writing
    std::vector<std::pair<std::string, std::string>> headers = {};  // more, such as CORS's
    std::shared_ptr<BodySource> more = nullptr;  // what follows `body`, of a length not known
};

/// Answers one request: called once, from any thread.
using Respond = std::function<void(ApiResponse)>;

/// The AWS JSON error body {"__type": ..., "message": ...} with the status Kinesis uses.
ApiResponse error_response(const Error& error, std::string_view content_type);

/// Translates requests into store calls. Threading: handle() is safe from any thread.
class KinesisApi {
public:
    explicit KinesisApi(store::StreamStore& store,
                        auth::Authenticator authenticator = {},
                        SubscriptionOptions subscriptions = {});

    /// Answers through `respond`: at once, or (a put) from a commit thread once its records are
    /// durable. The request's views must stay valid until then.
    void handle(const HttpRequestView& request, const Respond& respond);
    /// handle() that waits for the answer, for callers without a transport.
    ApiResponse handle(const HttpRequestView& request);

private:
    /// The answer, or nullopt when `respond` gets it later.
    std::optional<ApiResponse> answer_request(const HttpRequestView& request,
                                              const Respond& respond);

    store::StreamStore& store_;
    auth::Authenticator authenticator_;
    ShardSubscriptions subscriptions_;
};

}  // namespace shardflow::api
