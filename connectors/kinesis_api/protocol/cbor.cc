// A CBOR reader over the whole body (definite and indefinite lengths, half/single/double
// floats) and a writer of the shortest heads, as RFC 8949 §4.2 prefers.

#include "connectors/kinesis_api/protocol/cbor.h"

#include "engine/common/base64.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace shardflow::api {
namespace json = boost::json;
namespace {

constexpr int kMaxDepth = 64;
constexpr uint8_t kBreak = 0xFF;
constexpr uint64_t kIndefinite = std::numeric_limits<uint64_t>::max();

enum Major : uint8_t {
    kUnsigned = 0,
    kNegative = 1,
    kBytes = 2,
    kText = 3,
    kArray = 4,
    kMap = 5,
    kTag = 6,
    kSimple = 7,
};

Error malformed(std::string_view why) {
    return Error::make(ErrorCode::kSerialization, "Malformed CBOR body: {}.", why);
}

double half_to_double(uint16_t half) {  // RFC 8949 Appendix D
    int exponent = (half >> 10) & 0x1F;
    int mantissa = half & 0x3FF;
    double value = exponent == 0    ? std::ldexp(mantissa, -24)
                   : exponent == 31 ? (mantissa == 0 ? INFINITY : NAN)
                                    : std::ldexp(mantissa + 1024, exponent - 25);
    return (half & 0x8000) ? -value : value;
}

class Reader {
public:
    explicit Reader(std::string_view in)
        : in_(in) {}

    Result<json::value> value(int depth) {
        if (depth > kMaxDepth) {
            return malformed("nested too deep");
        }
        SF_ASSIGN_OR_RETURN(uint8_t initial, byte());
        auto major = static_cast<Major>(initial >> 5);
        uint8_t info = initial & 0x1F;
        if (major == kSimple) {
            return simple(info);
        }
        SF_ASSIGN_OR_RETURN(uint64_t argument, this->argument(info, major));
        switch (major) {
            case kUnsigned:
                if (argument <= uint64_t(std::numeric_limits<int64_t>::max())) {
                    return json::value(static_cast<int64_t>(argument));
                }
                return json::value(argument);
            case kNegative:
                if (argument > uint64_t(std::numeric_limits<int64_t>::max())) {
                    return malformed("a negative integer beyond 64 bits");
                }
                return json::value(-1 - static_cast<int64_t>(argument));
            case kBytes: {
                SF_ASSIGN_OR_RETURN(std::string bytes, string(kBytes, argument));
                return json::value(base64_encode(bytes));
            }
            case kText: {
                SF_ASSIGN_OR_RETURN(std::string text, string(kText, argument));
                return json::value(std::move(text));
            }
            case kArray:
                return array(argument, depth);
            case kMap:
                return map(argument, depth);
            case kTag:
                return tagged(argument, depth);
            case kSimple:
                break;
        }
        return malformed("an unknown major type");
    }

    bool at_end() const { return at_ == in_.size(); }

private:
    Result<uint8_t> byte() {
        if (at_ >= in_.size()) {
            return malformed("it ends early");
        }
        return static_cast<uint8_t>(in_[at_++]);
    }

    Result<uint64_t> big_endian(size_t bytes) {
        if (in_.size() - at_ < bytes) {
            return malformed("it ends early");
        }
        uint64_t out = 0;
        for (size_t i = 0; i < bytes; ++i) {
            out = (out << 8) | static_cast<uint8_t>(in_[at_++]);
        }
        return out;
    }

    /// The head's argument: a value, a length or kIndefinite (31, for strings and containers).
    Result<uint64_t> argument(uint8_t info, Major major) {
        if (info < 24) {
            return uint64_t{info};
        }
        if (info <= 27) {
            return big_endian(size_t{1} << (info - 24));
        }
        if (info == 31 && major >= kBytes && major <= kMap) {
            return kIndefinite;
        }
        return malformed("a reserved additional information value");
    }

    /// A definite string, or an indefinite one of definite chunks of the same major type.
    Result<std::string> string(Major major, uint64_t length) {
        if (length != kIndefinite) {
            if (length > in_.size() - at_) {
                return malformed("a string longer than the body");
            }
            std::string out(in_.substr(at_, static_cast<size_t>(length)));
            at_ += static_cast<size_t>(length);
            return out;
        }
        std::string out;
        for (;;) {
            SF_ASSIGN_OR_RETURN(uint8_t initial, byte());
            if (initial == kBreak) {
                return out;
            }
            if ((initial >> 5) != major || (initial & 0x1F) == 31) {
                return malformed("a chunk of another type in an indefinite string");
            }
            SF_ASSIGN_OR_RETURN(uint64_t chunk, argument(initial & 0x1F, major));
            SF_ASSIGN_OR_RETURN(std::string part, string(major, chunk));
            out += part;
        }
    }

    bool next_is_break() const {
        return at_ < in_.size() && static_cast<uint8_t>(in_[at_]) == kBreak;
    }

    Result<json::value> array(uint64_t length, int depth) {
        json::array out;
        for (uint64_t i = 0; length == kIndefinite ? !next_is_break() : i < length; ++i) {
            SF_ASSIGN_OR_RETURN(json::value item, value(depth + 1));
            out.push_back(std::move(item));
        }
        if (length == kIndefinite) {
            SF_TRY(byte());  // the break
        }
        return json::value(std::move(out));
    }

    Result<json::value> map(uint64_t length, int depth) {
        json::object out;
        for (uint64_t i = 0; length == kIndefinite ? !next_is_break() : i < length; ++i) {
            SF_ASSIGN_OR_RETURN(json::value key, value(depth + 1));
            if (!key.is_string()) {
                return malformed("a map key that is not a text string");
            }
            SF_ASSIGN_OR_RETURN(json::value item, value(depth + 1));
            out[key.as_string()] = std::move(item);
        }
        if (length == kIndefinite) {
            SF_TRY(byte());
        }
        return json::value(std::move(out));
    }

    /// Tag 1 is a timestamp in epoch milliseconds (the SDK's), given to the handlers as the
    /// JSON protocol's epoch seconds; other tags are read through.
    Result<json::value> tagged(uint64_t tag, int depth) {
        SF_ASSIGN_OR_RETURN(json::value inner, value(depth + 1));
        if (tag != 1) {
            return inner;
        }
        if (!inner.is_number()) {
            return malformed("a timestamp that is not a number");
        }
        return json::value(inner.to_number<double>() / 1000.0);
    }

    Result<json::value> simple(uint8_t info) {
        switch (info) {
            case 20:
                return json::value(false);
            case 21:
                return json::value(true);
            case 22:
            case 23:
                return json::value(nullptr);
            case 25: {
                SF_ASSIGN_OR_RETURN(uint64_t half, big_endian(2));
                return finite(half_to_double(static_cast<uint16_t>(half)));
            }
            case 26: {
                SF_ASSIGN_OR_RETURN(uint64_t bits, big_endian(4));
                return finite(std::bit_cast<float>(static_cast<uint32_t>(bits)));
            }
            case 27: {
                SF_ASSIGN_OR_RETURN(uint64_t bits, big_endian(8));
                return finite(std::bit_cast<double>(bits));
            }
            default:
                return malformed(info == 31 ? "a break outside an indefinite item"
                                            : "an unknown simple value");
        }
    }

    static Result<json::value> finite(double v) {
        if (!std::isfinite(v)) {
            return malformed("a number that is not finite");
        }
        return json::value(v);
    }

    std::string_view in_;
    size_t at_ = 0;
};

void head(std::string& out, Major major, uint64_t argument) {
    auto type = static_cast<uint8_t>(major << 5);
    if (argument < 24) {
        out += static_cast<char>(type | argument);
        return;
    }
    int bytes = argument <= 0xFF ? 1 : argument <= 0xFFFF ? 2 : argument <= 0xFFFFFFFF ? 4 : 8;
    out += static_cast<char>(type | (24 + std::countr_zero(unsigned(bytes))));
    for (int i = bytes - 1; i >= 0; --i) {
        out += static_cast<char>((argument >> (8 * i)) & 0xFF);
    }
}

void integer(std::string& out, int64_t v) {
    if (v >= 0) {
        head(out, kUnsigned, static_cast<uint64_t>(v));
    } else {
        head(out, kNegative, static_cast<uint64_t>(-1 - v));
    }
}

void text(std::string& out, std::string_view s) {
    head(out, kText, s.size());
    out += s;
}

void write(std::string& out, const json::value& v, const CborMemberKind& kind_of);

void member(std::string& out,
            std::string_view key,
            const json::value& v,
            const CborMemberKind& kind_of) {
    switch (kind_of(key)) {
        case CborMember::kBlob:
            if (v.is_string()) {
                if (auto bytes = base64_decode(v.as_string())) {
                    head(out, kBytes, bytes->size());
                    out += *bytes;
                    return;
                }
            }
            break;
        case CborMember::kTimestamp:
            if (v.is_number()) {
                head(out, kTag, 1);
                integer(out, std::llround(v.to_number<double>() * 1000.0));
                return;
            }
            break;
        case CborMember::kValue:
            break;
    }
    write(out, v, kind_of);
}

void write(std::string& out, const json::value& v, const CborMemberKind& kind_of) {
    switch (v.kind()) {
        case json::kind::null:
            out += static_cast<char>(0xF6);
            return;
        case json::kind::bool_:
            out += static_cast<char>(v.get_bool() ? 0xF5 : 0xF4);
            return;
        case json::kind::int64:
            integer(out, v.get_int64());
            return;
        case json::kind::uint64:
            head(out, kUnsigned, v.get_uint64());
            return;
        case json::kind::double_: {
            out += static_cast<char>(0xFB);
            auto bits = std::bit_cast<uint64_t>(v.get_double());
            for (int i = 7; i >= 0; --i) {
                out += static_cast<char>((bits >> (8 * i)) & 0xFF);
            }
            return;
        }
        case json::kind::string:
            text(out, v.get_string());
            return;
        case json::kind::array:
            head(out, kArray, v.get_array().size());
            for (const auto& item : v.get_array()) {
                write(out, item, kind_of);
            }
            return;
        case json::kind::object:
            head(out, kMap, v.get_object().size());
            for (const auto& [key, item] : v.get_object()) {
                text(out, key);
                member(out, key, item, kind_of);
            }
            return;
    }
}

}  // namespace

Result<json::value> cbor_to_json(std::string_view cbor) {
    Reader reader(cbor);
    SF_ASSIGN_OR_RETURN(json::value out, reader.value(0));
    if (!reader.at_end()) {
        return malformed("bytes after its value");
    }
    return out;
}

std::string json_to_cbor(const json::value& value, const CborMemberKind& kind_of) {
    std::string out;
    write(out, value, kind_of);
    return out;
}

}  // namespace shardflow::api
