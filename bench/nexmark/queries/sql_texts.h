#pragma once
// The Nexmark queries' SQL text (queries/sql/*.sql, compiled into the binary by
// bench/nexmark/CMakeLists.txt), by file name: "ddl" declares the streams, "q0" ... the queries.

#include <map>
#include <string>

namespace shardflow::nexmark {

const std::map<std::string, std::string>& sql_texts();

}  // namespace shardflow::nexmark
