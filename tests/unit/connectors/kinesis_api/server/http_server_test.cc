// HttpServer over real loopback sockets: keep-alive, Connection: close from the handler, requests
// of the wrong size or speed answered with a Kinesis JSON error, caps on connections that idle
// ones cannot exhaust, the graceful stop, and TLS.

#include "connectors/kinesis_api/server/http_server.h"

#include "tests/support/temp_dir.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace shardflow::api {
namespace {

/// What the test client read of one response.
struct Reply {
    int status = 0;
    std::string headers;  // the header block, lower-cased
    std::string body;
};

/// A blocking HTTP/1.1 client on a POSIX socket; every read gives up after 10 s, generous
/// enough for a loaded machine, so that no test can hang.
class TestClient {
public:
    /// Connects from `from`, a loopback address, to the server on 127.0.0.1.
    explicit TestClient(uint16_t port, const char* from = "127.0.0.1")
        : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        timeval timeout{10, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        ::inet_pton(AF_INET, from, &local.sin_addr);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0 &&
                     ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~TestClient() {
        if (tls_) {
            SSL_free(tls_);
            SSL_CTX_free(tls_context_);
        }
        ::close(fd_);
    }
    TestClient(const TestClient&) = delete;
    TestClient& operator=(const TestClient&) = delete;

    bool connected() const { return connected_; }

    /// Runs a TLS handshake without verifying the server; later I/O goes through TLS.
    bool start_tls() {
        tls_context_ = SSL_CTX_new(TLS_client_method());
        // The server ends connections without close_notify, as HTTP/1.1 servers commonly do.
        SSL_CTX_set_options(tls_context_, SSL_OP_IGNORE_UNEXPECTED_EOF);
        tls_ = SSL_new(tls_context_);
        SSL_set_fd(tls_, fd_);
        return SSL_connect(tls_) == 1;
    }

    bool send(std::string_view data) {
        while (!data.empty()) {
            ssize_t n = tls_ ? SSL_write(tls_, data.data(), static_cast<int>(data.size()))
                             : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) {
                return false;
            }
            data.remove_prefix(static_cast<size_t>(n));
        }
        return true;
    }

    /// The next response, or nullopt when the connection ends or times out first.
    std::optional<Reply> read_reply() {
        size_t end;
        while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
            if (!fill()) {
                return std::nullopt;
            }
        }
        Reply reply;
        reply.headers = pending_.substr(0, end + 4);
        for (char& c : reply.headers) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        reply.status = std::atoi(reply.headers.c_str() + reply.headers.find(' ') + 1);
        size_t length = 0;
        if (size_t at = reply.headers.find("\r\ncontent-length:"); at != std::string::npos) {
            length = std::strtoul(reply.headers.c_str() + at + 17, nullptr, 10);
        }
        pending_.erase(0, end + 4);
        while (pending_.size() < length) {
            if (!fill()) {
                return std::nullopt;
            }
        }
        reply.body = pending_.substr(0, length);
        pending_.erase(0, length);
        return reply;
    }

    /// The next `n` bytes, or nullopt when the connection ends or times out first.
    std::optional<std::string> read_bytes(size_t n) {
        while (pending_.size() < n) {
            if (!fill()) {
                return std::nullopt;
            }
        }
        std::string out = pending_.substr(0, n);
        pending_.erase(0, n);
        return out;
    }

    /// True when the server closes the connection (end of stream or reset) within the timeout.
    bool closed_by_server() {
        char b[4096];
        for (;;) {
            ssize_t n = receive(b, sizeof b);
            if (n == 0 || (n < 0 && errno == ECONNRESET)) {
                return true;
            }
            if (n < 0) {
                return false;
            }
        }
    }

private:
    /// recv's contract, over TLS too: 0 at the end of the stream, -1 with errno on failure.
    ssize_t receive(char* b, size_t size) {
        if (!tls_) {
            return ::recv(fd_, b, size, 0);
        }
        errno = 0;
        int n = SSL_read(tls_, b, static_cast<int>(size));
        if (n > 0) {
            return n;
        }
        return SSL_get_error(tls_, n) == SSL_ERROR_ZERO_RETURN ? 0 : -1;
    }

    bool fill() {
        char b[4096];
        ssize_t n = receive(b, sizeof b);
        if (n <= 0) {
            return false;
        }
        pending_.append(b, static_cast<size_t>(n));
        return true;
    }

    int fd_;
    bool connected_ = false;
    SSL_CTX* tls_context_ = nullptr;
    SSL* tls_ = nullptr;
    std::string pending_;
};

std::string post(std::string_view target, std::string_view body = "{}") {
    return fmt::format(
        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: {}\r\nContent-Type: "
        "application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n{}",
        target,
        body.size(),
        body);
}

/// Sends a request and expects the handler's 200 with `target` as its body.
void expect_served(TestClient& client, std::string_view target) {
    ASSERT_TRUE(client.send(post(target)));
    auto reply = client.read_reply();
    ASSERT_TRUE(reply) << "no answer for " << target;
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body, target);
}

class HttpServerTest : public ::testing::Test {
protected:
    /// Starts a server whose handler answers 200 with the X-Amz-Target it received (with the
    /// body it received when that target is "echo"), asks for Connection: close when that
    /// target is "close", and waits for release() on "block".
    void start(ServerOptions options = {}) {
        options.port = 0;
        options.threads = 4;  // a blocked handler holds its connection's loop: one each
        server_ = std::make_unique<HttpServer>(options, [this](const HttpRequestView& r) {
            if (r.target == "block") {
                block();
            }
            return ApiResponse{.status = 200,
                               .content_type = "text/plain",
                               .body = std::string(r.target == "echo" ? r.body : r.target),
                               .close = r.target == "close"};
        });
        auto port = server_->start();
        ASSERT_TRUE(port) << port.error().message;
        port_ = *port;
    }

    void TearDown() override {
        release();
        if (server_) {
            server_->stop();
        }
    }

    /// Expects an error `status` with a Kinesis JSON body, then the end of the connection.
    static void expect_json_error(TestClient& client, int status, std::string_view type) {
        auto reply = client.read_reply();
        ASSERT_TRUE(reply) << "no answer, expected " << status;
        EXPECT_EQ(reply->status, status);
        EXPECT_NE(reply->headers.find("\r\ncontent-type: application/x-amz-json-1.1\r\n"),
                  std::string::npos)
            << reply->headers;
        boost::system::error_code ec;
        auto body = boost::json::parse(reply->body, ec);
        ASSERT_FALSE(ec) << reply->body;
        EXPECT_EQ(std::string_view(body.at("__type").as_string()), type);
        EXPECT_FALSE(body.at("message").as_string().empty());
        EXPECT_TRUE(client.closed_by_server());
    }

    /// Opens `n` connections from `from` that have each been served once and now idle, one
    /// after the other: each is idle on the server's side (which a loaded machine can delay
    /// after the client has its answer) before the next opens, so that the longest idle is
    /// the oldest.
    std::vector<std::unique_ptr<TestClient>> open_idle(size_t n, const char* from = "127.0.0.1") {
        std::vector<std::unique_ptr<TestClient>> clients;
        for (size_t i = 0; i < n; ++i) {
            clients.push_back(std::make_unique<TestClient>(port_, from));
            expect_served(*clients.back(), fmt::format("idle-{}", i));
            auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            while (server_->connections().idle < server_->connections().open &&
                   std::chrono::steady_clock::now() < until) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }
        return clients;
    }

    /// Waits (10 s at most) until `n` handlers are blocked.
    bool wait_blocked(int n) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return blocked_ >= n; });
    }

    void release() {
        {
            std::lock_guard lock(mu_);
            released_ = true;
        }
        cv_.notify_all();
    }

    std::unique_ptr<HttpServer> server_;
    uint16_t port_ = 0;

private:
    void block() {
        std::unique_lock lock(mu_);
        ++blocked_;
        cv_.notify_all();
        cv_.wait_for(lock, std::chrono::seconds(10), [&] { return released_; });
    }

    std::mutex mu_;
    std::condition_variable cv_;
    int blocked_ = 0;
    bool released_ = false;
};

TEST_F(HttpServerTest, KeepsTheConnectionAliveBetweenRequests) {
    start();
    TestClient client(port_);
    ASSERT_TRUE(client.connected());
    expect_served(client, "first");
    expect_served(client, "second");
}

TEST_F(HttpServerTest, ClosesTheConnectionWhenTheHandlerAsksForIt) {
    start();
    TestClient client(port_);
    ASSERT_TRUE(client.send(post("close")));
    auto reply = client.read_reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_NE(reply->headers.find("\r\nconnection: close\r\n"), std::string::npos)
        << reply->headers;
    EXPECT_TRUE(client.closed_by_server());
}

TEST_F(HttpServerTest, AnswersOversizedHeadersWith431) {
    start();
    TestClient client(port_);
    std::string request = post("big");
    request.insert(request.find("\r\n") + 2, "X-Big: " + std::string(100 * 1024, 'a') + "\r\n");
    ASSERT_TRUE(client.send(request));
    expect_json_error(client, 431, "RequestHeaderFieldsTooLargeException");
}

TEST_F(HttpServerTest, AnswersABodyOverTheLimitWith413WhetherSizedOrChunked) {
    ServerOptions options;
    options.body_limit = 1024;
    start(options);
    std::string chunked =
        "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 4; ++i) {
        chunked += fmt::format("{:x}\r\n{}\r\n", 1000, std::string(1000, 'a'));
    }
    for (const std::string& request :
         {post("big", std::string(4096, 'a')), chunked + "0\r\n\r\n"}) {
        TestClient client(port_);
        ASSERT_TRUE(client.send(request));
        expect_json_error(client, 413, "RequestEntityTooLargeException");
    }
}

TEST_F(HttpServerTest, AnswersABodyThatDoesNotCompleteWith400) {
    ServerOptions options;
    options.body_timeout = std::chrono::milliseconds(200);
    start(options);
    TestClient client(port_);
    std::string request = post("slow", std::string(100, 'a'));
    ASSERT_TRUE(client.send(request.substr(0, request.size() - 90)));
    expect_json_error(client, 400, "RequestTimeoutException");
}

TEST_F(HttpServerTest, ServesABodyThatArrivesInPieces) {
    start();
    TestClient client(port_);
    std::string request = post("pieces", std::string(100, 'a'));
    ASSERT_TRUE(client.send(request.substr(0, request.size() - 50)));
    ASSERT_TRUE(client.send(request.substr(request.size() - 50)));
    auto reply = client.read_reply();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body, "pieces");
}

TEST_F(HttpServerTest, ClosesTheLongestIdleConnectionToAdmitANewOneAtTheCap) {
    ServerOptions options;
    options.max_connections = 8;
    start(options);
    auto idle = open_idle(8);
    TestClient newcomer(port_);
    expect_served(newcomer, "newcomer");
    EXPECT_TRUE(idle[0]->closed_by_server());
    expect_served(*idle[1], "still open");
}

TEST_F(HttpServerTest, ServesEveryNewClientWhileIdleConnectionsPileUpThreefold) {
    ServerOptions options;
    options.max_connections = 8;
    start(options);
    auto idle = open_idle(24);
    for (size_t i = 0; i < 16; ++i) {
        EXPECT_TRUE(idle[i]->closed_by_server()) << i;
    }
    expect_served(*idle.back(), "newest");
}

TEST_F(HttpServerTest, ClosesTheLongestIdleConnectionOfTheSameAddressAtItsCap) {
    ServerOptions options;
    options.max_connections = 64;
    options.max_connections_per_address = 4;
    start(options);
    auto local = open_idle(4);
    auto other = open_idle(1, "127.0.0.2");
    expect_served(*local[0], "other addresses do not count");
    TestClient newcomer(port_);
    expect_served(newcomer, "newcomer");
    EXPECT_TRUE(local[1]->closed_by_server());
    expect_served(*local[0], "still open");
    expect_served(*other[0], "still open");
}

TEST_F(HttpServerTest, RefusesANewConnectionWhenEveryConnectionIsBusy) {
    ServerOptions options;
    options.max_connections = 2;
    start(options);
    TestClient first(port_);
    TestClient second(port_);
    ASSERT_TRUE(first.send(post("block")));
    ASSERT_TRUE(second.send(post("block")));
    ASSERT_TRUE(wait_blocked(2));
    TestClient refused(port_);
    EXPECT_TRUE(refused.closed_by_server());
    release();
    for (TestClient* client : {&first, &second}) {
        auto reply = client->read_reply();
        ASSERT_TRUE(reply);
        EXPECT_EQ(reply->status, 200);
    }
}

TEST_F(HttpServerTest, StopLetsTheRequestInFlightFinishAndClosesIdleConnections) {
    start();
    auto idle = open_idle(1);
    TestClient busy(port_);
    ASSERT_TRUE(busy.send(post("block")));
    ASSERT_TRUE(wait_blocked(1));
    std::thread stopper([&] { server_->stop(); });
    EXPECT_TRUE(idle[0]->closed_by_server());
    release();
    auto reply = busy.read_reply();
    stopper.join();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body, "block");
    EXPECT_NE(reply->headers.find("\r\nconnection: close\r\n"), std::string::npos);
}

/// An HTTP/2 frame (RFC 9113 §4.1).
std::string http2_frame(uint8_t type, uint8_t flags, uint32_t stream, std::string_view payload) {
    std::string frame;
    for (int shift : {16, 8, 0}) {
        frame += static_cast<char>((payload.size() >> shift) & 0xFF);
    }
    frame += static_cast<char>(type);
    frame += static_cast<char>(flags);
    for (int shift : {24, 16, 8, 0}) {
        frame += static_cast<char>((stream >> shift) & 0xFF);
    }
    return frame.append(payload);
}

TEST_F(HttpServerTest, AnHttp2RequestWhoseBodyNeverEndsGets400AfterTheBodyTimeout) {
    ServerOptions options;
    options.body_timeout = std::chrono::milliseconds(300);
    start(options);
    TestClient client(port_);
    constexpr uint8_t kHeaders = 1, kSettings = 4, kEndHeaders = 4;
    // HPACK: :method POST, :scheme http, :path / from the static table (indexes 3, 6, 4), and
    // :authority (index 1) with a literal value.
    std::string request_headers = "\x83\x86\x84\x01\x09localhost";
    ASSERT_TRUE(client.send(std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") +
                            http2_frame(kSettings, 0, 0, "") +
                            http2_frame(kHeaders, kEndHeaders, 1, request_headers)));
    auto started = std::chrono::steady_clock::now();
    for (;;) {  // the server's SETTINGS and the ACK of ours come first
        auto header = client.read_bytes(9);
        ASSERT_TRUE(header) << "no answer for the unfinished request";
        size_t length = (size_t(uint8_t((*header)[0])) << 16) |
                        (size_t(uint8_t((*header)[1])) << 8) | uint8_t((*header)[2]);
        auto payload = client.read_bytes(length);
        ASSERT_TRUE(payload);
        if ((*header)[3] == kHeaders) {
            EXPECT_EQ(uint8_t((*payload)[0]), 0x8C) << "HPACK :status 400 (static index 12)";
            break;
        }
    }
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(250));
}

TEST_F(HttpServerTest, IdleHttp2ConnectionsAreEvictedLikeHttp11Ones) {
    ServerOptions options;
    options.max_connections = 4;
    start(options);
    std::vector<std::unique_ptr<TestClient>> http2;
    for (int i = 0; i < 4; ++i) {
        http2.push_back(std::make_unique<TestClient>(port_));
        ASSERT_TRUE(http2.back()->send(std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") +
                                       http2_frame(4, 0, 0, "")));
        ASSERT_TRUE(http2.back()->read_bytes(9)) << "the server's SETTINGS";
    }
    auto newcomers = open_idle(4);  // each takes the place of the longest idle connection
    for (auto& client : http2) {
        EXPECT_TRUE(client->closed_by_server());
    }
}

/// A handler that answers "later" requests only when the test says, from a thread of its own,
/// and every other request at once.
class Deferred {
public:
    HttpServer::Handler handler() {
        return [this](const HttpRequestView& r, HttpServer::Respond respond) {
            if (r.target != "later") {
                return respond(ApiResponse{200, "text/plain", std::string(r.target)});
            }
            std::lock_guard lock(mu_);
            pending_.push_back(std::move(respond));
            cv_.notify_all();
        };
    }

    bool wait_pending(size_t n) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return pending_.size() >= n; });
    }

    /// Answers every pending request from another thread.
    void answer_all() {
        std::vector<HttpServer::Respond> pending;
        {
            std::lock_guard lock(mu_);
            pending.swap(pending_);
        }
        std::thread([pending = std::move(pending)] {
            for (const auto& respond : pending) {
                respond(ApiResponse{200, "text/plain", "answered later"});
            }
        }).join();
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<HttpServer::Respond> pending_;
};

TEST(HttpServerAsyncTest, AWaitingRequestHoldsNoIoThread) {
    Deferred deferred;
    ServerOptions options;
    options.port = 0;
    options.threads = 1;
    HttpServer server(options, deferred.handler());
    auto port = server.start();
    ASSERT_TRUE(port) << port.error().message;
    std::vector<std::unique_ptr<TestClient>> waiting;
    for (int i = 0; i < 3; ++i) {
        waiting.push_back(std::make_unique<TestClient>(*port));
        ASSERT_TRUE(waiting.back()->send(post("later")));
    }
    ASSERT_TRUE(deferred.wait_pending(3));
    TestClient other(*port);
    expect_served(other, "now");  // on the only I/O thread
    deferred.answer_all();
    for (auto& client : waiting) {
        auto reply = client->read_reply();
        ASSERT_TRUE(reply);
        EXPECT_EQ(reply->body, "answered later");
    }
    expect_served(*waiting[0], "kept alive");
}

TEST(HttpServerAsyncTest, StopWaitsForTheAnswerOfARequestInFlight) {
    Deferred deferred;
    ServerOptions options;
    options.port = 0;
    HttpServer server(options, deferred.handler());
    auto port = server.start();
    ASSERT_TRUE(port) << port.error().message;
    TestClient client(*port);
    ASSERT_TRUE(client.send(post("later")));
    ASSERT_TRUE(deferred.wait_pending(1));
    std::thread stopper([&] { server.stop(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    deferred.answer_all();
    auto reply = client.read_reply();
    stopper.join();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->body, "answered later");
    EXPECT_NE(reply->headers.find("\r\nconnection: close\r\n"), std::string::npos);
}

/// Large bodies are read straight into the request, and exactly them: what is pipelined behind
/// is the next request.
void expect_large_bodies_pipelined(TestClient& client) {
    const std::vector<std::string> bodies = {std::string(64 * 1024, 'a'),
                                             std::string(700 * 1024 + 3, 'b') + "end",
                                             "small",
                                             std::string(300 * 1024, 'c')};
    std::string requests;
    for (const std::string& body : bodies) {
        requests += post("echo", body);
    }
    ASSERT_TRUE(client.send(requests));
    for (const std::string& body : bodies) {
        auto reply = client.read_reply();
        ASSERT_TRUE(reply);
        EXPECT_EQ(reply->status, 200);
        EXPECT_EQ(reply->body.size(), body.size());
        EXPECT_TRUE(reply->body == body);
    }
}

TEST_F(HttpServerTest, ReadsLargeBodiesWholeAndPipelinedRequestsBehindThem) {
    start();
    TestClient client(port_);
    expect_large_bodies_pipelined(client);
    expect_served(client, "after");
}

TEST_F(HttpServerTest, AnswersALargeBodyThatDoesNotCompleteWith400) {
    ServerOptions options;
    options.body_timeout = std::chrono::milliseconds(200);
    start(options);
    TestClient client(port_);
    std::string request = post("slow", std::string(200 * 1024, 'a'));
    ASSERT_TRUE(client.send(request.substr(0, request.size() - 1000)));
    expect_json_error(client, 400, "RequestTimeoutException");
}

TEST_F(HttpServerTest, ServesAndTimesOutBodiesOverTls) {
    tests::TempDir dir;
    std::string cert = (dir.path() / "cert.pem").string();
    std::string key = (dir.path() / "key.pem").string();
    std::string make_cert = fmt::format(
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout {} -out "
        "{} >/dev/null 2>&1",
        key,
        cert);
    if (std::system(make_cert.c_str()) != 0) {
        GTEST_SKIP() << "no openssl command to make a certificate";
    }
    ServerOptions options;
    options.tls_cert = cert;
    options.tls_key = key;
    options.body_timeout = std::chrono::milliseconds(200);
    start(options);
    TestClient client(port_);
    ASSERT_TRUE(client.start_tls());
    expect_served(client, "first");
    expect_served(client, "second");
    expect_large_bodies_pipelined(client);
    std::string request = post("slow", std::string(100, 'a'));
    ASSERT_TRUE(client.send(request.substr(0, request.size() - 90)));
    expect_json_error(client, 400, "RequestTimeoutException");
}

}  // namespace
}  // namespace shardflow::api
