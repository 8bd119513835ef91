// `shardflow api-key`: issues an API key for HTTP ingestion into one stream. The key is printed
// once; the file given to `shardflow serve --api-keys` keeps only its SHA-256.

#include "apps/commands.h"
#include "apps/options.h"
#include "connectors/kinesis_api/auth/api_keys.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

namespace shardflow::app {

int api_key_command(const std::vector<std::string>& args) {
    auto parsed = Options::parse(args, {{"stream", ""}, {"file", "./shardflow-api-keys"}});
    if (!parsed || parsed->get("stream").empty()) {
        fmt::print(stderr,
                   "shardflow api-key: {}\n",
                   parsed ? "--stream NAME is required" : parsed.error().message);
        return 2;
    }
    const std::string& file = parsed->get("file");
    std::string key = api::auth::ApiKeys::generate();
    {
        std::ofstream out(file, std::ios::app);
        out << parsed->get("stream") << ' ' << api::auth::ApiKeys::hash(key) << '\n';
        if (!out.flush()) {
            fmt::print(stderr, "shardflow api-key: cannot write {}\n", file);
            return 1;
        }
    }
    chmod(file.c_str(), 0600);  // hashes only, but nobody else needs to read them
    if (auto reloaded = api::auth::ApiKeys::load(file); !reloaded) {
        fmt::print(stderr, "shardflow api-key: {}\n", reloaded.error().message);
        return 1;
    }
    fmt::print("{}\n", key);
    fmt::print(stderr,
               "shardflow api-key: key for stream {} added to {} (only its hash is kept; this is "
               "the one time it is shown). Serve with --auth strict --api-keys {}; clients send "
               "it as an x-api-key header.\n",
               parsed->get("stream"),
               file,
               file);
    return 0;
}

}  // namespace shardflow::app
