#include "bench/nexmark/generator/event_json.h"

#include <charconv>
#include <string_view>

namespace shardflow::nexmark {
namespace {

void append_number(int64_t value, std::string& out) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    out.append(buffer, result.ptr);
}

bool needs_escape(char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
}

// The generator emits printable ASCII only, but `extra` contains '\\' (see
// strings_generator.h), so escape properly. Runs of plain chars are copied at once.
void append_string(std::string_view value, std::string& out) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    size_t plain_start = 0;
    for (size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (!needs_escape(c)) {
            continue;
        }
        out.append(value.substr(plain_start, i - plain_start));
        plain_start = i + 1;
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out.append("\\u00");
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0xF]);
        }
    }
    out.append(value.substr(plain_start));
    out.push_back('"');
}

// Appends `"name":` (names are plain identifiers), preceded by a comma unless first.
void append_key(std::string_view name, bool first, std::string& out) {
    if (!first) {
        out.push_back(',');
    }
    out.push_back('"');
    out.append(name);
    out.append("\":");
}

void append_field(std::string_view name, int64_t value, std::string& out, bool first = false) {
    append_key(name, first, out);
    append_number(value, out);
}

void append_field(std::string_view name,
                  std::string_view value,
                  std::string& out,
                  bool first = false) {
    append_key(name, first, out);
    append_string(value, out);
}

void append_body(const Person& p, std::string& out) {
    out.push_back('{');
    append_field("id", p.id, out, true);
    append_field("name", p.name, out);
    append_field("emailAddress", p.email_address, out);
    append_field("creditCard", p.credit_card, out);
    append_field("city", p.city, out);
    append_field("state", p.state, out);
    append_field("dateTime", p.date_time, out);
    append_field("extra", p.extra, out);
    out.push_back('}');
}

void append_body(const Auction& a, std::string& out) {
    out.push_back('{');
    append_field("id", a.id, out, true);
    append_field("itemName", a.item_name, out);
    append_field("description", a.description, out);
    append_field("initialBid", a.initial_bid, out);
    append_field("reserve", a.reserve, out);
    append_field("dateTime", a.date_time, out);
    append_field("expires", a.expires, out);
    append_field("seller", a.seller, out);
    append_field("category", a.category, out);
    append_field("extra", a.extra, out);
    out.push_back('}');
}

void append_body(const Bid& b, std::string& out) {
    out.push_back('{');
    append_field("auction", b.auction, out, true);
    append_field("bidder", b.bidder, out);
    append_field("price", b.price, out);
    append_field("channel", b.channel, out);
    append_field("url", b.url, out);
    append_field("dateTime", b.date_time, out);
    append_field("extra", b.extra, out);
    out.push_back('}');
}

}  // namespace

void append_event_json(const Event& event, std::string& out) {
    static constexpr const char* kNames[] = {"person", "auction", "bid"};
    out.append("{\"event_type\":");
    append_number(static_cast<int64_t>(event.index()), out);
    out.push_back(',');
    append_key(kNames[event.index()], true, out);
    std::visit([&out](const auto& e) { append_body(e, out); }, event);
    out.push_back('}');
}

std::string row_json(const Event& event) {
    std::string out;
    out.reserve(600);
    std::visit([&out](const auto& e) { append_body(e, out); }, event);
    return out;
}

std::string event_json(const Event& event) {
    std::string out;
    out.reserve(640);
    append_event_json(event, out);
    return out;
}

std::string partition_key(const Event& event) {
    struct KeyOf {
        int64_t operator()(const Person& p) const { return p.id; }
        int64_t operator()(const Auction& a) const { return a.id; }
        int64_t operator()(const Bid& b) const { return b.auction; }
    };
    return std::to_string(std::visit(KeyOf{}, event));
}

}  // namespace shardflow::nexmark
