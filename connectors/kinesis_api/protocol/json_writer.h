#pragma once
// Writes a JSON text straight into a string, for the answers that carry many records
// (PutRecords, GetRecords): no document built first, record data base64-encoded in place.

#include <cstdint>
#include <string>
#include <string_view>

namespace shardflow::api {

/// Appends JSON tokens to one string. The caller writes a well-formed text: the writer adds the
/// commas between members and elements, and escapes strings.
class JsonWriter {
public:
    /// Starts with `reserve` bytes of room (the answer's expected size).
    explicit JsonWriter(size_t reserve = 0) { out_.reserve(reserve); }

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }
    /// A member's name; its value follows.
    void key(std::string_view name);
    void string(std::string_view text);
    /// A string of the base64 text of `bytes`.
    void base64(std::string_view bytes);
    void number(int64_t value);
    /// A value already in JSON.
    void raw(std::string_view json);
    /// Epoch milliseconds as the epoch-seconds number AWS JSON timestamps are ("1700000000.123").
    void epoch_seconds(int64_t ms);

    std::string take() { return std::move(out_); }

private:
    void open(char c);
    void close(char c);
    /// Before a value: a comma unless it is the first of its container or follows a key.
    void separate();

    std::string out_;
    bool first_ = true;  // nothing written yet in the innermost container, or just after a key
};

}  // namespace shardflow::api
