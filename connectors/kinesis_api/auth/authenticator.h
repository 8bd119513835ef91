#pragma once
// Who may call the API. By default any well-formed SigV4 Authorization header passes, as the
// local Kinesis peers do; in strict mode the signature is recomputed from a known secret and
// must match and be fresh (within 5 minutes of the server's clock), as on AWS.

#include "connectors/kinesis_api/auth/credentials.h"
#include "connectors/kinesis_api/http_request.h"
#include "engine/common/clock.h"
#include "engine/common/error.h"

#include <optional>
#include <string>

namespace shardflow::api::auth {

class Authenticator {
public:
    /// Accepts any well-formed signature.
    Authenticator() = default;
    /// Verifies signatures for `region` and service "kinesis" against `credentials`.
    Authenticator(Credentials credentials, std::string region, const Clock& clock)
        : strict_(Strict{std::move(credentials), std::move(region), &clock}) {}

    /// Missing header: MissingAuthenticationTokenException; malformed:
    /// IncompleteSignatureException; unknown key: UnrecognizedClientException; wrong or stale
    /// signature: InvalidSignatureException.
    Status check(const HttpRequestView& request) const;
    /// Whether signatures are verified (`--auth strict`).
    bool strict() const { return strict_.has_value(); }

private:
    struct Strict {
        Credentials credentials;
        std::string region;
        const Clock* clock;
    };
    std::optional<Strict> strict_;
};

}  // namespace shardflow::api::auth
