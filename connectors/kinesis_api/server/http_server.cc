// Beast listener and sessions. Each session reads a request, runs the handler on its own
// strand, writes the response, and loops while the client keeps the connection alive.

#include "connectors/kinesis_api/server/http_server.h"

#include "engine/common/base64.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <openssl/rand.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

namespace shardflow::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::string_view kJson11 = "application/x-amz-json-1.1";

std::string random_request_id() {
    unsigned char b[16];
    RAND_bytes(b, sizeof b);
    b[6] = (b[6] & 0x0F) | 0x40;
    b[8] = (b[8] & 0x3F) | 0x80;
    return fmt::format(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:"
        "02x}{:02x}",
        b[0],
        b[1],
        b[2],
        b[3],
        b[4],
        b[5],
        b[6],
        b[7],
        b[8],
        b[9],
        b[10],
        b[11],
        b[12],
        b[13],
        b[14],
        b[15]);
}

std::string random_id2() {
    unsigned char b[72];
    RAND_bytes(b, sizeof b);
    return base64_encode(std::string_view(reinterpret_cast<const char*>(b), sizeof b));
}

/// What the server's stop needs of a session, whatever its transport.
class Closable {
public:
    virtual ~Closable() = default;
    /// An idle connection closes now, a busy one after its response.
    virtual void close_when_idle() = 0;
};

/// What sessions share with the server.
struct Shared {
    ServerOptions options;
    HttpServer::Handler handler;
    std::optional<asio::ssl::context> tls;
    std::atomic<size_t> connections{0};
    std::atomic<bool> stopping{false};
    std::mutex sessions_mu;
    std::set<std::weak_ptr<Closable>, std::owner_less<std::weak_ptr<Closable>>> sessions;
};

/// One connection; Stream is beast::tcp_stream or a TLS stream over it.
template <class Stream>
class Session : public Closable, public std::enable_shared_from_this<Session<Stream>> {
public:
    template <class... TransportArgs>
    Session(std::shared_ptr<Shared> shared, TransportArgs&&... transport)
        : stream_(std::forward<TransportArgs>(transport)...)
        , body_timer_(stream_.get_executor())
        , shared_(std::move(shared)) {}

    ~Session() override { shared_->connections.fetch_sub(1); }

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
            }
        });
    }

private:
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
    static constexpr size_t kHeaderLimit = 64 * 1024;
    static constexpr size_t kDrainChunk = 16 * 1024;
    static constexpr std::chrono::seconds kLinger{2};

    beast::tcp_stream& transport() { return beast::get_lowest_layer(stream_); }
    tcp::socket& socket() { return transport().socket(); }

    void handshake() {
        if constexpr (kTls) {
            transport().expires_after(shared_->options.header_timeout);
            waiting_ = true;
            stream_.async_handshake(asio::ssl::stream_base::server,
                                    [self = this->shared_from_this()](beast::error_code ec) {
                                        if (ec) {
                                            self->close();
                                            return;
                                        }
                                        self->waiting_ = false;
                                        self->read_header();
                                    });
        } else {
            read_header();
        }
    }

    void read_header() {
        if (closing_) {
            return;
        }
        parser_.emplace();
        parser_->body_limit(shared_->options.body_limit);
        parser_->header_limit(kHeaderLimit);
        // The first request of a connection gets the header timeout; later ones the idle one.
        transport().expires_after(first_ ? shared_->options.header_timeout
                                         : shared_->options.idle_timeout);
        first_ = false;
        waiting_ = true;
        http::async_read_header(stream_,
                                buffer_,
                                *parser_,
                                [self = this->shared_from_this()](beast::error_code ec, size_t) {
                                    self->waiting_ = false;
                                    self->on_header(ec);
                                });
    }

    void on_header(beast::error_code ec) {
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
        http::async_read(stream_,
                         buffer_,
                         *parser_,
                         [self = this->shared_from_this()](beast::error_code ec, size_t) {
                             self->body_timer_.cancel();
                             self->on_body(ec);
                         });
    }

    void on_body(beast::error_code ec) {
        if (ec && body_timed_out_) {
            // KINESIS.md is silent; S3 answers an unfinished body with 400 RequestTimeout.
            reject(http::status::bad_request,
                   "RequestTimeoutException",
                   fmt::format("Request body not received within {} ms.",
                               shared_->options.body_timeout.count()));
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
        // KINESIS.md only says that kinesalite answers 413; the __type names are ours.
        if (ec == http::error::header_limit) {
            reject(http::status::request_header_fields_too_large,
                   "RequestHeaderFieldsTooLargeException",
                   fmt::format("Request headers must not exceed {} bytes.", kHeaderLimit));
        } else if (ec == http::error::body_limit) {
            reject(http::status::payload_too_large,
                   "RequestEntityTooLargeException",
                   fmt::format("Request body must not exceed {} bytes.",
                               shared_->options.body_limit));
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
        ApiResponse result = shared_->handler(view);
        write(make_response(static_cast<http::status>(result.status),
                            req.version(),
                            result.content_type,
                            std::move(result.body),
                            req.keep_alive() && !shared_->stopping && !result.close));
    }

    /// Answers a request the handler never sees with a Kinesis JSON error, then closes.
    void reject(http::status status, std::string_view type, std::string_view message) {
        write(make_response(status,
                            11,
                            kJson11,
                            boost::json::serialize(
                                boost::json::object{{"__type", type}, {"message", message}}),
                            false));
    }

    static std::shared_ptr<http::response<http::string_body>> make_response(
        http::status status,
        unsigned version,
        std::string_view content_type,
        std::string body,
        bool keep_alive) {
        auto res = std::make_shared<http::response<http::string_body>>(status, version);
        res->set(http::field::server, "shardflow");
        res->set(http::field::content_type, content_type);
        res->set("x-amzn-RequestId", random_request_id());
        res->set("x-amz-id-2", random_id2());
        res->keep_alive(keep_alive);
        res->body() = std::move(body);
        res->prepare_payload();
        return res;
    }

    void write(std::shared_ptr<http::response<http::string_body>> res) {
        transport().expires_after(shared_->options.idle_timeout);
        http::async_write(
            stream_, *res, [self = this->shared_from_this(), res](beast::error_code ec, size_t) {
                if (ec) {
                    self->close();
                } else if (!res->keep_alive() || self->closing_) {
                    self->linger();
                } else {
                    self->read_header();
                }
            });
    }

    /// Closes after the last response. A client may still be sending (a body over the limit):
    /// closing with unread data would reset the connection and could discard the answer before
    /// the client reads it, so the rest is read and dropped for a short while first.
    void linger() {
        beast::error_code ec;
        socket().shutdown(tcp::socket::shutdown_send, ec);
        transport().expires_after(kLinger);
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
};

}  // namespace

struct HttpServer::Impl {
    std::shared_ptr<Shared> shared = std::make_shared<Shared>();
    asio::io_context ioc;
    std::optional<tcp::acceptor> acceptor;
    std::vector<std::thread> threads;

    void accept() {
        acceptor->async_accept(
            asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
                if (ec) {
                    if (ec != asio::error::operation_aborted && acceptor->is_open()) {
                        accept();
                    }
                    return;
                }
                if (shared->connections.fetch_add(1) >= shared->options.max_connections) {
                    shared->connections.fetch_sub(1);
                    beast::error_code ignored;
                    socket.close(ignored);
                } else if (shared->tls) {
                    start_session(std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
                        shared, std::move(socket), *shared->tls));
                } else {
                    start_session(
                        std::make_shared<Session<beast::tcp_stream>>(shared, std::move(socket)));
                }
                accept();
            });
    }

    template <class S>
    void start_session(std::shared_ptr<S> session) {
        {
            std::lock_guard lock(shared->sessions_mu);
            std::erase_if(shared->sessions, [](const auto& w) { return w.expired(); });
            shared->sessions.insert(session);
        }
        session->run();
    }
};

HttpServer::HttpServer(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>()) {
    impl_->shared->options = std::move(options);
    impl_->shared->handler = std::move(handler);
}

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
    tcp::endpoint endpoint(address, impl_->shared->options.port);
    auto& acceptor = impl_->acceptor.emplace(impl_->ioc);
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
    for (int i = 0; i < impl_->shared->options.threads; ++i) {
        impl_->threads.emplace_back([this] { impl_->ioc.run(); });
    }
    return acceptor.local_endpoint().port();
}

void HttpServer::stop() {
    if (impl_->threads.empty()) {
        return;
    }
    impl_->shared->stopping = true;
    asio::post(impl_->ioc, [this] {
        beast::error_code ec;
        impl_->acceptor->close(ec);
    });
    {
        std::lock_guard lock(impl_->shared->sessions_mu);
        for (const auto& weak : impl_->shared->sessions) {
            if (auto session = weak.lock()) {
                session->close_when_idle();
            }
        }
    }
    for (auto& t : impl_->threads) {
        t.join();
    }
    impl_->threads.clear();
}

}  // namespace shardflow::api
