// Short lists in the spirit of faker.js's en locale; enough variety for test data.

#include "connectors/record_template/word_lists.h"

namespace shardflow::connectors::words {
namespace {

constexpr std::string_view kFirstNames[] = {
    "Aaliyah", "Adam",  "Alice",  "Amir",  "Ana",    "Ben",   "Carla",  "Chen",  "Chloe", "Daniel",
    "Diego",   "Elena", "Emma",   "Ethan", "Fatima", "Grace", "Hannah", "Hiro",  "Isaac", "Jack",
    "Jana",    "Jonas", "Julia",  "Kai",   "Laura",  "Leo",   "Liam",   "Lucia", "Maya",  "Mia",
    "Noah",    "Nora",  "Olivia", "Omar",  "Priya",  "Ravi",  "Sara",   "Sofia", "Tom",   "Zoe",
};

constexpr std::string_view kLastNames[] = {
    "Anderson", "Bauer",  "Brown",  "Chen",    "Costa", "Davis",    "Dubois", "Fischer", "Garcia",
    "Gupta",    "Hansen", "Ito",    "Johnson", "Kim",   "Kowalski", "Lee",    "Lopez",   "Martin",
    "Meyer",    "Miller", "Moreau", "Nguyen",  "Novak", "Okafor",   "Patel",  "Rossi",   "Sato",
    "Schmidt",  "Silva",  "Smith",  "Taylor",  "Wang",  "Weber",    "Wilson", "Young",   "Zhang",
};

constexpr std::string_view kLorem[] = {
    "lorem",      "ipsum",        "dolor",
    "sit",        "amet",         "consectetur",
    "adipiscing", "elit",         "sed",
    "do",         "eiusmod",      "tempor",
    "incididunt", "ut",           "labore",
    "et",         "dolore",       "magna",
    "aliqua",     "enim",         "ad",
    "minim",      "veniam",       "quis",
    "nostrud",    "exercitation", "ullamco",
    "laboris",    "nisi",         "aliquip",
    "ex",         "ea",           "commodo",
    "consequat",  "duis",         "aute",
    "irure",      "in",           "reprehenderit",
    "voluptate",
};

constexpr std::string_view kEmailDomains[] = {"example.com", "example.org", "example.net"};

}  // namespace

std::span<const std::string_view> first_names() {
    return kFirstNames;
}
std::span<const std::string_view> last_names() {
    return kLastNames;
}
std::span<const std::string_view> lorem() {
    return kLorem;
}
std::span<const std::string_view> email_domains() {
    return kEmailDomains;
}

}  // namespace shardflow::connectors::words
