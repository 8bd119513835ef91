#pragma once
// The AWS JSON 1.1 protocol of Kinesis over any HTTP transport: authentication checks, target
// dispatch, request decoding and error bodies. The store does the work.

#include "connectors/kinesis_api/auth/authenticator.h"
#include "connectors/kinesis_api/body_source.h"
#include "connectors/kinesis_api/http_request.h"
#include "connectors/kinesis_api/subscriptions/shard_subscriptions.h"
#include "engine/store/stream_store.h"

#include <memory>
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

/// The AWS JSON error body {"__type": ..., "message": ...} with the status Kinesis uses.
ApiResponse error_response(const Error& error, std::string_view content_type);

/// Translates requests into store calls. Threading: handle() is safe from any thread.
class KinesisApi {
public:
    explicit KinesisApi(store::StreamStore& store,
                        auth::Authenticator authenticator = {},
                        SubscriptionOptions subscriptions = {});

    ApiResponse handle(const HttpRequestView& request);

private:
    ApiResponse answer_request(const HttpRequestView& request);

    store::StreamStore& store_;
    auth::Authenticator authenticator_;
    ShardSubscriptions subscriptions_;
};

}  // namespace shardflow::api
