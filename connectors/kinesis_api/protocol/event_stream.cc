// Event stream messages, with zlib's CRC32 (the IEEE polynomial the format uses).

#include "connectors/kinesis_api/protocol/event_stream.h"

#include <array>
#include <cstdint>

#include <zlib.h>

namespace shardflow::api {
namespace {

constexpr uint8_t kStringHeader = 7;
constexpr size_t kPreludeBytes = 12;  // total length, headers length, prelude CRC
constexpr size_t kCrcBytes = 4;

void put_u32(std::string& out, uint32_t v) {
    out.push_back(static_cast<char>(v >> 24));
    out.push_back(static_cast<char>(v >> 16));
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v));
}

uint32_t crc_of(std::string_view bytes) {
    return static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

/// A message whose `type_header` (":event-type" or ":exception-type") names what it carries.
std::string typed_message(std::string_view message_type,
                          std::string_view type_header,
                          std::string_view type,
                          std::string_view content_type,
                          std::string_view payload) {
    const std::array<EventHeader, 3> headers{{
        {":message-type", message_type},
        {type_header, type},
        {":content-type", content_type},
    }};
    return event_message(headers, payload);
}

}  // namespace

std::string event_message(std::span<const EventHeader> headers, std::string_view payload) {
    std::string encoded_headers;
    for (const auto& h : headers) {
        encoded_headers.push_back(static_cast<char>(h.name.size()));
        encoded_headers.append(h.name);
        encoded_headers.push_back(static_cast<char>(kStringHeader));
        encoded_headers.push_back(static_cast<char>(h.value.size() >> 8));
        encoded_headers.push_back(static_cast<char>(h.value.size()));
        encoded_headers.append(h.value);
    }
    size_t total = kPreludeBytes + encoded_headers.size() + payload.size() + kCrcBytes;
    std::string out;
    out.reserve(total);
    put_u32(out, static_cast<uint32_t>(total));
    put_u32(out, static_cast<uint32_t>(encoded_headers.size()));
    put_u32(out, crc_of(out));
    out.append(encoded_headers);
    out.append(payload);
    put_u32(out, crc_of(out));
    return out;
}

std::string event(std::string_view event_type,
                  std::string_view content_type,
                  std::string_view payload) {
    return typed_message("event", ":event-type", event_type, content_type, payload);
}

std::string exception_event(std::string_view exception_type,
                            std::string_view content_type,
                            std::string_view payload) {
    return typed_message("exception", ":exception-type", exception_type, content_type, payload);
}

}  // namespace shardflow::api
