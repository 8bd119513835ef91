#pragma once
// The channel and URL of a bid: the HOT_CHANNELS / CHANNEL_URL_CACHE part of BidGenerator.java
// (nexmark-flink generator/model).

#include "bench/nexmark/generator/java_random.h"

#include <cstdint>
#include <string>

namespace shardflow::nexmark {

/// Non-hot channels are "channel-<i>", i in [0, kNumChannels) (CHANNELS_NUMBER).
inline constexpr int32_t kNumChannels = 10'000;

struct ChannelAndUrl {
    std::string channel;
    std::string url;
};

/// Draws the channel of a bid in upstream's order: nextInt(2) > 0 picks one of the 4 hot
/// channels (Google, Facebook, Baidu, Apple) by nextInt(4), else channel nextInt(10000).
/// The result lives in a table built on first use (thread-safe) and is never freed.
const ChannelAndUrl& next_channel(JavaRandom& random);

/// The entry of channel "channel-<number>".
const ChannelAndUrl& channel_entry(int32_t number);

/// The entry of hot channel `index` (0..3).
const ChannelAndUrl& hot_channel_entry(int32_t index);

}  // namespace shardflow::nexmark
