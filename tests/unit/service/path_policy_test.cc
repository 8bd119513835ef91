#include "service/path_policy.h"

#include "tests/support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace shardflow::service {
namespace {

namespace fs = std::filesystem;

class PathPolicyTest : public ::testing::Test {
protected:
    PathPolicyTest()
        : data_(dir_.path() / "data")
        , allowed_(dir_.path() / "exports")
        , outside_(dir_.path() / "outside") {
        for (const auto& d : {data_, allowed_, outside_, data_ / "streams"}) {
            fs::create_directories(d);
        }
        std::ofstream(data_ / "catalog.db") << "x";
        policy_ = PathPolicy(data_, {allowed_}, {data_ / "catalog.db", data_ / "streams"});
    }

    bool allowed(const std::string& path) { return policy_.resolve(path).has_value(); }

    tests::TempDir dir_;
    fs::path data_, allowed_, outside_;
    PathPolicy policy_;
};

TEST_F(PathPolicyTest, RelativePathsStartInTheDataDirectory) {
    auto resolved = policy_.resolve("out/clicks");
    ASSERT_TRUE(resolved) << resolved.error().message;
    EXPECT_EQ(*resolved, fs::canonical(data_) / "out" / "clicks");
}

TEST_F(PathPolicyTest, AnswersShowPathsInsideTheDataDirectoryRelativeToIt) {
    EXPECT_EQ(policy_.shown(policy_.resolve("out/clicks").value()), "out/clicks");
    auto exported = policy_.resolve((allowed_ / "ref.db").string()).value();
    EXPECT_EQ(policy_.shown(exported), exported.string()) << "the operator's own folder";
}

TEST_F(PathPolicyTest, AllowsTheOperatorsFoldersAndNothingElse) {
    EXPECT_TRUE(allowed(allowed_.string()));
    EXPECT_TRUE(allowed((allowed_ / "ref.db").string()));
    EXPECT_FALSE(allowed("/etc/cron.d/job"));
    EXPECT_FALSE(allowed(outside_.string()));
    EXPECT_FALSE(allowed(allowed_.string() + "-sibling/x"));  // a prefix of the name is not enough
}

TEST_F(PathPolicyTest, DotDotAndSymlinksAreResolvedFirst) {
    EXPECT_FALSE(allowed("../outside/x"));
    EXPECT_FALSE(allowed("out/../../outside"));
    fs::create_directory_symlink(outside_, data_ / "link");
    EXPECT_FALSE(allowed("link/x"));
    EXPECT_FALSE(allowed((data_ / "link").string()));
}

TEST_F(PathPolicyTest, TheServersOwnFilesAreNeverReachable) {
    EXPECT_FALSE(allowed("catalog.db"));
    EXPECT_FALSE(allowed("./streams/1/shardId-000000000000"));
    EXPECT_FALSE(allowed("out/../streams"));
    fs::create_symlink(data_ / "catalog.db", allowed_ / "innocent.db");
    EXPECT_FALSE(allowed((allowed_ / "innocent.db").string()));
}

TEST_F(PathPolicyTest, TheRefusalTellsNothingOfWhatExists) {
    auto existing = policy_.resolve(outside_.string());
    auto missing = policy_.resolve((outside_ / "nope").string());
    ASSERT_FALSE(existing);
    ASSERT_FALSE(missing);
    EXPECT_EQ(existing.error().code, ErrorCode::kAccessDenied);
    EXPECT_EQ(missing.error().message.find("exist"), std::string::npos);
    EXPECT_EQ(existing.error().message.find(data_.string()), std::string::npos);
}

TEST(PathPolicy, DefaultAllowsEveryPath) {
    EXPECT_TRUE(PathPolicy().resolve("/etc/hosts"));
}

}  // namespace
}  // namespace shardflow::service
