// Request ids: the shapes AWS sends (a UUID, 72 bytes of base64), never the same twice.

#include "connectors/kinesis_api/server/request_ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

namespace shardflow::api::detail {
namespace {

TEST(RequestIds, RequestIdIsAVersion4Uuid) {
    const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    for (int i = 0; i < 100; ++i) {
        const std::string id = random_request_id();
        EXPECT_TRUE(std::regex_match(id, uuid)) << id;
    }
}

TEST(RequestIds, Id2IsBase64OfSeventyTwoBytes) {
    const std::string id = random_id2();
    EXPECT_EQ(id.size(), 96u);
    EXPECT_TRUE(std::regex_match(id, std::regex("[A-Za-z0-9+/]{96}"))) << id;
}

TEST(RequestIds, IdsDifferAcrossCallsAndThreads) {
    std::set<std::string> seen;
    std::vector<std::string> other_thread;
    std::thread worker([&] {
        for (int i = 0; i < 1000; ++i) {
            other_thread.push_back(random_request_id());
        }
    });
    for (int i = 0; i < 1000; ++i) {
        seen.insert(random_request_id());
    }
    worker.join();
    seen.insert(other_thread.begin(), other_thread.end());
    EXPECT_EQ(seen.size(), 2000u);
    EXPECT_NE(random_id2(), random_id2());
}

}  // namespace
}  // namespace shardflow::api::detail
