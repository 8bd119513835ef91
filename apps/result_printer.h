#pragma once
// Prints SQL results as aligned tables, the way psql and the sqlite3 shell do.

#include "service/sql_engine.h"

#include <cstdio>

namespace shardflow::app {

void print_result(std::FILE* out, const service::ResultSet& result);

}  // namespace shardflow::app
