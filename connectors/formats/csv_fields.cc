// CSV scanning: unquoted fields are views; quoted ones are copied only when they hold "".

#include "connectors/formats/csv_fields.h"

#include "engine/common/parse_number.h"

namespace shardflow::connectors {

Status CsvFields::scan(std::string_view record) {
    fields_.clear();
    decoded_.clear();
    if (record.ends_with("\r\n")) {
        record.remove_suffix(2);
    } else if (record.ends_with('\n')) {
        record.remove_suffix(1);
    }
    size_t pos = 0;
    while (true) {
        Field field;
        if (pos < record.size() && record[pos] == '"') {
            size_t start = ++pos;
            bool doubled = false;
            while (true) {
                size_t quote = record.find('"', pos);
                if (quote == std::string_view::npos) {
                    return Error::make(ErrorCode::kInvalidArgument,
                                       "unterminated quoted field at byte {}",
                                       start - 1);
                }
                if (quote + 1 < record.size() && record[quote + 1] == '"') {
                    doubled = true;
                    pos = quote + 2;
                    continue;
                }
                field.text = record.substr(start, quote - start);
                pos = quote + 1;
                break;
            }
            if (pos < record.size() && record[pos] != separator_) {
                return Error::make(ErrorCode::kInvalidArgument,
                                   "unexpected character after a quoted field at byte {}",
                                   pos);
            }
            if (doubled) {
                std::string& out = decoded_.emplace_back();
                for (size_t i = 0; i < field.text.size(); ++i) {
                    out += field.text[i];
                    i += field.text[i] == '"';  // "" is one quote
                }
                field.decoded = static_cast<int32_t>(decoded_.size() - 1);
            }
        } else {
            size_t end = record.find(separator_, pos);
            field.text = record.substr(
                pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
            if (size_t quote = field.text.find('"'); quote != std::string_view::npos) {
                return Error::make(ErrorCode::kInvalidArgument,
                                   "a quote inside an unquoted field at byte {}",
                                   pos + quote);
            }
            pos += field.text.size();
        }
        fields_.push_back(field);
        if (pos >= record.size()) {
            return ok();
        }
        ++pos;  // the separator
    }
}

Result<std::string_view> CsvFields::string(size_t field) const {
    if (field >= fields_.size()) {
        return Error::make(ErrorCode::kInvalidArgument,
                           "the record has {} fields, field {} was asked for",
                           fields_.size(),
                           field + 1);
    }
    const Field& f = fields_[field];
    return f.decoded < 0 ? f.text : std::string_view(decoded_[static_cast<size_t>(f.decoded)]);
}

Result<int64_t> CsvFields::int64(size_t field) const {
    SF_ASSIGN_OR_RETURN(auto text, string(field));
    if (auto value = parse_number<int64_t>(text)) {
        return *value;
    }
    return Error::make(ErrorCode::kInvalidArgument,
                       "field {} is not an integer: {}",
                       field + 1,
                       text.substr(0, 40));
}

Result<double> CsvFields::number(size_t field) const {
    SF_ASSIGN_OR_RETURN(auto text, string(field));
    if (auto value = parse_number<double>(text)) {
        return *value;
    }
    return Error::make(
        ErrorCode::kInvalidArgument, "field {} is not a number: {}", field + 1, text.substr(0, 40));
}

}  // namespace shardflow::connectors
