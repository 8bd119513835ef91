// libFuzzer target for the request decoder: any body under any action must give a response in
// the protocol's shape (never a crash, a hang or a sanitizer report). The first input byte picks
// the action and, by its high bit, the protocol (JSON or CBOR); the rest is the body. Build with
// the `fuzz` preset (clang).

#include "connectors/kinesis_api/api.h"
#include "connectors/kinesis_api/handlers/handler.h"
#include "connectors/kinesis_api/protocol/cbor.h"

#include <boost/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace {

using namespace shardflow;

struct Fixture {
    Fixture() {
        store::StoreOptions options;
        options.data_dir = dir;
        std::filesystem::remove_all(dir);
        options.background_housekeeping = false;
        options.create_delay_ms = 0;
        options.update_delay_ms = 0;
        options.shard_limit = 64;
        options.log.sync = store::log::SyncMode::kNone;
        store = store::StreamStore::open(options).value();
        api = std::make_unique<api::KinesisApi>(*store);
        // A stream with records, so record and shard actions get past the name lookup.
        call("CreateStream", R"({"StreamName": "s", "ShardCount": 2})");
        call("PutRecord", R"({"StreamName": "s", "PartitionKey": "k", "Data": "aGVsbG8="})");
    }

    ~Fixture() {
        api.reset();
        store.reset();
        std::filesystem::remove_all(dir);
    }

    api::ApiResponse call(std::string_view action,
                          std::string_view body,
                          std::string_view content_type = "application/x-amz-json-1.1") {
        std::string target = fmt::format("Kinesis_20131202.{}", action);
        return api->handle(
            {.method = "POST",
             .target = target,
             .content_type = content_type,
             .authorization =
                 "AWS4-HMAC-SHA256 Credential=AK/20240101/us-east-1/kinesis/aws4_request, "
                 "SignedHeaders=host, Signature=0",
             .body = body});
    }

    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / fmt::format("shardflow-fuzz-{}", getpid());
    std::unique_ptr<store::StreamStore> store;
    std::unique_ptr<api::KinesisApi> api;
    std::vector<std::string_view> actions = api::action_names();
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Fixture fixture;
    if (size == 0) {
        return 0;
    }
    std::string_view action = fixture.actions[(data[0] & 0x7F) % fixture.actions.size()];
    bool cbor = data[0] & 0x80;
    std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    api::ApiResponse response = fixture.call(
        action, body, cbor ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1");
    // Every answer is an object in the request's protocol; errors carry __type and a 400 or 500
    // status.
    boost::json::value parsed;
    if (cbor) {
        auto decoded = api::cbor_to_json(response.body);
        if (!decoded) {
            std::abort();
        }
        parsed = std::move(*decoded);
    } else {
        parsed = boost::json::parse(response.body);
    }
    const auto& object = parsed.as_object();
    if ((response.status == 200) == object.contains("__type") ||
        (response.status != 200 && response.status != 400)) {
        std::abort();
    }
    return 0;
}
