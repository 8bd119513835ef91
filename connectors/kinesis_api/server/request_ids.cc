#include "connectors/kinesis_api/server/request_ids.h"

#include "engine/common/base64.h"

#include <fmt/format.h>
#include <openssl/rand.h>

namespace shardflow::api::detail {

std::string random_request_id() {
    unsigned char b[16];
    RAND_bytes(b, sizeof b);
    b[6] = (b[6] & 0x0F) | 0x40;
    b[8] = (b[8] & 0x3F) | 0x80;
    return fmt::format(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:"
        "02x}{:02x}",
        b[0],
        b[1],
        b[2],
        b[3],
        b[4],
        b[5],
        b[6],
        b[7],
        b[8],
        b[9],
        b[10],
        b[11],
        b[12],
        b[13],
        b[14],
        b[15]);
}

std::string random_id2() {
    unsigned char b[72];
    RAND_bytes(b, sizeof b);
    return base64_encode(std::string_view(reinterpret_cast<const char*>(b), sizeof b));
}

}  // namespace shardflow::api::detail
