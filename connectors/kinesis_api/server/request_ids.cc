#include "connectors/kinesis_api/server/request_ids.h"

#include "engine/common/base64.h"
#include "engine/common/hex.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <random>

namespace shardflow::api::detail {
namespace {

/// Ids only need to be unique, not secret: a per-thread generator seeded once from OpenSSL
/// costs a few nanoseconds, where RAND_bytes per response took a lock and a getpid each.
template <size_t N>
std::array<unsigned char, N> random_bytes() {
    thread_local std::mt19937_64 generator = [] {
        std::array<uint32_t, 8> seed{};
        RAND_bytes(reinterpret_cast<unsigned char*>(seed.data()), sizeof seed);
        std::seed_seq sequence(seed.begin(), seed.end());
        return std::mt19937_64(sequence);
    }();
    std::array<unsigned char, N> bytes;
    for (size_t i = 0; i < N; i += 8) {
        const uint64_t word = generator();
        std::memcpy(bytes.data() + i, &word, std::min<size_t>(8, N - i));
    }
    return bytes;
}

}  // namespace

std::string random_request_id() {
    auto b = random_bytes<16>();
    b[6] = (b[6] & 0x0F) | 0x40;  // version 4
    b[8] = (b[8] & 0x3F) | 0x80;  // RFC 4122 variant
    std::string id =
        hex_encode(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
    for (size_t at : {8, 13, 18, 23}) {  // 8-4-4-4-12
        id.insert(at, 1, '-');
    }
    return id;
}

std::string random_id2() {
    const auto b = random_bytes<72>();
    return base64_encode(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

}  // namespace shardflow::api::detail
