#pragma once
// Reading an AWS JSON 1.1 request body: typed members, with the errors real Kinesis gives for a
// wrong type (SerializationException) or a broken constraint (ValidationException, all of them
// reported together as "N validation errors detected: ...").

#include "engine/common/clock.h"
#include "engine/common/error.h"

#include <boost/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardflow::api {

/// A view of a parsed request body (which must outlive it). Accessors record constraint
/// failures and return nullopt; the handler calls `check()` once before acting. A member of
/// the wrong JSON type is a SerializationException (returned by `check()` before the rest).
/// Returned string_views point into the body.
/// The shape a member has in the model, for the wording of a wrong-type error.
enum class WireType : uint8_t {
    kString,
    kInteger,
    kBoolean,
    kBlob,
    kTimestamp,
    kList,
    kMap,
    kStructure
};

/// The decoded blobs of one request, in a few large blocks: a view into it stays valid while it
/// lives, and a batch of records costs no allocation each.
class BlobBuffer {
public:
    /// Room for `n` bytes.
    char* claim(size_t n);

private:
    static constexpr size_t kBlockBytes = 256 << 10;
    std::vector<std::unique_ptr<char[]>> blocks_;
    size_t used_ = 0;  // of the last block
    size_t last_size_ = 0;
};

class Request {
public:
    explicit Request(const boost::json::object& body)
        : body_(body) {}
    /// Member `index` (from 0) of list `list`: its members are named "<list>.<index + 1>.member.
    /// <name>" in messages, as AWS names them.
    Request(const boost::json::object& body, std::string_view list, size_t index)
        : body_(body)
        , list_(list)
        , list_index_(index) {}

    /// String member `name` (validated as `member` in messages) of length [min, max].
    std::optional<std::string_view> string(std::string_view name,
                                           std::string_view member,
                                           bool required,
                                           size_t min = 0,
                                           size_t max = SIZE_MAX);
    /// A stream, consumer or shard name: 1..128 characters of [a-zA-Z0-9_.-] (an empty one
    /// breaks both rules, and both are reported).
    std::optional<std::string_view> resource_name(std::string_view name,
                                                  std::string_view member,
                                                  bool required);
    /// A decimal number as text (`0|([1-9]\d{0,max_digits - 1})`): sequence numbers, hash keys.
    std::optional<std::string_view> decimal(std::string_view name,
                                            std::string_view member,
                                            bool required,
                                            size_t max_digits);
    /// A 32-bit integer: larger numbers are cut to its range and fractions dropped, as AWS's
    /// framework reads them (its messages show the cut value).
    std::optional<int64_t> integer(
        std::string_view name, std::string_view member, bool required, int64_t min, int64_t max);
    std::optional<bool> boolean(std::string_view name);
    /// A blob member, decoded from its Base64 text into `into`; text that is not Base64 is a
    /// SerializationException in the words of AWS's decoder.
    std::optional<std::string_view> blob(std::string_view name,
                                         std::string_view member,
                                         bool required,
                                         BlobBuffer& into);
    /// Epoch seconds (integer or fraction) as clients send timestamps; returned in milliseconds.
    std::optional<EpochMillis> timestamp(std::string_view name,
                                         std::string_view member,
                                         bool required);
    /// One of `allowed`.
    std::optional<std::string_view> enumeration(std::string_view name,
                                                std::string_view member,
                                                bool required,
                                                std::initializer_list<std::string_view> allowed);
    /// A structure or, with kMap, a map member.
    const boost::json::object* object(std::string_view name,
                                      std::string_view member,
                                      bool required,
                                      WireType kind = WireType::kStructure);
    const boost::json::array* array(
        std::string_view name, std::string_view member, bool required, size_t min, size_t max);
    /// A list of [min_items, max_items] strings, each of [min, max] characters.
    std::vector<std::string> string_list(std::string_view name,
                                         std::string_view member,
                                         bool required,
                                         size_t min_items = 0,
                                         size_t max_items = SIZE_MAX,
                                         size_t min = 0,
                                         size_t max = SIZE_MAX);

    /// Records a constraint failure found by the handler itself.
    void fail(std::string_view value, std::string_view member, std::string_view constraint);
    /// Records `got` found where a member of type `expected` belongs, in the words of AWS's JSON
    /// framework.
    void wrong_type(const boost::json::value& got, WireType expected);
    /// Records a serialization error in words of the caller's.
    void unreadable(std::string message);

    /// Takes over the errors found in a nested structure's members.
    void adopt(const Request& nested);

    /// The first serialization error, else every validation error, else ok.
    Status check() const;

    const boost::json::object& body() const { return body_; }

private:
    const boost::json::value* find(std::string_view name) const;

    const boost::json::object& body_;
    std::string_view list_;  // set for a member of a list
    size_t list_index_ = 0;
    std::optional<Error> serialization_;
    std::vector<std::string> violations_;
};

}  // namespace shardflow::api
