#pragma once
// The AWS event stream framing (`application/vnd.amazon.eventstream`) that SubscribeToShard
// answers in. Each message:
//
//   | total length u32 | headers length u32 | prelude CRC32 u32 | headers | payload | CRC32 u32 |
//
// big-endian, the prelude CRC over the first 8 bytes and the message CRC over everything
// before it. A header is | name length u8 | name | type u8 | value |; every header we send is
// a string (type 7: | length u16 | UTF-8 |).

#include <span>
#include <string>
#include <string_view>

namespace shardflow::api {

inline constexpr std::string_view kEventStreamContentType = "application/vnd.amazon.eventstream";

struct EventHeader {
    std::string_view name;
    std::string_view value;
};

/// One framed message.
std::string event_message(std::span<const EventHeader> headers, std::string_view payload);

/// An event (`:message-type` event) of type `event_type` with a payload in `content_type`.
std::string event(std::string_view event_type,
                  std::string_view content_type,
                  std::string_view payload);

/// A modelled error ending the stream (`:message-type` exception), such as
/// ResourceInUseException.
std::string exception_event(std::string_view exception_type,
                            std::string_view content_type,
                            std::string_view payload);

}  // namespace shardflow::api
