#pragma once
// On-disk layout of a shard log: segment files of CRC-framed records, and their sparse index.
//
// A shard's directory holds segments named by the sequence index of their first record,
// `<seq_ix, 20 digits>.log`, each a run of frames (little-endian):
//
//   +--------+--------+--------+------------+--------+---------------+------+
//   | crc32c | length | seq_ix | arrival_ms | pk_len | partition key | data |
//   |   4    |   4    |   8    |     8      |   2    |    pk_len     |      |
//   +--------+--------+--------+------------+--------+---------------+------+
//
// `length` counts the bytes after itself; `crc32c` covers those same bytes. A frame whose
// length runs past the file end or whose CRC does not match is a torn tail: recovery cuts it.
//
// A sealed segment also has `<seq_ix>.idx`: a run of IndexEntry and a trailing crc32c of them.
// Arrival times never decrease within a shard, so one index serves lookups by sequence and time.

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace shardflow::store::log {

inline constexpr size_t kFrameHeaderSize = 26;
inline constexpr size_t kFrameCrcSize = 4;
inline constexpr size_t kFrameLengthFieldSize = 4;
inline constexpr size_t kFrameFixedBodySize = 18;  // seq_ix + arrival_ms + pk_len

/// One sparse index entry: the frame of `seq_ix` starts at byte `offset` of its segment.
struct IndexEntry {
    uint64_t seq_ix;
    uint64_t offset;
    int64_t arrival_ms;
};
static_assert(sizeof(IndexEntry) == 24);

/// A decoded frame header.
struct FrameHeader {
    uint32_t crc;
    uint32_t length;
    uint64_t seq_ix;
    int64_t arrival_ms;
    uint16_t pk_len;
};

inline FrameHeader decode_frame_header(const char* p) {
    FrameHeader h;
    std::memcpy(&h.crc, p, 4);
    std::memcpy(&h.length, p + 4, 4);
    std::memcpy(&h.seq_ix, p + 8, 8);
    std::memcpy(&h.arrival_ms, p + 16, 8);
    std::memcpy(&h.pk_len, p + 24, 2);
    return h;
}

std::string segment_file_name(uint64_t base_seq_ix);
std::string index_file_name(uint64_t base_seq_ix);
/// The base sequence index of `<20 digits><extension>` (".log" or ".idx"), nullopt for any
/// other name.
std::optional<uint64_t> parse_segment_file_name(std::string_view name, std::string_view extension);

}  // namespace shardflow::store::log
