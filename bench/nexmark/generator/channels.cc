#include "bench/nexmark/generator/channels.h"

#include "bench/nexmark/generator/strings_generator.h"

#include <array>
#include <string_view>
#include <vector>

namespace shardflow::nexmark {
namespace {

constexpr int32_t kHotChannelsRatio = 2;
constexpr std::array<std::string_view, 4> kHotChannels = {"Google", "Facebook", "Baidu", "Apple"};

// Upstream draws every URL (getBaseUrl) and the 1-in-10 choice to leave out `channel_id`
// from fresh unseeded java.util.Random objects, so URLs differ per JVM. Ours come from one
// fixed-seed Random, hot channels first, then channels 0..9999 in order.
constexpr int64_t kUrlSeed = 0x75726c73;  // "urls"

struct ChannelTable {
    std::array<ChannelAndUrl, kHotChannels.size()> hot;
    std::vector<ChannelAndUrl> channels;
};

// getBaseUrl: https://www.nexmark.com/<s>/<s>/<s>/item.htm?query=1, each <s> of 3..4 chars
// with '_' as the special char.
std::string next_base_url(JavaRandom& random) {
    std::string url = "https://www.nexmark.com/";
    for (int i = 0; i < 3; ++i) {
        append_next_string(random, 5, '_', url);
        url.push_back('/');
    }
    url.append("item.htm?query=1");
    return url;
}

ChannelTable build_channel_table() {
    ChannelTable table;
    JavaRandom random(kUrlSeed);
    for (size_t i = 0; i < kHotChannels.size(); ++i) {
        table.hot[i] = ChannelAndUrl{std::string(kHotChannels[i]), next_base_url(random)};
    }
    table.channels.reserve(kNumChannels);
    for (int32_t number = 0; number < kNumChannels; ++number) {
        std::string url = next_base_url(random);
        if (random.next_int(10) > 0) {
            // Math.abs(Integer.reverse(n)): channel 1 gives Integer.MIN_VALUE, kept negative.
            url.append("&channel_id=");
            url.append(std::to_string(java_abs(java_integer_reverse(number))));
        }
        table.channels.push_back(
            ChannelAndUrl{"channel-" + std::to_string(number), std::move(url)});
    }
    return table;
}

const ChannelTable& channel_table() {
    static const ChannelTable kTable = build_channel_table();
    return kTable;
}

}  // namespace

const ChannelAndUrl& next_channel(JavaRandom& random) {
    if (random.next_int(kHotChannelsRatio) > 0) {
        return hot_channel_entry(random.next_int(static_cast<int32_t>(kHotChannels.size())));
    }
    return channel_entry(random.next_int(kNumChannels));
}

const ChannelAndUrl& channel_entry(int32_t number) {
    return channel_table().channels[static_cast<size_t>(number)];
}

const ChannelAndUrl& hot_channel_entry(int32_t index) {
    return channel_table().hot[static_cast<size_t>(index)];
}

}  // namespace shardflow::nexmark
