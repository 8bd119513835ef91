// Packing the sequence number fields into 188 bits and converting to and from decimal.

#include "engine/store/shards/sequence_number.h"

#include "engine/common/uint128.h"

#include <fmt/format.h>

#include <algorithm>

namespace shardflow::store {
namespace {

// The 188-bit number as a high word (bits 128..187) and a low 128-bit word.
struct Packed {
    uint64_t hi = 0;
    uint128 lo = 0;
};

// Bit positions (from the least significant) of each field of the 47-hex-digit layout.
constexpr int kShardIndexShift = 4;
constexpr int kArrivalShift = 36;
constexpr int kByte1Shift = 72;
constexpr int kSeqIxShift = 80;
constexpr int kSeqIxLowBits = 128 - kSeqIxShift;  // the rest of the index spills into `hi`
constexpr int kShardNibbleShiftHi = 144 - 128;
constexpr int kCreateShiftHi = 148 - 128;
constexpr int kLeadShiftHi = 184 - 128;
constexpr uint64_t kMask36 = (1ULL << 36) - 1;
constexpr uint64_t kTenPow19 = 10000000000000000000ULL;

// Divides the 192-bit number {hi, lo} by d in place and returns the remainder.
uint64_t divide(Packed& n, uint64_t d) {
    uint64_t limbs[3] = {n.hi, static_cast<uint64_t>(n.lo >> 64), static_cast<uint64_t>(n.lo)};
    uint128 rem = 0;
    for (auto& limb : limbs) {
        uint128 cur = (rem << 64) | limb;
        limb = static_cast<uint64_t>(cur / d);
        rem = cur % d;
    }
    n.hi = limbs[0];
    n.lo = (static_cast<uint128>(limbs[1]) << 64) | limbs[2];
    return static_cast<uint64_t>(rem);
}

}  // namespace

std::string SequenceNumber::to_string() const {
    using u128 = uint128;
    Packed n;
    n.lo = u128{2} | (u128{shard_index} << kShardIndexShift) |
           (u128{static_cast<uint64_t>(arrival_secs) & kMask36} << kArrivalShift) |
           (u128{seq_ix} << kSeqIxShift);
    n.hi = (seq_ix >> kSeqIxLowBits) | (uint64_t{shard_index & 0xF} << kShardNibbleShiftHi) |
           ((static_cast<uint64_t>(shard_create_secs) & kMask36) << kCreateShiftHi) |
           (uint64_t{2} << kLeadShiftHi);

    // 188 bits < 10^57: three chunks of 19 digits cover it.
    uint64_t chunks[3];
    for (int i = 2; i >= 0; --i) {
        chunks[i] = divide(n, kTenPow19);
    }
    char buf[57];
    int len = 0;
    for (uint64_t chunk : chunks) {
        char digits[19];
        for (int d = 18; d >= 0; --d) {
            digits[d] = static_cast<char>('0' + chunk % 10);
            chunk /= 10;
        }
        for (char c : digits) {
            if (len > 0 || c != '0') {
                buf[len++] = c;
            }
        }
    }
    return std::string(buf, len);
}

std::optional<SequenceNumber> SequenceNumber::parse(std::string_view text) {
    using u128 = uint128;
    if (text.empty() || text.size() > 57 || text[0] == '0') {
        return std::nullopt;
    }
    Packed n;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        // n = n * 10 + digit over 192 bits, failing on overflow.
        u128 lo_lo = (n.lo & ~uint64_t{0}) * 10 + static_cast<unsigned>(c - '0');
        u128 lo_hi = (n.lo >> 64) * 10 + (lo_lo >> 64);
        u128 hi = u128{n.hi} * 10 + (lo_hi >> 64);
        if ((hi >> 64) != 0) {
            return std::nullopt;
        }
        n.lo = (lo_hi << 64) | static_cast<uint64_t>(lo_lo);
        n.hi = static_cast<uint64_t>(hi);
    }
    auto field = [](u128 word, int shift, uint64_t mask) {
        return static_cast<uint64_t>(word >> shift) & mask;
    };
    if ((n.hi >> (kLeadShiftHi + 4)) != 0 || ((n.hi >> kLeadShiftHi) & 0xF) != 2 ||
        field(n.lo, 0, 0xF) != 2 || field(n.lo, kByte1Shift, 0xFF) != 0) {
        return std::nullopt;
    }
    SequenceNumber seq;
    seq.shard_create_secs = static_cast<int64_t>((n.hi >> kCreateShiftHi) & kMask36);
    seq.shard_index = static_cast<uint32_t>(field(n.lo, kShardIndexShift, 0xFFFFFFFF));
    seq.seq_ix = static_cast<uint64_t>(n.lo >> kSeqIxShift) | ((n.hi & 0xFFFF) << kSeqIxLowBits);
    seq.arrival_secs = static_cast<int64_t>(field(n.lo, kArrivalShift, kMask36));
    if ((seq.shard_index & 0xF) != ((n.hi >> kShardNibbleShiftHi) & 0xF) ||
        seq.seq_ix > kMaxSeqIx) {
        return std::nullopt;
    }
    return seq;
}

std::string SequenceFormatter::format(uint64_t seq_ix, int64_t arrival_secs) {
    if (!primed_ || seq_ix < last_seq_ix_ || arrival_secs < last_arrival_secs_) {
        primed_ = true;
        last_seq_ix_ = seq_ix;
        last_arrival_secs_ = arrival_secs;
        last_ = SequenceNumber{create_secs_, shard_index_, seq_ix, arrival_secs}.to_string();
        return last_;
    }
    uint64_t dseq = seq_ix - last_seq_ix_;
    int64_t dsecs = arrival_secs - last_arrival_secs_;
    if (dseq != delta_seq_ || dsecs != delta_secs_) {
        // delta = dseq * 2^80 + dsecs * 2^36: the same packing with every other field zero.
        Packed delta;
        delta.lo = (uint128{dseq} << kSeqIxShift) |
                   (uint128{static_cast<uint64_t>(dsecs)} << kArrivalShift);
        delta.hi = dseq >> kSeqIxLowBits;
        uint64_t chunks[3];
        for (int i = 2; i >= 0; --i) {
            chunks[i] = divide(delta, kTenPow19);
        }
        delta_digits_ = fmt::format("{}{:019}{:019}", chunks[0], chunks[1], chunks[2]);
        delta_digits_.erase(
            0, std::min(delta_digits_.find_first_not_of('0'), delta_digits_.size() - 1));
        delta_seq_ = dseq;
        delta_secs_ = dsecs;
    }
    // last_ += delta_digits_, right-aligned decimal addition.
    int carry = 0;
    auto li = static_cast<std::ptrdiff_t>(last_.size()) - 1;
    for (auto di = static_cast<std::ptrdiff_t>(delta_digits_.size()) - 1;
         li >= 0 && (di >= 0 || carry);
         --li, --di) {
        int sum = (last_[li] - '0') + (di >= 0 ? delta_digits_[di] - '0' : 0) + carry;
        carry = sum >= 10 ? 1 : 0;
        last_[li] = static_cast<char>('0' + sum - 10 * carry);
    }
    last_seq_ix_ = seq_ix;
    last_arrival_secs_ = arrival_secs;
    if (carry) {  // one digit longer: rare enough to convert in full
        last_ = SequenceNumber{create_secs_, shard_index_, seq_ix, arrival_secs}.to_string();
    }
    return last_;
}

}  // namespace shardflow::store
