#pragma once
// The three Nexmark event types, field for field as upstream's model classes
// (nexmark-flink .../flink/model/{Person,Auction,Bid}.java) and the `datagen` DDL.
// Times are milliseconds since the epoch (upstream: Instant, TIMESTAMP(3) in SQL).

#include <cstdint>
#include <string>
#include <tuple>
#include <variant>

namespace shardflow::nexmark {

struct Person {
    int64_t id = 0;
    std::string name;
    std::string email_address;
    std::string credit_card;
    std::string city;
    std::string state;
    int64_t date_time = 0;
    std::string extra;

    bool operator==(const Person&) const = default;
};

struct Auction {
    int64_t id = 0;
    std::string item_name;
    std::string description;
    int64_t initial_bid = 0;
    int64_t reserve = 0;
    int64_t date_time = 0;
    int64_t expires = 0;
    int64_t seller = 0;
    int64_t category = 0;
    std::string extra;

    bool operator==(const Auction&) const = default;
};

struct Bid {
    int64_t auction = 0;
    int64_t bidder = 0;
    int64_t price = 0;
    std::string channel;
    std::string url;
    int64_t date_time = 0;
    std::string extra;

    bool operator==(const Bid&) const = default;
    /// For checkpoint state (engine/runtime/state_codec.h).
    static auto fields(auto& self) {
        return std::tie(self.auction,
                        self.bidder,
                        self.price,
                        self.channel,
                        self.url,
                        self.date_time,
                        self.extra);
    }
};

/// The variant index is upstream's `event_type` column: 0 person, 1 auction, 2 bid.
using Event = std::variant<Person, Auction, Bid>;

enum class EventType : int { kPerson = 0, kAuction = 1, kBid = 2 };

inline EventType event_type(const Event& event) {
    return static_cast<EventType>(event.index());
}

/// The event's own time (upstream's rowtime: dateTime of whichever row is set), for an Event or
/// any variant of some of its types.
template <class... Types>
int64_t event_time_ms(const std::variant<Types...>& event) {
    return std::visit([](const auto& e) { return e.date_time; }, event);
}

}  // namespace shardflow::nexmark
