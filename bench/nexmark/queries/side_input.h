#pragma once
// q13's bounded side input, as upstream's SideInputGenerator makes it: rows (key, value) for
// key in [0, 10000) with value the key's decimal text, looked up by auction % 10000. Here it
// is a SQLite table, the reference data of a lookup join.

#include "connectors/lookup/reference_table.h"
#include "engine/common/error.h"

#include <filesystem>

namespace shardflow::nexmark {

inline constexpr int64_t kSideInputRows = 10000;
inline constexpr const char* kSideInputTable = "side_input";

/// The SQLite file holding the table (created with its rows if missing; upserts make a
/// concurrent creation harmless), in a shardflow-nexmark folder of the temporary directory.
Result<std::filesystem::path> side_input_database();

/// The table, loaded for lookups by key.
Result<std::shared_ptr<const connectors::ReferenceTable>> side_input_table();

}  // namespace shardflow::nexmark
