#pragma once
// The parts of an HTTP request the Kinesis protocol looks at, borrowed from the transport.

#include <algorithm>
#include <cctype>
#include <span>
#include <string_view>

namespace shardflow::api {

struct HttpHeader {
    std::string_view name;
    std::string_view value;
};

struct HttpRequestView {
    std::string_view method{};
    std::string_view target{};  // X-Amz-Target
    std::string_view content_type{};
    std::string_view authorization{};
    std::string_view body{};
    std::string_view uri = "/";             // request target: path and query
    std::span<const HttpHeader> headers{};  // every header as received, for signature checks
};

/// Header names compare without regard to case (RFC 9110).
inline bool same_header_name(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

/// The first value of header `name`, or empty.
inline std::string_view header_value(const HttpRequestView& request, std::string_view name) {
    for (const auto& h : request.headers) {
        if (same_header_name(h.name, name)) {
            return h.value;
        }
    }
    return {};
}

}  // namespace shardflow::api
