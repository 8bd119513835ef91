// Account-wide settings (MinimumThroughputBillingCommitment) and resource policies, which
// are stored and returned; `--auth strict` does not enforce them (credentials decide access).

#include "connectors/kinesis_api/handlers/handler.h"

namespace shardflow::api {
namespace {

using boost::json::object;

constexpr size_t kMaxPolicyBytes = 20480;

object encode_commitment(const store::AccountSettings& a) {
    object o{{"Status", a.commitment_status}};
    if (a.started_ms) {
        o["StartedAt"] = epoch_seconds(*a.started_ms);
    }
    if (a.ended_ms) {
        o["EndedAt"] = epoch_seconds(*a.ended_ms);
    }
    if (a.earliest_allowed_end_ms) {
        o["EarliestAllowedEndAt"] = epoch_seconds(*a.earliest_allowed_end_ms);
    }
    return o;
}

}  // namespace

Result<object> describe_account_settings(HandlerContext& ctx, Request& request) {
    SF_TRY(request.check());
    return object{
        {"MinimumThroughputBillingCommitment", encode_commitment(ctx.store.account_settings())}};
}

Result<object> update_account_settings(HandlerContext& ctx, Request& request) {
    const auto* commitment = request.object(
        "MinimumThroughputBillingCommitment", "minimumThroughputBillingCommitment", true);
    SF_TRY(request.check());
    Request inner(*commitment);
    auto status = inner.enumeration(
        "Status", "minimumThroughputBillingCommitment.status", true, {"ENABLED", "DISABLED"});
    SF_TRY(inner.check());
    SF_ASSIGN_OR_RETURN(auto settings, ctx.store.update_commitment(*status == "ENABLED"));
    return object{{"MinimumThroughputBillingCommitment", encode_commitment(settings)}};
}

Result<object> put_resource_policy(HandlerContext& ctx, Request& request) {
    auto arn = request.string("ResourceARN", "resourceARN", true, 1, 2048);
    auto policy = request.string("Policy", "policy", true, 1, kMaxPolicyBytes);
    SF_TRY(request.check());
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(*policy, ec);
    if (ec || !parsed.is_object()) {
        return Error{ErrorCode::kInvalidArgument, "The policy is not a valid JSON document."};
    }
    return empty_or_error(ctx.store.put_resource_policy(*arn, std::string(*policy)));
}

Result<object> get_resource_policy(HandlerContext& ctx, Request& request) {
    auto arn = request.string("ResourceARN", "resourceARN", true, 1, 2048);
    SF_TRY(request.check());
    SF_ASSIGN_OR_RETURN(auto policy, ctx.store.get_resource_policy(*arn));
    return object{{"Policy", policy}};
}

Result<object> delete_resource_policy(HandlerContext& ctx, Request& request) {
    auto arn = request.string("ResourceARN", "resourceARN", true, 1, 2048);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.delete_resource_policy(*arn));
}

}  // namespace shardflow::api
