#pragma once
// New people: PersonGenerator.nextPerson of nexmark-flink (generator/model).

#include "bench/nexmark/generator/generator_config.h"
#include "bench/nexmark/generator/java_random.h"
#include "bench/nexmark/generator/model.h"

#include <cstdint>

namespace shardflow::nexmark {

/// The person of event `event_id`, drawing from `random` in upstream's order: name, email,
/// credit card, city, state, extra.
Person next_person(const GeneratorConfig& config,
                   int64_t event_id,
                   JavaRandom& random,
                   int64_t timestamp_ms);

}  // namespace shardflow::nexmark
