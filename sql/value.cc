#include "sql/value.h"

namespace shardflow::sql {

std::string_view type_name(SqlType type) {
    switch (type) {
        case SqlType::kNull:
            return "NULL";
        case SqlType::kBoolean:
            return "BOOLEAN";
        case SqlType::kBigint:
            return "BIGINT";
        case SqlType::kDouble:
            return "DOUBLE";
        case SqlType::kVarchar:
            return "VARCHAR";
        case SqlType::kTimestamp:
            return "TIMESTAMP(3)";
    }
    return "?";
}

}  // namespace shardflow::sql
