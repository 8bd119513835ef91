#pragma once
// Random strings for names, descriptions and the `extra` padding: StringsGenerator.java of
// nexmark-flink (generator/model).

#include "bench/nexmark/generator/java_random.h"

#include <cstdint>
#include <string>

namespace shardflow::nexmark {

/// Appends 3 .. max_length - 1 random chars, 'a'..'z' or, with P = 1/13 each, `special`;
/// like Java's trim(), leading and trailing spaces are then dropped.
void append_next_string(JavaRandom& random, int32_t max_length, char special, std::string& out);

inline std::string next_string(JavaRandom& random, int32_t max_length, char special = ' ') {
    std::string out;
    append_next_string(random, max_length, special, out);
    return out;
}

/// nextExactString: `length` chars. Below half a MiB it is a substring of one shared 1 MiB
/// random string at a random offset (upstream's REUSABLE_EXTRA_STRING), so padding costs one
/// draw; longer strings are generated 6 chars per nextInt(). Replaces `out`.
/// Chars come from 'a' + (nextInt() % 26) with Java's signed remainder, so besides 'a'..'z'
/// they include 'H'..'Z', '[', '\\', ']', '^', '_' and '`' (as upstream's).
void next_exact_string(JavaRandom& random, int32_t length, std::string& out);

/// nextExtra: padding such that current_size + its length averages desired_average_size
/// (uniform within ±20 %); empty if the event is already larger. Replaces `out`.
void next_extra(JavaRandom& random,
                int32_t current_size,
                int32_t desired_average_size,
                std::string& out);

/// The shared 1 MiB string. Upstream fills it from an unseeded SplittableRandom, so its
/// content differs per JVM; ours comes from a fixed seed to keep the stream deterministic.
const std::string& reusable_extra_string();

}  // namespace shardflow::nexmark
