#include "bench/nexmark/generator/person_generator.h"

#include "bench/nexmark/generator/id_model.h"
#include "bench/nexmark/generator/strings_generator.h"

#include <array>
#include <string_view>

namespace shardflow::nexmark {
namespace {

// Few states and cities, so that queries such as q3 find matches on small inputs.
constexpr std::array<std::string_view, 6> kUsStates = {"AZ", "CA", "ID", "OR", "WA", "WY"};
constexpr std::array<std::string_view, 10> kUsCities = {"Phoenix",
                                                        "Los Angeles",
                                                        "San Francisco",
                                                        "Boise",
                                                        "Portland",
                                                        "Bend",
                                                        "Redmond",
                                                        "Seattle",
                                                        "Kent",
                                                        "Cheyenne"};
constexpr std::array<std::string_view, 11> kFirstNames = {
    "Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"};
constexpr std::array<std::string_view, 9> kLastNames = {
    "Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"};

template <size_t N>
std::string_view pick(JavaRandom& random, const std::array<std::string_view, N>& values) {
    return values[static_cast<size_t>(random.next_int(static_cast<int32_t>(N)))];
}

void append_four_digits(int32_t value, std::string& out) {
    const char digits[4] = {static_cast<char>('0' + value / 1000),
                            static_cast<char>('0' + value / 100 % 10),
                            static_cast<char>('0' + value / 10 % 10),
                            static_cast<char>('0' + value % 10)};
    out.append(digits, 4);
}

}  // namespace

Person next_person(const GeneratorConfig& config,
                   int64_t event_id,
                   JavaRandom& random,
                   int64_t timestamp_ms) {
    Person person;
    person.id = last_base0_person_id(config, event_id) + kFirstPersonId;

    person.name.append(pick(random, kFirstNames));
    person.name.push_back(' ');
    person.name.append(pick(random, kLastNames));

    append_next_string(random, 7, ' ', person.email_address);
    person.email_address.push_back('@');
    append_next_string(random, 5, ' ', person.email_address);
    person.email_address.append(".com");

    // Four "%04d" groups separated by spaces.
    person.credit_card.reserve(19);
    for (int i = 0; i < 4; ++i) {
        if (i > 0) {
            person.credit_card.push_back(' ');
        }
        append_four_digits(random.next_int(10000), person.credit_card);
    }

    person.city = pick(random, kUsCities);
    person.state = pick(random, kUsStates);
    person.date_time = timestamp_ms;

    const auto current_size =
        static_cast<int32_t>(8 + person.name.size() + person.email_address.size() +
                             person.credit_card.size() + person.city.size() + person.state.size());
    next_extra(random, current_size, config.avg_person_byte_size, person.extra);
    return person;
}

}  // namespace shardflow::nexmark
