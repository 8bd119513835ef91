#include "sql/value.h"

namespace shardflow::sql {

SqlType type_of(const Value& v) {
    switch (v.index()) {
        case 1:
            return SqlType::kBoolean;
        case 2:
            return SqlType::kBigint;
        case 3:
            return SqlType::kDouble;
        case 4:
            return SqlType::kVarchar;
        default:
            return SqlType::kNull;
    }
}

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
