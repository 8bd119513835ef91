// Object names: a UTC timestamp and random ids.

#include "connectors/files/object_name.h"

#include "engine/common/date_pattern.h"

#include <fmt/format.h>

namespace shardflow::connectors::files {

RandomNames::RandomNames()
    : rng_(std::random_device{}()) {}

std::string RandomNames::uuid() {
    uint64_t hi = rng_();
    uint64_t lo = rng_();
    hi = (hi & ~0xF000ULL) | 0x4000ULL;            // version 4
    lo = (lo & ~(0x3ULL << 62)) | (0x2ULL << 62);  // RFC 4122 variant
    return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                       hi >> 32,
                       (hi >> 16) & 0xFFFF,
                       hi & 0xFFFF,
                       lo >> 48,
                       lo & 0xFFFFFFFFFFFFULL);
}

std::string RandomNames::random_string() {
    static constexpr std::string_view kAlphabet =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::uniform_int_distribution<size_t> pick(0, kAlphabet.size() - 1);
    std::string out(11, ' ');
    for (char& c : out) {
        c = kAlphabet[pick(rng_)];
    }
    return out;
}

std::string object_file_name(std::string_view stream,
                             EpochMillis first_arrival_ms,
                             std::string_view id,
                             std::string_view extension) {
    static const DatePattern kTime =
        DatePattern::parse("yyyy-MM-dd-HH-mm-ss", DatePattern::Syntax::kJava).value();
    return fmt::format("{}-1-{}-{}{}", stream, kTime.format(first_arrival_ms), id, extension);
}

}  // namespace shardflow::connectors::files
