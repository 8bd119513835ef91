// ErrorCode -> Kinesis __type and HTTP status (400 for modelled exceptions, 500 for failures).

#include "connectors/kinesis_api/error_mapping.h"

namespace shardflow::api {

WireError to_wire(ErrorCode code) {
    switch (code) {
        case ErrorCode::kResourceNotFound:
            return {"ResourceNotFoundException", 400};
        case ErrorCode::kResourceInUse:
            return {"ResourceInUseException", 400};
        case ErrorCode::kInvalidArgument:
            return {"InvalidArgumentException", 400};
        case ErrorCode::kLimitExceeded:
            return {"LimitExceededException", 400};
        case ErrorCode::kProvisionedThroughputExceeded:
            return {"ProvisionedThroughputExceededException", 400};
        case ErrorCode::kExpiredIterator:
            return {"ExpiredIteratorException", 400};
        case ErrorCode::kExpiredNextToken:
            return {"ExpiredNextTokenException", 400};
        case ErrorCode::kAccessDenied:
            return {"AccessDeniedException", 400};
        case ErrorCode::kValidation:
            return {"ValidationException", 400};
        case ErrorCode::kSerialization:
            return {"SerializationException", 400};
        case ErrorCode::kUnknownOperation:
            return {"UnknownOperationException", 400};
        case ErrorCode::kMissingAuthenticationToken:
            return {"MissingAuthenticationTokenException", 400};
        case ErrorCode::kIncompleteSignature:
            return {"IncompleteSignatureException", 400};
        case ErrorCode::kInvalidSignature:
            return {"InvalidSignatureException", 400};
        case ErrorCode::kUnrecognizedClient:
            return {"UnrecognizedClientException", 400};
        case ErrorCode::kInternalFailure:
        case ErrorCode::kIoError:
        case ErrorCode::kCorruption:
        case ErrorCode::kCancelled:
            return {"InternalFailure", 500};
    }
    return {"InternalFailure", 500};
}

}  // namespace shardflow::api
