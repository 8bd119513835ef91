#include "bench/nexmark/generator/strings_generator.h"

namespace shardflow::nexmark {
namespace {

constexpr int32_t kMinStringLength = 3;
constexpr int32_t kReusableExtraStringLength = 1024 * 1024;
constexpr int64_t kReusableExtraStringSeed = 0x6e65786d61726bLL;  // "nexmark"

// Upstream's loop: one nextInt() gives 6 base-26 digits (log_26(2^31)); the remainder keeps
// the sign of a negative int, hence chars below 'a'.
void append_generated_chars(JavaRandom& random, int32_t length, std::string& out) {
    int32_t rnd = 0;
    int left = 0;
    while (length-- > 0) {
        if (left == 0) {
            rnd = random.next_int();
            left = 6;
        }
        out.push_back(static_cast<char>('a' + rnd % 26));
        rnd /= 26;
        --left;
    }
}

}  // namespace

void append_next_string(JavaRandom& random, int32_t max_length, char special, std::string& out) {
    int32_t length = kMinStringLength + random.next_int(max_length - kMinStringLength);
    const size_t start = out.size();
    while (length-- > 0) {
        if (random.next_int(13) == 0) {
            out.push_back(special);
        } else {
            out.push_back(static_cast<char>('a' + random.next_int(26)));
        }
    }
    // String.trim(): only ' ' can occur among the chars <= ' ' it strips.
    size_t end = out.size();
    while (end > start && out[end - 1] == ' ') {
        --end;
    }
    size_t begin = start;
    while (begin < end && out[begin] == ' ') {
        ++begin;
    }
    out.erase(end);
    out.erase(start, begin - start);
}

const std::string& reusable_extra_string() {
    static const std::string kString = [] {
        std::string s;
        s.reserve(kReusableExtraStringLength);
        JavaRandom random(kReusableExtraStringSeed);
        append_generated_chars(random, kReusableExtraStringLength, s);
        return s;
    }();
    return kString;
}

void next_exact_string(JavaRandom& random, int32_t length, std::string& out) {
    const std::string& reusable = reusable_extra_string();
    const auto reusable_length = static_cast<int32_t>(reusable.size());
    if (length < reusable_length / 2) {
        const int32_t offset = random.next_int(reusable_length - length);
        out.assign(reusable, static_cast<size_t>(offset), static_cast<size_t>(length));
        return;
    }
    out.clear();
    append_generated_chars(random, length, out);
}

void next_extra(JavaRandom& random,
                int32_t current_size,
                int32_t desired_average_size,
                std::string& out) {
    if (current_size > desired_average_size) {
        out.clear();
        return;
    }
    desired_average_size -= current_size;
    // (int) Math.round(x * 0.2): x >= 0 here, so rounding half up is Math.round.
    const auto delta = static_cast<int32_t>(java_round(desired_average_size * 0.2));
    const int32_t min_size = desired_average_size - delta;
    const int32_t desired_size = min_size + (delta == 0 ? 0 : random.next_int(2 * delta));
    next_exact_string(random, desired_size, out);
}

}  // namespace shardflow::nexmark
