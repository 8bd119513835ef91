// One HTTP/2 connection: nghttp2 parses frames from the socket and queues frames to send;
// this class moves bytes between them on the connection's strand, gathers each stream's
// request, hands it to the server's handler and submits its answer when it comes.

#include "connectors/kinesis_api/server/http2_connection.h"

#include "connectors/kinesis_api/server/rejections.h"
#include "connectors/kinesis_api/server/request_ids.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include <nghttp2/nghttp2.h>

namespace shardflow::api::detail {
namespace {

using tcp = asio::ip::tcp;

// A stream may send a whole PutRecords body before its answer; the connection at most this
// much of bodies not yet answered, beyond which new streams are refused (REFUSED_STREAM: the
// client retries them).
constexpr int32_t kStreamWindow = 16 << 20;
constexpr int32_t kConnectionWindow = 64 << 20;
constexpr size_t kMaxBufferedBodies = 64 << 20;
constexpr uint32_t kMaxConcurrentStreams = 128;

/// One request and, once the handler answers, its response.
struct Stream {
    std::string method;
    std::string path;
    std::string authority;
    std::vector<std::pair<std::string, std::string>> fields;  // regular headers, lower case
    size_t header_bytes = 0;
    std::string body;
    bool too_large = false;
    bool dispatched = false;        // complete, and with the handler
    std::vector<HttpHeader> views;  // into `fields`, for the handler
    ApiResponse response;
    size_t sent = 0;       // of response.body
    bool pulling = false;  // waiting for the next part of response.more

    std::string_view field(std::string_view name) const {
        for (const auto& [n, v] : fields) {
            if (n == name) {
                return v;
            }
        }
        return {};
    }
};

/// The socket under a transport: a plain socket's is itself.
tcp::socket& socket_of(tcp::socket& socket) {
    return socket;
}
tcp::socket& socket_of(TlsStream& stream) {
    return stream.next_layer().socket();
}

/// Transport: tcp::socket or TlsStream.
template <class Transport>
class Http2Connection final : public Closable,
                              public std::enable_shared_from_this<Http2Connection<Transport>> {
public:
    Http2Connection(std::shared_ptr<Shared> shared, Transport transport)
        : shared_(std::move(shared))
        , socket_(std::move(transport))
        , idle_timer_(socket_.get_executor()) {}

    ~Http2Connection() override {
        if (session_) {
            nghttp2_session_del(session_);
        }
        shared_->connections.remove(this);
    }

    /// Sets up the session and feeds it what was read before the switch.
    void start(std::string received) {
        asio::dispatch(socket_.get_executor(),
                       [self = this->shared_from_this(), received = std::move(received)] {
                           if (!self->open_session()) {
                               self->close();
                               return;
                           }
                           self->feed(received.data(), received.size());
                       });
    }

    void close_when_idle() override {
        asio::post(socket_.get_executor(), [self = this->shared_from_this()] {
            if (!self->session_) {  // the server stops before the session was set up
                self->close();
                return;
            }
            // GOAWAY names the last stream this connection will serve: those in flight finish,
            // and event streams end where they are.
            self->closing_ = true;
            nghttp2_submit_goaway(self->session_,
                                  NGHTTP2_FLAG_NONE,
                                  nghttp2_session_get_last_proc_stream_id(self->session_),
                                  NGHTTP2_NO_ERROR,
                                  nullptr,
                                  0);
            for (const auto& [id, s] : self->streams_) {
                if (s->response.more) {
                    release_body_source(*s);
                    nghttp2_session_resume_data(self->session_, id);
                }
            }
            self->flush();
        });
    }

    void close_now() override {
        asio::post(socket_.get_executor(), [self = this->shared_from_this()] { self->close(); });
    }

private:
    static Http2Connection& of(void* user_data) {
        return *static_cast<Http2Connection*>(user_data);
    }

    bool open_session() {
        nghttp2_session_callbacks* callbacks = nullptr;
        if (nghttp2_session_callbacks_new(&callbacks) != 0) {
            return false;
        }
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, &on_begin_headers);
        nghttp2_session_callbacks_set_on_header_callback(callbacks, &on_header);
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &on_data);
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &on_frame);
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &on_stream_close);
        int created = nghttp2_session_server_new(&session_, callbacks, this);
        nghttp2_session_callbacks_del(callbacks);
        if (created != 0) {
            return false;
        }
        const nghttp2_settings_entry settings[] = {
            {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams},
            {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kStreamWindow},
            {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, kHeaderLimit},
        };
        return nghttp2_submit_settings(
                   session_, NGHTTP2_FLAG_NONE, settings, std::size(settings)) == 0 &&
               nghttp2_session_set_local_window_size(
                   session_, NGHTTP2_FLAG_NONE, 0, kConnectionWindow) == 0;
    }

    void read() {
        arm_idle_timer();
        socket_.async_read_some(
            asio::buffer(read_buffer_),
            [self = this->shared_from_this()](boost::system::error_code ec, size_t n) {
                if (ec) {
                    self->close();
                    return;
                }
                self->feed(self->read_buffer_.data(), n);
            });
    }

    /// Hands bytes from the client to nghttp2 (which calls back for frames), then sends what it
    /// queued and reads on.
    void feed(const char* data, size_t size) {
        ssize_t used =
            nghttp2_session_mem_recv(session_, reinterpret_cast<const uint8_t*>(data), size);
        if (used < 0) {  // a protocol error: nghttp2 queued the GOAWAY that says which
            closing_ = true;
        }
        flush();
        if (!closing_ && nghttp2_session_want_read(session_)) {
            read();
        }
    }

    /// Writes what nghttp2 queued, one write at a time; closes once nothing is left to do.
    void flush() {
        if (writing_ || !socket_of(socket_).is_open()) {
            return;
        }
        for (;;) {
            const uint8_t* data = nullptr;
            ssize_t n = nghttp2_session_mem_send(session_, &data);
            if (n < 0) {
                close();
                return;
            }
            if (n == 0) {
                break;
            }
            out_.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
        }
        if (out_.empty()) {
            if ((closing_ && streams_.empty()) ||
                (!nghttp2_session_want_read(session_) && !nghttp2_session_want_write(session_))) {
                close();
            }
            return;
        }
        writing_ = true;
        asio::async_write(socket_,
                          asio::buffer(out_),
                          [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                              self->writing_ = false;
                              self->out_.clear();
                              if (ec) {
                                  self->close();
                                  return;
                              }
                              self->flush();
                          });
    }

    /// With no stream open, the connection closes after the idle timeout; with streams whose
    /// requests are still arriving, those get a 400 after the body timeout (as over HTTP/1.1),
    /// so that a client cannot hold a connection busy by never finishing a request.
    void arm_idle_timer() {
        idle_timer_.expires_after(streams_.empty()
                                      ? std::chrono::milliseconds(shared_->options.idle_timeout)
                                      : shared_->options.body_timeout);
        idle_timer_.async_wait([weak = this->weak_from_this()](boost::system::error_code ec) {
            auto self = weak.lock();
            if (ec || !self) {
                return;
            }
            if (self->streams_.empty()) {
                self->close();
                return;
            }
            self->answer_unfinished_requests();
            self->arm_idle_timer();
        });
    }

    void answer_unfinished_requests() {
        std::vector<std::pair<int32_t, std::shared_ptr<Stream>>> unfinished;
        for (const auto& [id, s] : streams_) {
            if (!s->dispatched) {
                unfinished.emplace_back(id, s);
            }
        }
        for (auto& [id, s] : unfinished) {
            s->dispatched = true;
            submit(id, *s, body_timed_out(shared_->options));
        }
    }

    void close() {
        for (const auto& [id, s] : streams_) {
            release_body_source(*s);
        }
        boost::system::error_code ec;
        idle_timer_.cancel();
        socket_of(socket_).shutdown(tcp::socket::shutdown_both, ec);
        socket_of(socket_).close(ec);
    }

    Stream* stream(int32_t id) {
        auto it = streams_.find(id);
        return it == streams_.end() ? nullptr : it->second.get();
    }

    static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
        Http2Connection& self = of(user_data);
        if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) {
            return 0;
        }
        if (self.buffered_ > kMaxBufferedBodies) {
            nghttp2_submit_rst_stream(
                self.session_, NGHTTP2_FLAG_NONE, frame->hd.stream_id, NGHTTP2_REFUSED_STREAM);
            return 0;
        }
        if (self.streams_.empty() && !self.shared_->connections.set_busy(&self)) {
            self.closing_ = true;  // evicted while idle
            return NGHTTP2_ERR_CALLBACK_FAILURE;
        }
        self.streams_.emplace(frame->hd.stream_id, std::make_shared<Stream>());
        return 0;
    }

    static int on_header(nghttp2_session*,
                         const nghttp2_frame* frame,
                         const uint8_t* name_bytes,
                         size_t name_length,
                         const uint8_t* value_bytes,
                         size_t value_length,
                         uint8_t,
                         void* user_data) {
        Stream* s = of(user_data).stream(frame->hd.stream_id);
        if (!s) {
            return 0;
        }
        std::string_view name(reinterpret_cast<const char*>(name_bytes), name_length);
        std::string_view value(reinterpret_cast<const char*>(value_bytes), value_length);
        s->header_bytes += name.size() + value.size();
        if (s->header_bytes > kHeaderLimit) {
            s->too_large = true;
            return 0;
        }
        if (name == ":method") {
            s->method = value;
        } else if (name == ":path") {
            s->path = value;
        } else if (name == ":authority") {
            s->authority = value;
        } else if (!name.starts_with(':')) {
            s->fields.emplace_back(name, value);
        }
        return 0;
    }

    static int on_data(nghttp2_session*,
                       uint8_t,
                       int32_t stream_id,
                       const uint8_t* data,
                       size_t length,
                       void* user_data) {
        Http2Connection& self = of(user_data);
        Stream* s = self.stream(stream_id);
        if (!s || s->too_large) {
            return 0;
        }
        if (s->body.size() + length > self.shared_->options.body_limit) {
            s->too_large = true;
            self.buffered_ -= s->body.size();
            s->body = std::string();
            return 0;
        }
        s->body.append(reinterpret_cast<const char*>(data), length);
        self.buffered_ += length;
        return 0;
    }

    static int on_frame(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
        bool request_done = (frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
                            (frame->hd.flags & NGHTTP2_FLAG_END_STREAM);
        if (request_done) {
            of(user_data).dispatch(frame->hd.stream_id);
        }
        return 0;
    }

    static int on_stream_close(nghttp2_session*, int32_t stream_id, uint32_t, void* user_data) {
        Http2Connection& self = of(user_data);
        auto it = self.streams_.find(stream_id);
        if (it == self.streams_.end()) {
            return 0;
        }
        self.buffered_ -= std::min(self.buffered_, it->second->body.size());
        release_body_source(*it->second);  // the client reset an event stream, or it ended
        self.streams_.erase(it);           // a handler still at work keeps its Stream alive
        if (self.streams_.empty()) {
            self.shared_->connections.set_idle(&self);
        }
        return 0;
    }

    /// Hands a complete request to the handler; its answer comes back on this strand.
    void dispatch(int32_t id) {
        auto it = streams_.find(id);
        if (it == streams_.end()) {
            return;
        }
        std::shared_ptr<Stream> s = it->second;
        if (s->dispatched) {
            return;  // answered already (its body timed out)
        }
        s->dispatched = true;
        if (s->too_large) {
            return submit(id,
                          *s,
                          rejection(413,
                                    "RequestEntityTooLargeException",
                                    fmt::format("Request headers must not exceed {} bytes and "
                                                "bodies {} bytes.",
                                                kHeaderLimit,
                                                shared_->options.body_limit)));
        }
        if (!s->authority.empty()) {
            // SigV4 signs the authority as `host` or, as the JS SDK does over HTTP/2, under the
            // pseudo-header's own name.
            s->fields.emplace_back(":authority", s->authority);
            if (s->field("host").empty()) {
                s->fields.emplace_back("host", s->authority);
            }
        }
        for (const auto& [name, value] : s->fields) {
            s->views.push_back({name, value});
        }
        HttpRequestView view{s->method,
                             s->field("x-amz-target"),
                             s->field("content-type"),
                             s->field("authorization"),
                             s->body,
                             s->path,
                             s->views};
        shared_->handler(view,
                         [self = this->shared_from_this(),
                          s,
                          id,
                          work = asio::make_work_guard(socket_.get_executor())](ApiResponse r) {
                             asio::dispatch(work.get_executor(),
                                            [self, s, id, r = std::move(r)]() mutable {
                                                if (self->stream(id) == s.get()) {
                                                    self->submit(id, *s, std::move(r));
                                                }
                                            });
                         });
    }

    void submit(int32_t id, Stream& s, ApiResponse response) {
        s.response = std::move(response);
        std::string status = std::to_string(s.response.status);
        std::string length = std::to_string(s.response.body.size());
        std::string request_id = random_request_id();
        std::string id2 = random_id2();
        auto nv = [](std::string_view name, std::string_view value) {
            return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                              reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())),
                              name.size(),
                              value.size(),
                              NGHTTP2_NV_FLAG_NONE};
        };
        std::vector<nghttp2_nv> headers{
            nv(":status", status),
            nv("server", "shardflow"),
            nv("x-amzn-requestid", request_id),
            nv("x-amz-id-2", id2),
        };
        if (!s.response.content_type.empty()) {  // AWS's XML refusals and preflights have none
            headers.push_back(nv("content-type", s.response.content_type));
        }
        if (!s.response.more) {
            headers.push_back(nv("content-length", length));
        }
        for (auto& [name, value] : s.response.headers) {
            // HTTP/2 header names are lower case (RFC 9113 §8.2.1).
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
                return static_cast<char>(std::tolower(c));
            });
            headers.push_back(nv(name, value));
        }
        nghttp2_data_provider body{};
        body.source.ptr = &s;
        body.read_callback = &read_body;
        nghttp2_submit_response(session_, id, headers.data(), headers.size(), &body);
        if (s.response.close && !closing_) {  // a refused client keeps no connection
            closing_ = true;
            nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE, id, NGHTTP2_NO_ERROR, nullptr, 0);
        }
        flush();
    }

    /// What flow control lets through of the body; a body with more to come is deferred until
    /// its source delivers the next part.
    static ssize_t read_body(nghttp2_session*,
                             int32_t id,
                             uint8_t* buffer,
                             size_t length,
                             uint32_t* flags,
                             nghttp2_data_source* source,
                             void* user_data) {
        auto& s = *static_cast<Stream*>(source->ptr);
        size_t n = std::min(length, s.response.body.size() - s.sent);
        std::copy_n(s.response.body.data() + s.sent, n, buffer);
        s.sent += n;
        if (s.sent < s.response.body.size()) {
            return static_cast<ssize_t>(n);
        }
        if (!s.response.more) {
            *flags |= NGHTTP2_DATA_FLAG_EOF;
            return static_cast<ssize_t>(n);
        }
        s.response.body.clear();
        s.sent = 0;
        if (!s.pulling) {
            of(user_data).pull_part(id);
        }
        if (n > 0) {
            return static_cast<ssize_t>(n);
        }
        return NGHTTP2_ERR_DEFERRED;
    }

    /// Asks stream `id`'s source for its next part. The answer is posted, never run inline: it
    /// resumes nghttp2, which may be the caller.
    void pull_part(int32_t id) {
        std::shared_ptr<Stream> s = streams_.at(id);
        s->pulling = true;
        s->response.more->pull([self = this->shared_from_this(),
                                s,
                                id,
                                work = asio::make_work_guard(socket_.get_executor())](
                                   std::optional<std::string> part) {
            asio::post(work.get_executor(), [self, s, id, part = std::move(part)]() mutable {
                if (self->stream(id) != s.get() || !s->pulling) {
                    return;
                }
                s->pulling = false;
                if (part) {
                    s->response.body.append(*part);
                } else {
                    s->response.more.reset();  // complete: EOF once the body is sent
                }
                nghttp2_session_resume_data(self->session_, id);
                self->flush();
            });
        });
    }

    static void release_body_source(Stream& s) {
        s.pulling = false;
        if (auto source = std::move(s.response.more)) {
            source->cancel();
        }
    }

    std::shared_ptr<Shared> shared_;
    Transport socket_;
    asio::steady_timer idle_timer_;
    nghttp2_session* session_ = nullptr;
    std::array<char, 64 * 1024> read_buffer_;
    std::string out_;
    bool writing_ = false;
    bool closing_ = false;  // GOAWAY sent: no new streams, close when the last one ends
    std::map<int32_t, std::shared_ptr<Stream>> streams_;
    size_t buffered_ = 0;  // body bytes of streams not yet closed
};

template <class Transport>
void serve(std::shared_ptr<Shared> shared,
           Transport transport,
           std::string received,
           const Closable* from) {
    auto connection = std::make_shared<Http2Connection<Transport>>(shared, std::move(transport));
    if (!shared->connections.hand_over(from, connection)) {
        return;  // evicted meanwhile: the socket closes with the connection
    }
    connection->start(std::move(received));
}

int select_alpn(SSL*,
                const unsigned char** out,
                unsigned char* out_length,
                const unsigned char* offered,
                unsigned int offered_length,
                void*) {
    static constexpr unsigned char kOurs[] = "\x02h2\x08http/1.1";
    unsigned char* chosen = nullptr;
    if (SSL_select_next_proto(
            &chosen, out_length, kOurs, sizeof kOurs - 1, offered, offered_length) !=
        OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_NOACK;  // a client that offers neither gets no ALPN: HTTP/1.1
    }
    *out = chosen;
    return SSL_TLSEXT_ERR_OK;
}

}  // namespace

void serve_http2(std::shared_ptr<Shared> shared,
                 asio::ip::tcp::socket socket,
                 std::string received,
                 const Closable* from) {
    serve(std::move(shared), std::move(socket), std::move(received), from);
}

void serve_http2(std::shared_ptr<Shared> shared, TlsStream stream, const Closable* from) {
    stream.next_layer().expires_never();  // the handshake's deadline: HTTP/2 has its own
    serve(std::move(shared), std::move(stream), std::string(), from);
}

void select_h2_or_http11(asio::ssl::context& tls) {
    SSL_CTX_set_alpn_select_cb(tls.native_handle(), &select_alpn, nullptr);
}

bool negotiated_h2(TlsStream& stream) {
    const unsigned char* protocol = nullptr;
    unsigned int length = 0;
    SSL_get0_alpn_selected(stream.native_handle(), &protocol, &length);
    return std::string_view(reinterpret_cast<const char*>(protocol), length) == "h2";
}

}  // namespace shardflow::api::detail
