#pragma once
// A keep-alive HTTP/1.1 client connection on Boost.Beast for one endpoint: POST and read the
// answer, reconnecting when the server has closed an idle connection.

#include "engine/common/error.h"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shardflow::connectors {

/// "http://host:port" split into what a connection and a Host header need.
struct HttpEndpoint {
    std::string host;
    std::string port;

    std::string authority() const { return host + ":" + port; }
    std::string url() const { return "http://" + authority(); }
};

/// kInvalidArgument unless `url` is http://host[:port][/].
Result<HttpEndpoint> parse_http_endpoint(std::string_view url);

struct HttpResponse {
    int status = 0;
    std::string body;
};

/// One connection, opened on first use. Threading: one caller at a time.
class HttpConnection {
public:
    using Headers = std::vector<std::pair<std::string, std::string>>;

    HttpConnection(HttpEndpoint endpoint, std::chrono::milliseconds timeout);
    ~HttpConnection();
    HttpConnection(HttpConnection&&) noexcept;
    HttpConnection& operator=(HttpConnection&&) noexcept;
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    /// POSTs `body` to `path` with `headers` (Host and Content-Length are added). kIoError when
    /// the endpoint cannot be reached or does not answer within the timeout.
    Result<HttpResponse> post(std::string_view path, const Headers& headers, std::string body);

    const HttpEndpoint& endpoint() const { return endpoint_; }

private:
    struct Impl;
    HttpEndpoint endpoint_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace shardflow::connectors
