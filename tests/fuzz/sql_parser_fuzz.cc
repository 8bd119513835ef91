// libFuzzer target for the SQL parser: any text gives statements or an error, never a crash, a
// hang, a stack overflow or a sanitizer report. Build with the `fuzz` preset (clang).

#include "sql/parser/parser.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)shardflow::sql::parse_script(text);
    (void)shardflow::sql::is_complete_statement(text);
    return 0;
}
