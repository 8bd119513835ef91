// AES-256-GCM iterator tokens through OpenSSL EVP.

#include "engine/store/iterators/iterator_token.h"

#include "engine/common/base64.h"
#include "engine/store/shards/sequence_number.h"
#include "engine/store/stream_store.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

namespace shardflow::store {
namespace {

constexpr unsigned char kHeader[8] = {0, 0, 0, 0, 0, 0, 0, 1};
constexpr int kNonceSize = 12;
constexpr int kTagSize = 16;
constexpr size_t kShortestToken = 152;  // bytes, as AWS's tokens are

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

Error invalid_iterator() {
    return Error{ErrorCode::kInvalidArgument, "Invalid ShardIterator."};
}

// "Mon Jan 02 15:04:05 UTC 2006", the Java Date form AWS uses in ExpiredIteratorException.
std::string java_date(EpochMillis ms) {
    return format_utc(ms, "%a %b %d %H:%M:%S UTC %Y");
}

std::vector<std::string_view> split_fields(std::string_view text) {
    std::vector<std::string_view> fields;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '/') {
            fields.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    return fields;
}

std::optional<int64_t> parse_int64(std::string_view s) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || value < 0) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string IteratorCodec::encode(const IteratorPosition& p) const {
    SequenceNumber seq{p.shard_create_secs, p.shard_index, p.seq_ix, p.created_ms / 1000};
    std::string plain = fmt::format("{:014}/{}/{}/{}/{}",
                                    p.created_ms,
                                    p.stream_name,
                                    shard_id_name(p.shard_index),
                                    seq.to_string(),
                                    p.stream_id);
    // Padded with a sixth field ("/..." or nothing) to AWS's token shape: 152 bytes, plus 16
    // for each further block.
    size_t framing = sizeof kHeader + kNonceSize + kTagSize;
    size_t total = std::max<size_t>(kShortestToken, framing + plain.size());
    total = kShortestToken + (total - kShortestToken + 15) / 16 * 16;
    if (size_t padding = total - framing - plain.size(); padding > 0) {
        plain += '/' + std::string(padding - 1, '.');
    }
    std::string out(sizeof kHeader + kNonceSize + plain.size() + kTagSize, '\0');
    auto* bytes = reinterpret_cast<unsigned char*>(out.data());
    std::memcpy(bytes, kHeader, sizeof kHeader);
    unsigned char* nonce = bytes + sizeof kHeader;
    unsigned char* cipher = nonce + kNonceSize;
    unsigned char* tag = cipher + plain.size();
    SF_CHECK(RAND_bytes(nonce, kNonceSize) == 1);
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int len = 0;
    int aad_len = 0;
    int final_len = 0;
    bool sealed =
        ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &aad_len, kHeader, sizeof kHeader) == 1 &&
        EVP_EncryptUpdate(ctx.get(),
                          cipher,
                          &len,
                          reinterpret_cast<const unsigned char*>(plain.data()),
                          static_cast<int>(plain.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx.get(), cipher + len, &final_len) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, tag) == 1;
    SF_CHECK(sealed && static_cast<size_t>(len + final_len) == plain.size());
    return base64_encode(out);
}

Result<IteratorPosition> IteratorCodec::decode(std::string_view token, EpochMillis now_ms) const {
    auto raw = base64_decode(token);
    if (!raw || raw->size() < sizeof kHeader + kNonceSize + kTagSize ||
        std::memcmp(raw->data(), kHeader, sizeof kHeader) != 0) {
        return invalid_iterator();
    }
    const auto* nonce = reinterpret_cast<const unsigned char*>(raw->data()) + sizeof kHeader;
    const unsigned char* cipher = nonce + kNonceSize;
    const size_t cipher_len = raw->size() - sizeof kHeader - kNonceSize - kTagSize;
    // EVP_CTRL_GCM_SET_TAG takes a non-const pointer but only reads the tag.
    auto* tag = const_cast<unsigned char*>(cipher + cipher_len);
    std::string plain(cipher_len, '\0');
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int len = 0;
    int aad_len = 0;
    int final_len = 0;
    bool authentic =
        ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &aad_len, kHeader, sizeof kHeader) == 1 &&
        EVP_DecryptUpdate(ctx.get(),
                          reinterpret_cast<unsigned char*>(plain.data()),
                          &len,
                          cipher,
                          static_cast<int>(cipher_len)) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag) == 1 &&
        EVP_DecryptFinal_ex(
            ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &final_len) == 1;
    if (!authentic) {
        return invalid_iterator();
    }

    auto fields = split_fields(plain);
    bool padded = fields.size() == 6 && fields[5].find_first_not_of('.') == std::string_view::npos;
    if ((fields.size() != 5 && !padded) || fields[0].size() != 14) {
        return invalid_iterator();
    }
    auto created_ms = parse_int64(fields[0]);
    auto stream_id = parse_int64(fields[4]);
    auto shard_index = parse_shard_id(fields[2]);
    auto seq = SequenceNumber::parse(fields[3]);
    if (!created_ms || !stream_id || !fields[2].starts_with("shardId-") || fields[2].size() != 20 ||
        !shard_index || !seq || seq->shard_index != *shard_index) {
        return invalid_iterator();
    }
    IteratorPosition p;
    p.created_ms = *created_ms;
    p.stream_name = std::string(fields[1]);
    p.shard_index = *shard_index;
    p.shard_create_secs = seq->shard_create_secs;
    p.seq_ix = seq->seq_ix;
    p.stream_id = *stream_id;
    if (p.created_ms <= 0 || p.created_ms > now_ms + 1000) {
        return invalid_iterator();
    }
    if (now_ms - p.created_ms > kLifetimeMs) {
        return Error::make(
            ErrorCode::kExpiredIterator,
            "Iterator expired. The iterator was created at time {} while right now it is {} "
            "which is further in the future than the tolerated delay of {} milliseconds.",
            java_date(p.created_ms),
            java_date(now_ms),
            kLifetimeMs);
    }
    return p;
}

}  // namespace shardflow::store
