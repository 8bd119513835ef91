// libFuzzer target: any bytes after the HTTP/2 preface, sent over a real h2c connection to a
// server whose handler answers at once, or with a body in parts (an event stream's shape). The
// connection must end cleanly (answered, reset or closed) whatever the frames say.

#include "connectors/kinesis_api/server/http_server.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace {

using namespace shardflow::api;

/// Three parts, delivered at once on each pull.
class ThreeParts final : public BodySource {
public:
    void pull(Deliver deliver) override {
        deliver(left_-- > 0 ? std::optional<std::string>("part") : std::nullopt);
    }
    void cancel() override {}

private:
    int left_ = 3;
};

uint16_t server_port() {
    static std::unique_ptr<HttpServer> server;
    static uint16_t port = 0;
    if (!server) {
        ServerOptions options;
        options.port = 0;
        options.threads = 2;
        options.header_timeout = std::chrono::seconds(2);
        options.idle_timeout = std::chrono::seconds(2);
        options.body_timeout = std::chrono::milliseconds(200);
        server = std::make_unique<HttpServer>(
            options, HttpServer::SyncHandler([](const HttpRequestView& r) {
                ApiResponse answer{200, "text/plain", std::string(r.target)};
                if (r.target == "stream") {
                    answer.more = std::make_shared<ThreeParts>();
                }
                return answer;
            }));
        port = *server->start();
    }
    return port;
}

}  // namespace

/// OpenSSL's per-thread random state (request ids) is never freed by the server's I/O threads,
/// which outlive the run here: not a leak of ours.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:CRYPTO_zalloc\n";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::string kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(server_port());
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
        std::string bytes = kPreface + std::string(reinterpret_cast<const char*>(data), size);
        (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        ::shutdown(fd, SHUT_WR);  // the server sees the end of input and finishes
        char buffer[16384];
        while (::recv(fd, buffer, sizeof buffer, 0) > 0) {
        }
    }
    ::close(fd);
    return 0;
}
