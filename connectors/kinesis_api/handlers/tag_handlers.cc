// Tags, by stream (AddTagsToStream ...) and by resource ARN (TagResource ...).

#include "connectors/kinesis_api/handlers/handler.h"

namespace shardflow::api {
namespace {

using boost::json::object;

std::map<std::string, std::string> read_tags(Request& request) {
    auto tags = tag_map(request, true);
    const auto* given = request.body().if_contains("Tags");
    if (given && given->is_object() && (given->get_object().empty() || tags.size() > 50)) {
        request.fail("'{...}'", "tags", "Member must have length between 1 and 50");
    }
    return tags;
}

boost::json::array encode_tags(const std::map<std::string, std::string>& tags,
                               std::string_view after,
                               size_t limit,
                               bool& more) {
    boost::json::array out;
    more = false;
    for (const auto& [key, value] : tags) {
        if (!after.empty() && key <= after) {
            continue;
        }
        if (out.size() == limit) {
            more = true;
            break;
        }
        out.push_back(object{{"Key", key}, {"Value", value}});
    }
    return out;
}

}  // namespace

Result<object> add_tags_to_stream(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto tags = read_tags(request);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.add_tags(*stream, tags));
}

Result<object> remove_tags_from_stream(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto keys = request.string_list("TagKeys", "tagKeys", true);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.remove_tags(*stream, keys));
}

Result<object> list_tags_for_stream(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto start = request.string("ExclusiveStartTagKey", "exclusiveStartTagKey", false, 1, 128);
    auto limit = request.integer("Limit", "limit", false, 1, 50);
    SF_TRY(request.check());
    SF_ASSIGN_OR_RETURN(auto tags, ctx.store.list_tags(*stream));
    bool more = false;
    auto encoded =
        encode_tags(tags, start.value_or(""), static_cast<size_t>(limit.value_or(50)), more);
    return object{{"Tags", std::move(encoded)}, {"HasMoreTags", more}};
}

Result<object> tag_resource(HandlerContext& ctx, Request& request) {
    auto arn = request.string("ResourceARN", "resourceARN", true, 1, 2048);
    auto tags = read_tags(request);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.add_tags(*arn, tags));
}

Result<object> untag_resource(HandlerContext& ctx, Request& request) {
    auto arn = request.string("ResourceARN", "resourceARN", true, 1, 2048);
    auto keys = request.string_list("TagKeys", "tagKeys", true);
    SF_TRY(request.check());
    return empty_or_error(ctx.store.remove_tags(*arn, keys));
}

Result<object> list_tags_for_resource(HandlerContext& ctx, Request& request) {
    auto arn = request.string("ResourceARN", "resourceARN", true, 1, 2048);
    SF_TRY(request.check());
    SF_ASSIGN_OR_RETURN(auto tags, ctx.store.list_tags(*arn));
    bool more = false;
    return object{{"Tags", encode_tags(tags, "", SIZE_MAX, more)}};
}

}  // namespace shardflow::api
