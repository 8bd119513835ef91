// Beast listener and sessions. Each session reads a request, runs the handler on its own
// strand, writes the response, and loops while the client keeps the connection alive.

#include "connectors/kinesis_api/server/http_server.h"

#include "connectors/kinesis_api/server/connection_table.h"
#include "connectors/kinesis_api/server/http2_connection.h"
#include "connectors/kinesis_api/server/rejections.h"
#include "connectors/kinesis_api/server/request_ids.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <limits>
#include <list>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <sys/resource.h>

namespace shardflow::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

using detail::Closable;
using detail::ConnectionTable;
using detail::Shared;

/// One connection; Stream is beast::tcp_stream or a TLS stream over it.
template <class Stream>
class Session : public Closable, public std::enable_shared_from_this<Session<Stream>> {
public:
    template <class... TransportArgs>
    Session(std::shared_ptr<Shared> shared, TransportArgs&&... transport)
        : stream_(std::forward<TransportArgs>(transport)...)
        , body_timer_(stream_.get_executor())
        , shared_(std::move(shared)) {}

    ~Session() override {
        release_body_source();
        shared_->connections.remove(this);
    }

    void run() {
        asio::dispatch(stream_.get_executor(),
                       [self = this->shared_from_this()] { self->handshake(); });
    }

    void close_when_idle() override {
        asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
            self->closing_ = true;
            if (self->waiting_) {
                beast::error_code ec;
                self->socket().shutdown(tcp::socket::shutdown_both, ec);
                self->socket().close(ec);
            } else if (self->pulling_) {
                self->finish_streaming();  // an event stream waiting for its next part ends now
            }
        });
    }

    void close_now() override {
        asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->close(); });
    }

private:
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
    static constexpr size_t kDrainChunk = 16 * 1024;
    static constexpr size_t kDirectBodyMinimum = 64 * 1024;
    static constexpr std::chrono::seconds kLinger{2};

    beast::tcp_stream& transport() { return beast::get_lowest_layer(stream_); }
    tcp::socket& socket() { return transport().socket(); }

    void handshake() {
        if constexpr (kTls) {
            transport().expires_after(shared_->options.header_timeout);
            waiting_ = true;
            stream_.async_handshake(
                asio::ssl::stream_base::server,
                [self = this->shared_from_this()](beast::error_code ec) {
                    if (ec) {
                        self->close();
                        return;
                    }
                    self->waiting_ = false;
                    if (detail::negotiated_h2(self->stream_)) {
                        detail::serve_http2(self->shared_, std::move(self->stream_), self.get());
                        return;
                    }
                    self->read_header();
                });
        } else {
            detect_protocol();
        }
    }

    /// A plain connection that opens with the HTTP/2 preface is HTTP/2 from its first byte
    /// (h2c with prior knowledge); any other is read as HTTP/1.1, from the bytes read so far.
    void detect_protocol() {
        std::string_view got(static_cast<const char*>(buffer_.data().data()), buffer_.size());
        std::string_view preface = detail::kHttp2Preface;
        size_t compared = std::min(got.size(), preface.size());
        if (got.substr(0, compared) != preface.substr(0, compared)) {
            read_header();
        } else if (got.size() >= preface.size()) {
            std::string received(got);
            detail::serve_http2(shared_, transport().release_socket(), std::move(received), this);
        } else {
            transport().expires_after(shared_->options.header_timeout);
            waiting_ = true;
            transport().async_read_some(
                buffer_.prepare(preface.size()),
                [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                    self->waiting_ = false;
                    if (ec) {
                        self->close();
                        return;
                    }
                    self->buffer_.commit(n);
                    self->detect_protocol();
                });
        }
    }

    void read_header() {
        if (closing_) {
            return;
        }
        parser_.emplace();
        parser_->body_limit(shared_->options.body_limit);
        parser_->header_limit(detail::kHeaderLimit);
        // The first request of a connection gets the header timeout; later ones the idle one.
        transport().expires_after(first_ ? shared_->options.header_timeout
                                         : shared_->options.idle_timeout);
        first_ = false;
        waiting_ = true;
        shared_->connections.set_idle(this);
        http::async_read_header(stream_,
                                buffer_,
                                *parser_,
                                [self = this->shared_from_this()](beast::error_code ec, size_t) {
                                    self->waiting_ = false;
                                    self->on_header(ec);
                                });
    }

    void on_header(beast::error_code ec) {
        if (!shared_->connections.set_busy(this)) {
            close();
            return;
        }
        if (ec) {
            answer_read_error(ec);
            return;
        }
        if (parser_->is_done()) {
            handle();
            return;
        }
        // tcp_stream closes the socket when its deadline passes, which leaves no way to answer;
        // this timer cancels the read instead, so that the client learns why.
        transport().expires_never();
        body_timed_out_ = false;
        body_timer_.expires_after(shared_->options.body_timeout);
        body_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
            if (!ec) {
                self->body_timed_out_ = true;
                self->socket().cancel(ec);
            }
        });
        auto on_read = [self = this->shared_from_this()](beast::error_code ec, size_t) {
            self->body_timer_.cancel();
            self->on_body(ec);
        };
        if (parser_->content_length().value_or(0) >= kDirectBodyMinimum) {
            read_body_directly(std::move(on_read));
        } else {
            http::async_read(stream_, buffer_, *parser_, std::move(on_read));
        }
    }

    /// A large body of known length is read straight into the request's string: Beast's parser
    /// would read it in 64 KiB pieces through the read buffer, a copy and a dispatch each.
    /// Exactly the body is read, so a pipelined request behind it stays in the socket.
    template <class Handler>
    void read_body_directly(Handler on_read) {
        const size_t length = *parser_->content_length();
        std::string& body = parser_->get().body();
        body.resize(length);
        const size_t buffered = std::min(length, buffer_.size());
        asio::buffer_copy(asio::buffer(body), buffer_.data(), buffered);
        buffer_.consume(buffered);
        asio::async_read(
            stream_, asio::buffer(body.data() + buffered, length - buffered), std::move(on_read));
    }

    void on_body(beast::error_code ec) {
        if (ec && body_timed_out_) {
            reject(detail::body_timed_out(shared_->options));
            return;
        }
        if (ec) {
            answer_read_error(ec);
            return;
        }
        handle();
    }

    /// Too large a request is answered; any other read error (timeout, reset) just closes.
    void answer_read_error(beast::error_code ec) {
        if (ec == http::error::header_limit) {
            reject(detail::rejection(
                431,
                "RequestHeaderFieldsTooLargeException",
                fmt::format("Request headers must not exceed {} bytes.", detail::kHeaderLimit)));
        } else if (ec == http::error::body_limit) {
            reject(detail::rejection(413,
                                     "RequestEntityTooLargeException",
                                     fmt::format("Request body must not exceed {} bytes.",
                                                 shared_->options.body_limit)));
        } else {
            close();
        }
    }

    void handle() {
        auto& req = parser_->get();
        headers_.clear();
        for (const auto& field : req) {
            headers_.push_back({field.name_string(), field.value()});
        }
        HttpRequestView view{req.method_string(),
                             req["X-Amz-Target"],
                             req[http::field::content_type],
                             req[http::field::authorization],
                             req.body(),
                             req.target(),
                             headers_};
        // The answer may come from another thread: it is written on this session's strand,
        // and the work guard keeps the I/O threads running (through stop()) until it does.
        shared_->handler(
            view,
            [self = this->shared_from_this(),
             work = asio::make_work_guard(stream_.get_executor())](ApiResponse r) {
                asio::dispatch(work.get_executor(),
                               [self, r = std::move(r)]() mutable { self->respond(std::move(r)); });
            });
    }

    void respond(ApiResponse result) {
        if (result.more) {
            start_streaming(std::move(result));
            return;
        }
        auto& req = parser_->get();
        auto res = make_response(static_cast<http::status>(result.status),
                                 req.version(),
                                 result.content_type,
                                 std::move(result.body),
                                 req.keep_alive() && !shared_->stopping && !result.close);
        for (const auto& [name, value] : result.headers) {
            res->set(name, value);
        }
        write(std::move(res), false);
    }

    /// A body of unknown length goes out chunked, one part per chunk, each pulled once the
    /// previous one is written. Each write gets the idle timeout: a client that stops reading
    /// is closed after it, and its source cancelled.
    void start_streaming(ApiResponse result) {
        auto& req = parser_->get();
        auto res = std::make_shared<http::response<http::empty_body>>(
            static_cast<http::status>(result.status), req.version());
        set_common_fields(*res, result.content_type);
        for (const auto& [name, value] : result.headers) {
            res->set(name, value);
        }
        res->keep_alive(req.keep_alive() && !shared_->stopping && !result.close);
        res->chunked(true);
        streaming_keep_alive_ = res->keep_alive();
        body_source_ = std::move(result.more);
        ++body_serial_;
        auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*res);
        transport().expires_after(shared_->options.idle_timeout);
        http::async_write_header(
            stream_,
            *serializer,
            [self = this->shared_from_this(), res, serializer, first = std::move(result.body)](
                beast::error_code ec, size_t) mutable {
                if (ec) {
                    self->close();
                    return;
                }
                self->write_chunk(std::move(first));
            });
    }

    void write_chunk(std::string part) {
        if (part.empty()) {  // an empty chunk would end the body
            pull_part();
            return;
        }
        chunk_ = std::move(part);
        transport().expires_after(shared_->options.idle_timeout);
        asio::async_write(stream_,
                          http::make_chunk(asio::buffer(chunk_)),
                          [self = this->shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) {
                                  self->close();
                                  return;
                              }
                              self->pull_part();
                          });
    }

    void pull_part() {
        if (closing_ || !body_source_) {
            finish_streaming();
            return;
        }
        pulling_ = true;
        body_source_->pull([self = this->shared_from_this(),
                            serial = body_serial_,
                            work = asio::make_work_guard(stream_.get_executor())](
                               std::optional<std::string> part) {
            asio::post(work.get_executor(), [self, serial, part = std::move(part)]() mutable {
                if (serial != self->body_serial_ || !self->pulling_) {
                    return;  // the stream ended meanwhile
                }
                self->pulling_ = false;
                if (part) {
                    self->write_chunk(std::move(*part));
                } else {
                    self->finish_streaming();
                }
            });
        });
    }

    void finish_streaming() {
        pulling_ = false;
        release_body_source();
        transport().expires_after(shared_->options.idle_timeout);
        asio::async_write(stream_,
                          http::make_chunk_last(),
                          [self = this->shared_from_this()](beast::error_code ec, size_t) {
                              if (ec || !self->streaming_keep_alive_ || self->closing_) {
                                  self->close();
                                  return;
                              }
                              self->read_header();
                          });
    }

    void release_body_source() {
        if (auto source = std::move(body_source_)) {
            source->cancel();
        }
    }

    /// Answers a request the handler never sees (a detail::rejection), then closes.
    void reject(ApiResponse answer) {
        write(make_response(static_cast<http::status>(answer.status),
                            11,
                            answer.content_type,
                            std::move(answer.body),
                            false),
              true);
    }

    static std::shared_ptr<http::response<http::string_body>> make_response(
        http::status status,
        unsigned version,
        std::string_view content_type,
        std::string body,
        bool keep_alive) {
        auto res = std::make_shared<http::response<http::string_body>>(status, version);
        set_common_fields(*res, content_type);
        res->keep_alive(keep_alive);
        res->body() = std::move(body);
        res->prepare_payload();
        return res;
    }

    template <class Body>
    static void set_common_fields(http::response<Body>& res, std::string_view content_type) {
        res.set(http::field::server, "shardflow");
        if (!content_type.empty()) {  // AWS's XML refusals and preflights have none
            res.set(http::field::content_type, content_type);
        }
        res.set("x-amzn-RequestId", detail::random_request_id());
        res.set("x-amz-id-2", detail::random_id2());
    }

    /// Writes `res`, then reads the next request or closes; `unread_body` when the client may
    /// still be sending a request that was not read to its end.
    void write(std::shared_ptr<http::response<http::string_body>> res, bool unread_body) {
        transport().expires_after(shared_->options.idle_timeout);
        http::async_write(
            stream_,
            *res,
            [self = this->shared_from_this(), res, unread_body](beast::error_code ec, size_t) {
                if (ec) {
                    self->close();
                } else if (unread_body) {
                    self->linger();
                } else if (!res->keep_alive() || self->closing_) {
                    self->close();
                } else {
                    self->read_header();
                }
            });
    }

    /// Closes after rejecting a request. The client may still be sending it: closing with unread
    /// data would reset the connection and could discard the answer before the client reads it,
    /// so the rest is read and dropped for a short while first.
    void linger() {
        beast::error_code ec;
        socket().shutdown(tcp::socket::shutdown_send, ec);
        transport().expires_after(kLinger);
        shared_->connections.set_idle(this);
        drain();
    }

    void drain() {
        buffer_.clear();
        transport().async_read_some(
            buffer_.prepare(kDrainChunk),
            [self = this->shared_from_this()](beast::error_code ec, size_t) {
                if (ec) {
                    self->close();
                    return;
                }
                self->drain();
            });
    }

    void close() {
        pulling_ = false;
        release_body_source();
        beast::error_code ec;
        socket().shutdown(tcp::socket::shutdown_send, ec);
        socket().close(ec);
    }

    Stream stream_;
    asio::steady_timer body_timer_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<Shared> shared_;
    std::vector<HttpHeader> headers_;  // views into the current request, reused across requests
    bool first_ = true;
    bool waiting_ = false;  // for the TLS handshake or a request's header
    bool body_timed_out_ = false;
    bool closing_ = false;
    // A response body written in parts (an event stream).
    std::shared_ptr<BodySource> body_source_;
    uint64_t body_serial_ = 0;  // which body a delivered part belongs to
    bool pulling_ = false;      // waiting for the source's next part
    bool streaming_keep_alive_ = false;
    std::string chunk_;  // the part being written
};

/// Raises the soft limit on open files to the hard one; returns the limit in force.
size_t raise_fd_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return 1024;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
            limit = raised;
        }
    }
    return limit.rlim_cur == RLIM_INFINITY ? std::numeric_limits<size_t>::max()
                                           : static_cast<size_t>(limit.rlim_cur);
}

/// max_connections, but at most the file limit less kReservedFds (the store's segments,
/// SQLite, the listener), or half of a limit too small for that.
size_t connection_cap(size_t max_connections, size_t fd_limit) {
    constexpr size_t kReservedFds = 256;
    size_t fds = fd_limit > 2 * kReservedFds ? fd_limit - kReservedFds : fd_limit / 2;
    return std::min(max_connections, fds);
}

/// Accept errors that a retry at once would only repeat.
bool out_of_resources(beast::error_code ec) {
    return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
           ec == asio::error::no_memory ||
           ec == beast::error_code(ENFILE, beast::system_category());
}

}  // namespace

struct HttpServer::Impl {
    static constexpr std::chrono::milliseconds kAcceptBackoff{50};
    using WorkGuard = asio::executor_work_guard<asio::io_context::executor_type>;

    std::shared_ptr<Shared> shared = std::make_shared<Shared>();
    /// One event loop per I/O thread, each connection on one of them: an answer completed on a
    /// commit thread wakes the one loop of its connection, not whichever thread is idle. The
    /// first loop only accepts, so that a slow handler never delays admitting connections.
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<WorkGuard> keep_running;    // until stop(), also a loop that has no connection
    size_t next_context = 0;                // on the acceptor's strand
    std::optional<tcp::acceptor> acceptor;  // on the first loop, with backoff
    std::optional<asio::steady_timer> backoff;
    std::vector<std::thread> threads;

    asio::io_context& context_for_next_connection() {
        return *contexts[1 + next_context++ % (contexts.size() - 1)];
    }

    void accept() {
        acceptor->async_accept(
            asio::make_strand(context_for_next_connection()),
            [this](beast::error_code ec, tcp::socket socket) {
                if (ec == asio::error::operation_aborted || !acceptor->is_open()) {
                    return;
                }
                if (!ec) {
                    admit(std::move(socket));
                } else if (out_of_resources(ec)) {
                    // Accepting again at once would spin on the same error; the longest idle
                    // connection gives up its descriptor for the retry.
                    shared->connections.evict_longest_idle();
                    backoff->expires_after(kAcceptBackoff);
                    backoff->async_wait([this](beast::error_code ec) {
                        if (!ec && acceptor->is_open()) {
                            accept();
                        }
                    });
                    return;
                }
                accept();
            });
    }

    /// Starts a session unless the server stops or the connection table refuses it; a refused
    /// socket closes with its session.
    void admit(tcp::socket socket) {
        beast::error_code ec;
        tcp::endpoint from = socket.remote_endpoint(ec);
        if (ec || shared->stopping) {
            return;
        }
        // Small writes go out at once: without it an event stream's event (or an HTTP/2 frame)
        // written while the previous one is unacknowledged waits for the client's delayed ACK.
        socket.set_option(tcp::no_delay(true), ec);
        if (shared->tls) {
            start_session<Session<beast::ssl_stream<beast::tcp_stream>>>(
                from.address(), std::move(socket), *shared->tls);
        } else {
            start_session<Session<beast::tcp_stream>>(from.address(), std::move(socket));
        }
    }

    template <class S, class... TransportArgs>
    void start_session(const asio::ip::address& from, TransportArgs&&... transport) {
        auto session = std::make_shared<S>(shared, std::forward<TransportArgs>(transport)...);
        if (shared->connections.admit(session, from)) {
            session->run();
        }
    }
};

HttpServer::HttpServer(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>()) {
    impl_->shared->options = std::move(options);
    impl_->shared->handler = std::move(handler);
}

HttpServer::HttpServer(ServerOptions options, SyncHandler handler)
    : HttpServer(std::move(options),
                 Handler([handler = std::move(handler)](const HttpRequestView& request,
                                                        const Respond& respond) {
                     respond(handler(request));
                 })) {}

HttpServer::~HttpServer() {
    stop();
}

Result<uint16_t> HttpServer::start() {
    beast::error_code ec;
    const ServerOptions& options = impl_->shared->options;
    if (!options.tls_cert.empty() || !options.tls_key.empty()) {
        auto& tls = impl_->shared->tls.emplace(asio::ssl::context::tls_server);
        tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1);
        tls.use_certificate_chain_file(options.tls_cert, ec);
        if (!ec) {
            tls.use_private_key_file(options.tls_key, asio::ssl::context::pem, ec);
        }
        detail::select_h2_or_http11(tls);
        if (ec) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "cannot load TLS certificate {} and key {}: {}",
                               options.tls_cert,
                               options.tls_key,
                               ec.message());
        }
    }
    auto address = asio::ip::make_address(impl_->shared->options.host, ec);
    if (ec) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "invalid host {}: {}",
                           impl_->shared->options.host,
                           ec.message());
    }
    impl_->shared->connections.set_caps(connection_cap(options.max_connections, raise_fd_limit()),
                                        options.max_connections_per_address);
    tcp::endpoint endpoint(address, impl_->shared->options.port);
    const size_t threads = options.threads > 0
                               ? static_cast<size_t>(options.threads)
                               : std::max<size_t>(1, std::thread::hardware_concurrency());
    for (size_t i = 0; i < 1 + threads; ++i) {
        // One thread per loop: asio may skip the locking it would need for several.
        impl_->contexts.push_back(std::make_unique<asio::io_context>(1));
        impl_->keep_running.push_back(asio::make_work_guard(*impl_->contexts.back()));
    }
    auto& acceptor = impl_->acceptor.emplace(asio::make_strand(*impl_->contexts.front()));
    impl_->backoff.emplace(acceptor.get_executor());
    acceptor.open(endpoint.protocol(), ec);
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    acceptor.bind(endpoint, ec);
    if (!ec) {
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return Error::make(ErrorCode::kIoError,
                           "cannot listen on {}:{}: {}",
                           impl_->shared->options.host,
                           impl_->shared->options.port,
                           ec.message());
    }
    impl_->accept();
    for (auto& context : impl_->contexts) {
        impl_->threads.emplace_back([&context] { context->run(); });
    }
    return acceptor.local_endpoint().port();
}

HttpServer::ConnectionCounts HttpServer::connections() const {
    auto [open, idle] = impl_->shared->connections.counts();
    return ConnectionCounts{open, idle};
}

void HttpServer::stop() {
    if (impl_->threads.empty()) {
        return;
    }
    impl_->shared->stopping = true;
    asio::post(impl_->acceptor->get_executor(), [this] {
        beast::error_code ec;
        impl_->acceptor->close(ec);
        impl_->backoff->cancel();
    });
    for (const auto& session : impl_->shared->connections.sessions()) {
        session->close_when_idle();
    }
    impl_->keep_running.clear();  // each loop ends once its connections have
    for (auto& t : impl_->threads) {
        t.join();
    }
    impl_->threads.clear();
}

}  // namespace shardflow::api
