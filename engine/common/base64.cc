// Table-driven base64 encode and strict decode.

#include "engine/common/base64.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace shardflow {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint8_t kInvalid = 0xFF;

constexpr std::array<uint8_t, 256> make_decode_table() {
    std::array<uint8_t, 256> t{};
    for (auto& v : t) {
        v = kInvalid;
    }
    for (uint8_t i = 0; i < 64; ++i) {
        t[static_cast<uint8_t>(kAlphabet[i])] = i;
    }
    return t;
}

constexpr auto kDecode = make_decode_table();

/// The two characters of every 12-bit group: a 24-bit group is written with two lookups.
constexpr std::array<std::array<char, 2>, 4096> make_pair_table() {
    std::array<std::array<char, 2>, 4096> t{};
    for (size_t i = 0; i < 4096; ++i) {
        t[i] = {kAlphabet[i >> 6], kAlphabet[i & 63]};
    }
    return t;
}

constexpr auto kPairs = make_pair_table();

}  // namespace

void base64_encode_into(std::string_view bytes, char* out) {
    const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
    size_t i = 0;
    size_t o = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        uint32_t v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
        std::memcpy(out + o, kPairs[v >> 12].data(), 2);
        std::memcpy(out + o + 2, kPairs[v & 0xFFF].data(), 2);
        o += 4;
    }
    size_t rest = bytes.size() - i;
    if (rest > 0) {
        uint32_t v = in[i] << 16;
        if (rest == 2) {
            v |= in[i + 1] << 8;
        }
        out[o++] = kAlphabet[v >> 18];
        out[o++] = kAlphabet[(v >> 12) & 63];
        out[o++] = rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
}

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.resize(base64_encoded_size(bytes.size()));
    base64_encode_into(bytes, out.data());
    return out;
}

std::optional<size_t> base64_decoded_size(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    size_t padding = 0;
    if (!text.empty() && text.back() == '=') {
        padding = (text.size() >= 2 && text[text.size() - 2] == '=') ? 2 : 1;
    }
    return text.size() / 4 * 3 - padding;
}

bool base64_decode_into(std::string_view text, char* out) {
    auto size = base64_decoded_size(text);
    if (!size) {
        return false;
    }
    const size_t padding = text.size() / 4 * 3 - *size;
    size_t o = 0;
    for (size_t i = 0; i < text.size(); i += 4) {
        bool last = i + 4 == text.size();
        uint32_t v = 0;
        for (size_t k = 0; k < 4; ++k) {
            auto c = static_cast<uint8_t>(text[i + k]);
            uint8_t d = kDecode[c];
            if (d == kInvalid) {
                if (!(last && c == '=' && k >= 4 - padding)) {
                    return false;
                }
                d = 0;
            }
            v = (v << 6) | d;
        }
        out[o++] = static_cast<char>(v >> 16);
        if (!last || padding < 2) {
            out[o++] = static_cast<char>((v >> 8) & 0xFF);
        }
        if (!last || padding < 1) {
            out[o++] = static_cast<char>(v & 0xFF);
        }
    }
    return true;
}

std::optional<std::string> base64_decode(std::string_view text) {
    auto size = base64_decoded_size(text);
    if (!size) {
        return std::nullopt;
    }
    std::string out(*size, '\0');
    if (!base64_decode_into(text, out.data())) {
        return std::nullopt;
    }
    return out;
}

}  // namespace shardflow
