// raw_drain: reads a whole stream through GetRecords as fast as one connection allows, without
// parsing the answers (records are counted, the next iterator is found by its member name), so
// that the figure is the server's, not a JSON parser's. Python's reader is bound by json.loads
// of 10,000-record answers long before the server is.
//
//   raw_drain --port 4567 --stream bench [--limit 10000] [--server-pid PID] [--max-seconds 120]
//
// Prints one JSON line: records, calls, wall seconds, records/s and, with --server-pid, the
// server's CPU seconds over the drain. Plain HTTP to 127.0.0.1 only.

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

/// One keep-alive HTTP/1.1 connection that posts Kinesis JSON 1.1 calls.
class Connection {
public:
    explicit Connection(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            fmt::print(stderr,
                       "raw_drain: cannot connect to 127.0.0.1:{}: {}\n",
                       port,
                       std::strerror(errno));
            std::exit(1);
        }
    }
    ~Connection() { ::close(fd_); }

    /// The body of the answer to `action` with `body`; exits on anything but a 200.
    const std::string& call(std::string_view action, std::string_view body) {
        std::string request = fmt::format(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
            "X-Amz-Target: Kinesis_20131202.{}\r\nX-Amz-Date: 20261123T000000Z\r\n"
            "Authorization: AWS4-HMAC-SHA256 Credential=x/20261123/us-east-1/kinesis/"
            "aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0000\r\n"
            "Content-Length: {}\r\n\r\n{}",
            action,
            body.size(),
            body);
        for (size_t sent = 0; sent < request.size();) {
            ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, 0);
            if (n <= 0) {
                fail("send");
            }
            sent += static_cast<size_t>(n);
        }
        read_answer();
        return body_;
    }

private:
    [[noreturn]] static void fail(std::string_view what) {
        fmt::print(stderr, "raw_drain: {} failed\n", what);
        std::exit(1);
    }

    void read_answer() {
        size_t header_end;
        while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
            receive();
        }
        std::string_view head(buffer_.data(), header_end);
        if (!head.starts_with("HTTP/1.1 200")) {
            fmt::print(stderr, "raw_drain: {}\n", buffer_.substr(0, 2000));
            std::exit(1);
        }
        size_t length_at = head.find("\r\nContent-Length: ");
        if (length_at == std::string_view::npos) {
            length_at = head.find("\r\ncontent-length: ");
        }
        if (length_at == std::string_view::npos) {
            fail("finding Content-Length");
        }
        size_t length = std::strtoull(head.data() + length_at + 18, nullptr, 10);
        size_t body_start = header_end + 4;
        while (buffer_.size() < body_start + length) {
            receive();
        }
        body_.assign(buffer_, body_start, length);
        buffer_.erase(0, body_start + length);
    }

    void receive() {
        char chunk[1 << 16];
        ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) {
            fail("recv");
        }
        buffer_.append(chunk, static_cast<size_t>(n));
    }

    int fd_ = -1;
    std::string buffer_;
    std::string body_;
};

/// The string value of member `name` in `json`, found by its name (ids and iterators need no
/// unescaping).
std::optional<std::string> member(std::string_view json, std::string_view name, size_t from = 0) {
    std::string key = fmt::format("\"{}\":\"", name);
    size_t at = json.find(key, from);
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    size_t start = at + key.size();
    return std::string(json.substr(start, json.find('"', start) - start));
}

size_t count(std::string_view text, std::string_view what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) {
        ++n;
    }
    return n;
}

double cpu_seconds_of(int pid) {
    std::ifstream in(fmt::format("/proc/{}/stat", pid));
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; fields >> field; ++i) {
        if (i == 14 || i == 15) {  // utime, stime
            ticks += std::stod(field);
        }
    }
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

int main(int argc, char** argv) {
    int port = 4567;
    std::string stream = "bench";
    int limit = 10000;
    int server_pid = 0;
    double max_seconds = 120;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string_view flag = argv[i];
        if (flag == "--port") {
            port = std::atoi(argv[i + 1]);
        } else if (flag == "--stream") {
            stream = argv[i + 1];
        } else if (flag == "--limit") {
            limit = std::atoi(argv[i + 1]);
        } else if (flag == "--server-pid") {
            server_pid = std::atoi(argv[i + 1]);
        } else if (flag == "--max-seconds") {
            max_seconds = std::atof(argv[i + 1]);
        } else {
            fmt::print(stderr, "raw_drain: unknown flag {}\n", flag);
            return 2;
        }
    }
    Connection connection(port);
    std::vector<std::string> shards;
    std::string shard_list =
        connection.call("ListShards", fmt::format("{{\"StreamName\":\"{}\"}}", stream));
    for (size_t at = 0;;) {
        auto id = member(shard_list, "ShardId", at);
        if (!id) {
            break;
        }
        at = shard_list.find(*id, at) + id->size();
        shards.push_back(*id);
    }
    auto started = std::chrono::steady_clock::now();
    double cpu_before = server_pid ? cpu_seconds_of(server_pid) : 0;
    size_t records = 0;
    size_t calls = 0;
    bool timed_out = false;
    for (const auto& shard : shards) {
        auto iterator = member(connection.call("GetShardIterator",
                                               fmt::format("{{\"StreamName\":\"{}\",\"ShardId\":"
                                                           "\"{}\",\"ShardIteratorType\":"
                                                           "\"TRIM_HORIZON\"}}",
                                                           stream,
                                                           shard)),
                               "ShardIterator");
        while (iterator) {
            const std::string& answer = connection.call(
                "GetRecords",
                fmt::format("{{\"ShardIterator\":\"{}\",\"Limit\":{}}}", *iterator, limit));
            ++calls;
            size_t got = count(answer, "\"SequenceNumber\"");
            records += got;
            iterator = member(answer, "NextShardIterator");
            if (got == 0) {
                break;  // at the tail of an open shard
            }
            if (std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() >
                max_seconds) {
                timed_out = true;
                break;
            }
        }
    }
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print(
        "{{\"client\": \"raw_drain\", \"records\": {}, \"calls\": {}, \"wall_s\": {:.3f}, "
        "\"rec_s\": {:.0f}, \"server_cpu_s\": {:.2f}, \"timed_out\": {}}}\n",
        records,
        calls,
        wall,
        static_cast<double>(records) / wall,
        server_pid ? cpu_seconds_of(server_pid) - cpu_before : 0.0,
        timed_out);
    return 0;
}
