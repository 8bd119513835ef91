#pragma once
// HTTP/2 on the server's listener (libnghttp2): a plain connection that opens with the HTTP/2
// preface is served as h2c with prior knowledge, as the AWS SDK for JavaScript v3 sends every
// Kinesis call to an http:// endpoint; a TLS connection whose client chose `h2` by ALPN is
// served as HTTP/2 after its handshake. Many streams per connection, each a request for the same
// handler as HTTP/1.1; flow control and the limits of HTTP/1.1 (header and body sizes, idle
// timeout); GOAWAY when the server stops, so that requests in flight finish. Internal to the
// server.

#include "connectors/kinesis_api/server/connection_table.h"

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace shardflow::api::detail {

/// The client's connection preface (RFC 9113 §3.4).
inline constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Serves `socket` as HTTP/2 from now on. `received`: what was read of the connection so far
/// (the preface and perhaps more). The connection takes the place of `from` in the server's
/// connection table (closing at once if `from` was evicted meanwhile).
void serve_http2(std::shared_ptr<Shared> shared,
                 asio::ip::tcp::socket socket,
                 std::string received,
                 const Closable* from);

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// The same for a TLS connection after its handshake.
void serve_http2(std::shared_ptr<Shared> shared, TlsStream stream, const Closable* from);

/// The ALPN choice of a TLS server that speaks both: `h2` when the client offers it, else
/// `http/1.1`. Install on the server's context.
void select_h2_or_http11(asio::ssl::context& tls);
/// Whether the TLS connection's client chose `h2`.
bool negotiated_h2(TlsStream& stream);

}  // namespace shardflow::api::detail
