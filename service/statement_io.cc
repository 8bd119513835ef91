#include "service/statement_io.h"

namespace shardflow::service {

Error StatementDeadline::reason(std::string_view statement) const {
    if (stopped()) {
        return Error::make(ErrorCode::kCancelled, "{} was cancelled", statement);
    }
    return Error::make(ErrorCode::kLimitExceeded,
                       "{} ran longer than its timeout of {} ms and was stopped",
                       statement,
                       timeout_.count());
}

}  // namespace shardflow::service
