#pragma once
// CORS, so that a web page (the Kinesis Data Generator, a dashboard) can call the server from a
// browser as it calls AWS: preflights are answered without credentials (they carry none), and
// every answer to a request with an Origin lets the page read it and its request id. The
// browser still has to sign, or send an API key, like any other client; no cookies are used,
// so allowing every origin gives a page nothing its script could not send anyway.

#include "connectors/kinesis_api/api.h"

#include <optional>

namespace shardflow::api {

/// The answer to a CORS preflight (OPTIONS from a web page, whatever else it asks), or nothing.
std::optional<ApiResponse> cors_preflight(const HttpRequestView& request);

/// Whether `request` came from a web page (it has an Origin), whose answer needs CORS headers.
bool from_web_page(const HttpRequestView& request);
void add_cors_headers(ApiResponse& response);

}  // namespace shardflow::api
