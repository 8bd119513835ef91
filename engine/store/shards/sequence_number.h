#pragma once
// Sequence numbers in the 56-digit layout real Kinesis uses (kinesalite's "version 2").
//
// The decimal string is a 188-bit number written as 47 hex digits:
//
//   digit  [0]       '2'
//          [1..10)   shard creation time, epoch seconds     (36 bits)
//          [10]      low nibble of the shard index
//          [11..27)  sequence index within the shard         (64 bits, top bit 0)
//          [27..29)  00
//          [29..38)  record arrival time, epoch seconds      (36 bits)
//          [38..46)  shard index                             (32 bits)
//          [46]      '2' (layout version)
//
// Within one shard the creation time is fixed, so numbers order by sequence index.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardflow::store {

/// The decoded fields of a sequence number.
struct SequenceNumber {
    int64_t shard_create_secs = 0;
    uint32_t shard_index = 0;
    uint64_t seq_ix = 0;
    int64_t arrival_secs = 0;

    /// The largest sequence index; a closed shard's EndingSequenceNumber carries it.
    static constexpr uint64_t kMaxSeqIx = 0x7FFFFFFFFFFFFFFFULL;

    std::string to_string() const;

    /// Decodes a version-2 sequence number; nullopt for anything else.
    static std::optional<SequenceNumber> parse(std::string_view text);

    auto operator<=>(const SequenceNumber&) const = default;
};

/// Formats the sequence numbers of one shard's records in increasing order. Each number is
/// the previous one plus a small delta, added in decimal: far cheaper than a full conversion.
/// Threading: one formatter per thread.
class SequenceFormatter {
public:
    SequenceFormatter(int64_t shard_create_secs, uint32_t shard_index)
        : create_secs_(shard_create_secs)
        , shard_index_(shard_index) {}

    std::string format(uint64_t seq_ix, int64_t arrival_secs);

private:
    int64_t create_secs_;
    uint32_t shard_index_;
    bool primed_ = false;
    uint64_t last_seq_ix_ = 0;
    int64_t last_arrival_secs_ = 0;
    std::string last_;
    std::string delta_digits_;  // the decimal form of the last delta, reused while it repeats
    uint64_t delta_seq_ = 0;
    int64_t delta_secs_ = -1;
};

}  // namespace shardflow::store
