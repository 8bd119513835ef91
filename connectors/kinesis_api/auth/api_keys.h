#pragma once
// API keys for HTTP ingestion, as API Gateway issues them to web producers: a client sends
// `x-api-key: KEY` and may post to the streams that key was issued for. The server keeps only
// SHA-256 hashes, one line a key in a file the operator owns:
//
//   # stream  sha256 of the key (hex)
//   clicks    2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae

#include "engine/common/error.h"

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace shardflow::api::auth {

/// Threading: immutable after load; allows() is safe from any thread.
class ApiKeys {
public:
    ApiKeys() = default;

    /// Every `stream hash` line; an error names the line of a malformed one.
    static Result<ApiKeys> load(const std::filesystem::path& file);
    /// A new random key (43 URL-safe characters, 256 bits).
    static std::string generate();
    /// Lower-case hex SHA-256 of `key`: what the file stores.
    static std::string hash(std::string_view key);

    /// Whether `key` was issued for `stream`.
    bool allows(std::string_view stream, std::string_view key) const;
    size_t size() const { return hashes_.size(); }

private:
    std::set<std::pair<std::string, std::string>, std::less<>> hashes_;  // (stream, hash)
};

}  // namespace shardflow::api::auth
