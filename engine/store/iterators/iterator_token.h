#pragma once
// Shard iterator tokens: opaque, tamper-proof, expiring after five minutes.
//
// Token = base64 of the bytes below; the 8-byte header is the outer shape real Kinesis and the
// public local peers use.
//
//   +-------------------------+-------+---------------------------+-----+
//   | 00 00 00 00 00 00 00 01 | nonce | AES-256-GCM(plaintext)    | tag |
//   |           8             |  12   | as long as the plaintext  | 16  |
//   +-------------------------+-------+---------------------------+-----+
//
// The header is bound as associated data, so a change to any byte fails the tag. The plaintext is
// `<created ms, 14 digits>/<stream>/<shard id>/<sequence number of the next record>/<stream id>`,
// padded with `/...` so that the token has AWS's length: 152 bytes plus a multiple of 16. At
// most 280 bytes for a 128-character stream name, 376 characters of base64, under Kinesis's
// 512-character limit.

#include "engine/common/clock.h"
#include "engine/common/error.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace shardflow::store {

/// Where an iterator points: the next record of a shard of one incarnation of a stream.
struct IteratorPosition {
    std::string stream_name;
    int64_t stream_id = 0;
    uint32_t shard_index = 0;
    int64_t shard_create_secs = 0;
    uint64_t seq_ix = 0;
    EpochMillis created_ms = 0;
};

/// Encrypts and authenticates iterator tokens with one server key (kept in the catalog).
/// Threading: immutable after construction; safe from any thread.
class IteratorCodec {
public:
    static constexpr EpochMillis kLifetimeMs = 5 * 60 * 1000;
    using Key = std::array<unsigned char, 32>;

    explicit IteratorCodec(const Key& key)
        : key_(key) {}

    std::string encode(const IteratorPosition& position) const;

    /// InvalidArgumentException "Invalid ShardIterator." for anything encode did not make with
    /// this key (or made in the future), ExpiredIteratorException for an authentic token older
    /// than five minutes at `now_ms`.
    Result<IteratorPosition> decode(std::string_view token, EpochMillis now_ms) const;

private:
    Key key_;
};

}  // namespace shardflow::store
