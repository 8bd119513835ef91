#pragma once
// Reference data for lookup joins: a SQLite table read into memory, rows by the text of a key
// column. Enrich records with it in a map or try_map stage; it is read once, when the query is
// built (and so again when the query restarts).

#include "engine/common/error.h"
#include "engine/common/value.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shardflow::connectors {

/// Threading: immutable once loaded; shared by every partition and worker.
class ReferenceTable {
public:
    /// Every row of `table`; NULL or duplicate keys are an error (a lookup must be unambiguous).
    static Result<std::shared_ptr<const ReferenceTable>> load(const std::filesystem::path& db,
                                                              const std::string& table,
                                                              const std::string& key_column);

    /// The row whose key is `key`, or nullptr.
    const Row* find(std::string_view key) const;
    /// The index of a column in the rows, or nullopt.
    std::optional<size_t> column(std::string_view name) const;
    size_t size() const { return rows_.size(); }

private:
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    std::vector<std::string> columns_;
    std::unordered_map<std::string, Row, Hash, std::equal_to<>> rows_;
};

}  // namespace shardflow::connectors
