#pragma once
// Prints SQL results as aligned tables, the way psql and the sqlite3 shell do.

#include "sql/engine/sql_engine.h"

#include <cstdio>

namespace shardflow::app {

void print_result(std::FILE* out, const sql::ResultSet& result);

}  // namespace shardflow::app
