// MD5 hashing through OpenSSL's EVP interface and uint128 decimal conversion.

#include "engine/store/shards/hash_key.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>

namespace shardflow::store {

HashKey hash_key_for_partition_key(std::string_view partition_key) {
    // The algorithm is fetched once (an implicit fetch per call takes OpenSSL's provider locks)
    // and each thread reuses one context: both cost more than hashing a short key.
    static EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
    thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                             &EVP_MD_CTX_free);
    unsigned char digest[16];
    unsigned int len = 0;
    EVP_DigestInit_ex2(ctx.get(), md5, nullptr);
    EVP_DigestUpdate(ctx.get(), partition_key.data(), partition_key.size());
    EVP_DigestFinal_ex(ctx.get(), digest, &len);
    HashKey key = 0;
    for (unsigned char byte : digest) {
        key = (key << 8) | byte;
    }
    return key;
}

std::string hash_key_to_string(HashKey key) {
    if (key == 0) {
        return "0";
    }
    std::string digits;
    while (key != 0) {
        digits.push_back(static_cast<char>('0' + static_cast<int>(key % 10)));
        key /= 10;
    }
    std::reverse(digits.begin(), digits.end());
    return digits;
}

std::optional<HashKey> parse_hash_key(std::string_view text) {
    if (text.empty() || text.size() > 39 || (text.size() > 1 && text[0] == '0')) {
        return std::nullopt;
    }
    HashKey key = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        auto digit = static_cast<HashKey>(c - '0');
        if (key > (kMaxHashKey - digit) / 10) {
            return std::nullopt;
        }
        key = key * 10 + digit;
    }
    return key;
}

}  // namespace shardflow::store
