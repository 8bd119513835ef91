// libFuzzer target for JsonFields: any bytes give a result or an error, never a crash, and
// whatever it accepts Boost.JSON parses too.

#include "connectors/formats/json_fields.h"

#include <boost/json.hpp>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static shardflow::connectors::JsonFields fields({"a", "b", "page", "ts"});
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!fields.scan(text)) {
        return 0;
    }
    for (size_t i = 0; i < 4; ++i) {
        (void)fields.string(i);
        (void)fields.int64(i);
        (void)fields.number(i);
    }
    boost::system::error_code ec;
    boost::json::parse(text, ec);
    if (ec == boost::json::error::too_deep || ec == boost::json::error::exponent_overflow) {
        return 0;  // limits of Boost.JSON's, not rules of JSON
    }
    if (ec) {
        std::abort();  // the scanner accepted what is not JSON
    }
    return 0;
}
