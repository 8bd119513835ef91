// SigV4 pieces, following the "Create a signed AWS API request" steps of the IAM guide.

#include "connectors/kinesis_api/auth/sigv4.h"

#include "engine/common/hex.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace shardflow::api::auth {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view data) {
    Digest out{};
    EVP_Digest(data.data(), data.size(), out.data(), nullptr, EVP_sha256(), nullptr);
    return out;
}

Digest hmac(std::string_view key, std::string_view data) {
    Digest out{};
    unsigned int length = 0;
    HMAC(EVP_sha256(),
         key.data(),
         static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()),
         data.size(),
         out.data(),
         &length);
    return out;
}

std::string_view as_view(const Digest& d) {
    return {reinterpret_cast<const char*>(d.data()), d.size()};
}

std::string hex(const Digest& d) {
    return hex_encode(as_view(d));
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

/// RFC 3986 encoding of the path as the SDKs send it; '/' stays, everything else not
/// unreserved is %XX (so an already-encoded path is encoded twice, as SigV4 wants).
std::string canonical_uri(std::string_view path) {
    if (path.empty()) {
        return "/";
    }
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
            out += static_cast<char>(c);
        } else {
            out += fmt::format("%{:02X}", c);
        }
    }
    return out;
}

std::string canonical_query(std::string_view query) {
    std::vector<std::string> pairs;
    while (!query.empty()) {
        size_t amp = query.find('&');
        std::string pair(query.substr(0, amp));
        if (!pair.empty()) {
            pairs.push_back(pair.find('=') == std::string::npos ? pair + "=" : pair);
        }
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& p : pairs) {
        out += out.empty() ? "" : "&";
        out += p;
    }
    return out;
}

/// Values of every header named `name`, trimmed, inner runs of spaces collapsed, joined by ','.
std::string canonical_header_value(const HttpRequestView& request, std::string_view name) {
    std::string out;
    bool first = true;
    for (const auto& h : request.headers) {
        if (!same_header_name(h.name, name)) {
            continue;
        }
        out += first ? "" : ",";
        first = false;
        bool in_space = false;
        for (char c : trim(h.value)) {
            if (c == ' ' || c == '\t') {
                in_space = true;
                continue;
            }
            if (in_space) {
                out += ' ';
                in_space = false;
            }
            out += c;
        }
    }
    return out;
}

Error incomplete(std::string_view part, std::string_view header) {
    return Error::make(ErrorCode::kIncompleteSignature,
                       "Authorization header requires '{}' parameter. Authorization={}",
                       part,
                       header);
}

/// The value of `key=` in the comma-separated parameter list, or empty.
std::string_view parameter(std::string_view params, std::string_view key) {
    size_t at = 0;
    while (at < params.size()) {
        size_t comma = params.find(',', at);
        std::string_view item = trim(params.substr(
            at, comma == std::string_view::npos ? std::string_view::npos : comma - at));
        if (item.size() > key.size() && item.starts_with(key) && item[key.size()] == '=') {
            return item.substr(key.size() + 1);
        }
        if (comma == std::string_view::npos) {
            break;
        }
        at = comma + 1;
    }
    return {};
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    size_t at = 0;
    while (true) {
        size_t next = s.find(sep, at);
        out.emplace_back(
            s.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
        if (next == std::string_view::npos) {
            return out;
        }
        at = next + 1;
    }
}

}  // namespace

std::string SigV4Authorization::scope() const {
    return fmt::format("{}/{}/{}/aws4_request", date, region, service);
}

Result<SigV4Authorization> parse_authorization(std::string_view header) {
    if (!header.starts_with(kAlgorithm) || header.size() == kAlgorithm.size() ||
        header[kAlgorithm.size()] != ' ') {
        return Error::make(ErrorCode::kIncompleteSignature,
                           "Authorization header requires the '{}' algorithm. Authorization={}",
                           kAlgorithm,
                           header);
    }
    std::string_view params = header.substr(kAlgorithm.size() + 1);
    std::string_view credential = parameter(params, "Credential");
    std::string_view signed_headers = parameter(params, "SignedHeaders");
    std::string_view signature = parameter(params, "Signature");
    for (auto [name, value] : {std::pair{"Credential", credential},
                               {"SignedHeaders", signed_headers},
                               {"Signature", signature}}) {
        if (value.empty()) {
            return incomplete(name, header);
        }
    }
    auto scope = split(credential, '/');
    if (scope.size() != 5 || scope[4] != "aws4_request" || scope[1].size() != 8) {
        return Error::make(ErrorCode::kIncompleteSignature,
                           "Credential must have exactly 5 slash-delimited elements, e.g. "
                           "keyid/date/region/service/aws4_request, got '{}'",
                           credential);
    }
    SigV4Authorization out;
    out.access_key = scope[0];
    out.date = scope[1];
    out.region = scope[2];
    out.service = scope[3];
    out.signed_headers = split(signed_headers, ';');
    out.signature = signature;
    return out;
}

std::string canonical_request(const HttpRequestView& request,
                              const std::vector<std::string>& signed_headers) {
    std::string_view uri = request.uri;
    size_t question = uri.find('?');
    std::string out = fmt::format(
        "{}\n{}\n{}\n",
        request.method,
        canonical_uri(uri.substr(0, question)),
        question == std::string_view::npos ? "" : canonical_query(uri.substr(question + 1)));
    std::string names;
    for (const auto& name : signed_headers) {
        out += fmt::format("{}:{}\n", name, canonical_header_value(request, name));
        names += names.empty() ? "" : ";";
        names += name;
    }
    out += fmt::format("\n{}\n{}", names, hex(sha256(request.body)));
    return out;
}

std::string string_to_sign(std::string_view amz_date,
                           std::string_view scope,
                           std::string_view canonical_request) {
    return fmt::format(
        "{}\n{}\n{}\n{}", kAlgorithm, amz_date, scope, hex(sha256(canonical_request)));
}

std::string signature(std::string_view secret,
                      const SigV4Authorization& scope,
                      std::string_view string_to_sign) {
    Digest key = hmac(fmt::format("AWS4{}", secret), scope.date);
    key = hmac(as_view(key), scope.region);
    key = hmac(as_view(key), scope.service);
    key = hmac(as_view(key), "aws4_request");
    return hex(hmac(as_view(key), string_to_sign));
}

}  // namespace shardflow::api::auth
