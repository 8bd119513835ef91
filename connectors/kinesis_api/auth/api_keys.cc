// The API key file: load, hash, generate and check.

#include "connectors/kinesis_api/auth/api_keys.h"

#include "engine/common/base64.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace shardflow::api::auth {

Result<ApiKeys> ApiKeys::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) {
        return Error::make(ErrorCode::kInvalidArgument, "cannot read API key file {}", file.string());
    }
    ApiKeys keys;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        std::istringstream words(line);
        std::string stream, hash, extra;
        if (!(words >> stream) || stream.starts_with('#')) {
            continue;
        }
        if (!(words >> hash) || (words >> extra) || hash.size() != 64 ||
            !std::all_of(hash.begin(), hash.end(), [](char c) {
                return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            })) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "{}:{}: expected 'STREAM SHA256-HEX' (shardflow api-key writes "
                               "these lines)",
                               file.string(),
                               number);
        }
        keys.hashes_.emplace(std::move(stream), std::move(hash));
    }
    return keys;
}

std::string ApiKeys::generate() {
    unsigned char bytes[32];
    RAND_bytes(bytes, sizeof bytes);
    std::string key = base64_encode(std::string_view(reinterpret_cast<char*>(bytes), sizeof bytes));
    // URL-safe and unpadded, so it survives headers, query strings and shells.
    std::replace(key.begin(), key.end(), '+', '-');
    std::replace(key.begin(), key.end(), '/', '_');
    key.erase(key.find_last_not_of('=') + 1);
    return key;
}

std::string ApiKeys::hash(std::string_view key) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(key.data(), key.size(), digest, &size, EVP_sha256(), nullptr);
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        out += fmt::format("{:02x}", digest[i]);
    }
    return out;
}

bool ApiKeys::allows(std::string_view stream, std::string_view key) const {
    // The hash is compared, not the key: a timing difference tells nothing about a valid key.
    return !key.empty() && hashes_.contains(std::pair{std::string(stream), hash(key)});
}

}  // namespace shardflow::api::auth
