// Tags, by stream (AddTagsToStream ...) and by resource ARN (TagResource ...).

#include "connectors/kinesis_api/handlers/handler.h"

#include <cctype>

namespace shardflow::api {
namespace {

using boost::json::object;

/// Whether `c` (a code point) may appear in a tag, by the rule AWS applies: letters, digits,
/// white space and _ . / = + - % @ (the "letters" being the ranges Kinesis accepts).
bool allowed_in_tag(char32_t c) {
    if (c < 0x80) {
        return std::isalnum(static_cast<int>(c)) ||
               std::string_view("_./=+-%@ ").find(static_cast<char>(c)) != std::string_view::npos;
    }
    return (c >= 0xC0 && c <= 0x1FFF) || (c >= 0x2C00 && c <= 0xD7FF);
}

/// Every code point of UTF-8 `text` is allowed (a malformed sequence is not).
bool valid_tag_text(std::string_view text) {
    for (size_t i = 0; i < text.size();) {
        auto byte = static_cast<unsigned char>(text[i]);
        size_t length = byte < 0x80 ? 1 : byte >> 5 == 0x6 ? 2 : byte >> 4 == 0xE ? 3 : 4;
        if (i + length > text.size()) {
            return false;
        }
        char32_t c = length == 1 ? byte : byte & (0x7F >> length);
        for (size_t k = 1; k < length; ++k) {
            c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        }
        if (!allowed_in_tag(c)) {
            return false;
        }
        i += length;
    }
    return true;
}

/// AWS's two refusals of tag text: characters outside its set, then `%` (which the first rule
/// lets through but adding and removing tags do not). Checked once the resource is known to
/// exist.
Status check_tag_text(HandlerContext& ctx,
                      std::string_view resource,
                      const std::vector<std::string_view>& texts,
                      bool adding) {
    SF_TRY(ctx.store.list_tags(resource));  // a missing resource is reported first
    for (std::string_view text : texts) {
        if (!valid_tag_text(text)) {
            return Error{ErrorCode::kInvalidArgument,
                         "Some tags contain invalid characters. Valid characters: Unicode "
                         "letters, digits, white space, _ . / = + - % @."};
        }
    }
    for (std::string_view text : texts) {
        if (text.find('%') != std::string_view::npos) {
            return Error::make(ErrorCode::kInvalidArgument,
                               "Failed to {} stream {} under account {} because some "
                               "tags contained illegal characters. The allowed characters are "
                               "Unicode letters, white-spaces, '_',',','/','=','+','-','@'.",
                               adding ? "add tags to" : "remove tags from",
                               resource,
                               ctx.store.options().account_id);
        }
    }
    return ok();
}

std::vector<std::string_view> texts_of(const std::map<std::string, std::string>& tags) {
    std::vector<std::string_view> texts;
    for (const auto& [key, value] : tags) {
        texts.push_back(key);
        texts.push_back(value);
    }
    return texts;
}

std::vector<std::string_view> texts_of(const std::vector<std::string>& keys) {
    return {keys.begin(), keys.end()};
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
    auto tags = tag_map(request, true);
    SF_TRY(request.check());
    SF_TRY(check_tag_text(ctx, *stream, texts_of(tags), true));
    return empty_or_error(ctx.store.add_tags(*stream, tags));
}

Result<object> remove_tags_from_stream(HandlerContext& ctx, Request& request) {
    auto stream = stream_of(request);
    auto keys = tag_keys(request);
    SF_TRY(request.check());
    SF_TRY(check_tag_text(ctx, *stream, texts_of(keys), false));
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
    auto tags = tag_map(request, true);
    SF_TRY(request.check());
    SF_TRY(check_tag_text(ctx, *arn, texts_of(tags), true));
    return empty_or_error(ctx.store.add_tags(*arn, tags));
}

Result<object> untag_resource(HandlerContext& ctx, Request& request) {
    auto arn = request.string("ResourceARN", "resourceARN", true, 1, 2048);
    auto keys = tag_keys(request);
    SF_TRY(request.check());
    SF_TRY(check_tag_text(ctx, *arn, texts_of(keys), false));
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
