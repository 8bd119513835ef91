#pragma once
// HTTP/1.1 server on Boost.Beast: keep-alive, a pool of I/O threads, header and body limits,
// header, body and idle timeouts, a cap on connections, optional TLS, and a graceful stop that
// lets requests in flight finish.

#include "connectors/kinesis_api/api.h"
#include "engine/common/error.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace shardflow::api {

struct ServerOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 4567;  // 0 picks a free port
    // I/O threads, each with its own event loop (0: one per core), and one more that accepts.
    // Handlers must not block: a connection's loop serves many.
    int threads = 0;
    // At most the open-file limit less 256 (the soft limit is raised to the hard one at start).
    // At the cap the longest idle connection makes room; with none idle a new one is refused.
    size_t max_connections = 1024;
    // Per client address, so that one host cannot take every connection; at it the address's
    // own longest idle connection makes room.
    size_t max_connections_per_address = 256;
    // A PutRecords of 10 MiB of data, or a record of 10 MiB, is 13.4 MiB in base64.
    size_t body_limit = 14 << 20;
    std::chrono::seconds header_timeout{10};
    std::chrono::seconds idle_timeout{120};
    // From a request's header to the end of its body; a client that is slower gets a 400.
    std::chrono::milliseconds body_timeout{std::chrono::seconds(30)};
    std::string tls_cert;  // PEM certificate chain and key; both empty serves plain HTTP
    std::string tls_key;
};

/// Serves `handler` over HTTP. Threading: start/stop from one thread; the handler is called
/// concurrently from the I/O threads.
class HttpServer {
public:
    /// Answers one request: call it once, from any thread. Until then the request's view stays
    /// valid, its connection waits, and stop() waits for it.
    using Respond = ::shardflow::api::Respond;
    /// Answers at once, or hands the request to threads of its own (a slow request must not
    /// hold an I/O thread).
    using Handler = std::function<void(const HttpRequestView&, Respond)>;
    /// A handler whose every answer is ready when it returns.
    using SyncHandler = std::function<ApiResponse(const HttpRequestView&)>;

    HttpServer(ServerOptions options, Handler handler);
    HttpServer(ServerOptions options, SyncHandler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds and starts the I/O threads; returns the port it listens on.
    Result<uint16_t> start();
    /// Stops accepting, closes idle connections, waits for requests in flight, joins threads.
    void stop();

    struct ConnectionCounts {
        size_t open = 0;
        size_t idle = 0;  // waiting for a request (or the TLS handshake), or draining
    };
    ConnectionCounts connections() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace shardflow::api
