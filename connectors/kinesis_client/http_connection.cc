// Beast's timeouts only cover asynchronous operations, so each step is started asynchronously
// and the private io_context is run until it completes.

#include "connectors/kinesis_client/http_connection.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <optional>

namespace shardflow::connectors {
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

Result<HttpEndpoint> parse_http_endpoint(std::string_view url) {
    std::string_view rest = url;
    if (!rest.starts_with("http://")) {
        return Error::make(
            ErrorCode::kInvalidArgument, "the endpoint must be http://host:port, not '{}'", url);
    }
    rest.remove_prefix(7);
    if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
        if (slash + 1 != rest.size()) {
            return Error::make(
                ErrorCode::kInvalidArgument, "the endpoint must have no path, not '{}'", url);
        }
        rest = rest.substr(0, slash);
    }
    size_t colon = rest.rfind(':');
    HttpEndpoint out{std::string(rest.substr(0, colon)),
                     colon == std::string_view::npos ? "80" : std::string(rest.substr(colon + 1))};
    if (out.host.empty() || out.port.empty() ||
        out.port.find_first_not_of("0123456789") != std::string::npos) {
        return Error::make(
            ErrorCode::kInvalidArgument, "the endpoint must be http://host:port, not '{}'", url);
    }
    return out;
}

struct HttpConnection::Impl {
    explicit Impl(std::chrono::milliseconds t)
        : timeout(t) {}

    /// Starts `op` with a completion handler and runs the context until the handler has run.
    template <class Op>
    boost::system::error_code run(Op op) {
        boost::system::error_code result = boost::asio::error::would_block;
        op([&result](boost::system::error_code ec, auto&&...) { result = ec; });
        io.restart();
        io.run();
        return result;
    }

    boost::system::error_code connect(const HttpEndpoint& endpoint) {
        boost::system::error_code ec;
        tcp::resolver resolver(io);
        auto addresses = resolver.resolve(endpoint.host, endpoint.port, ec);
        if (ec) {
            return ec;
        }
        stream.emplace(io);
        stream->expires_after(timeout);
        ec = run([&](auto handler) { stream->async_connect(addresses, std::move(handler)); });
        if (ec) {
            stream.reset();
        }
        return ec;
    }

    boost::asio::io_context io;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    std::chrono::milliseconds timeout;
};

HttpConnection::HttpConnection(HttpEndpoint endpoint, std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint))
    , impl_(std::make_unique<Impl>(timeout)) {}

HttpConnection::~HttpConnection() = default;
HttpConnection::HttpConnection(HttpConnection&&) noexcept = default;
HttpConnection& HttpConnection::operator=(HttpConnection&&) noexcept = default;

Result<HttpResponse> HttpConnection::post(std::string_view path,
                                          const Headers& headers,
                                          std::string body) {
    http::request<http::string_body> request{http::verb::post, path, 11};
    request.set(http::field::host, endpoint_.authority());
    for (const auto& [name, value] : headers) {
        request.set(name, value);
    }
    request.body() = std::move(body);
    request.prepare_payload();
    boost::system::error_code ec;
    // A kept-alive connection the server has since closed fails on first use: retry once anew.
    for (int attempt = 0; attempt < 2; ++attempt) {
        bool reused = impl_->stream.has_value();
        if (!reused && (ec = impl_->connect(endpoint_))) {
            break;
        }
        impl_->stream->expires_after(impl_->timeout);
        ec = impl_->run(
            [&](auto handler) { http::async_write(*impl_->stream, request, std::move(handler)); });
        http::response<http::string_body> response;
        if (!ec) {
            impl_->stream->expires_after(impl_->timeout);
            impl_->buffer.clear();
            ec = impl_->run([&](auto handler) {
                http::async_read(*impl_->stream, impl_->buffer, response, std::move(handler));
            });
        }
        if (!ec) {
            if (!response.keep_alive()) {
                impl_->stream.reset();
            }
            return HttpResponse{static_cast<int>(response.result_int()),
                                std::move(response.body())};
        }
        impl_->stream.reset();
        if (!reused || ec == beast::error::timeout) {
            break;
        }
    }
    return Error::make(ErrorCode::kIoError, "cannot reach {} ({})", endpoint_.url(), ec.message());
}

}  // namespace shardflow::connectors
