// Dates and times as rules files and requests write them: the instants at which forms, contacts and
// rules take effect or end (`valid_from`, `valid_until`), and the one a request is decided for
// (`as_of`).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace telpolicy {

// A point in time, to the second, in UTC.
using Instant = std::chrono::sys_seconds;

struct ParsedInstant {
    std::optional<Instant> value;
    std::string error;  // for people, when value is empty: what was expected
};

// "2026-12-02" (that day's start in UTC), or an RFC 3339 date-time with its zone:
// "2026-12-02T09:30:00Z", "2026-12-02T09:30:00+01:00", "2026-12-02T09:30Z" (seconds optional, a
// fraction of a second dropped). A date-time without a zone is refused: a rule that takes effect at
// 09:00 means nothing until it says where.
ParsedInstant parse_date_time(std::string_view text);

// RFC 3339 in UTC, "2026-12-02T09:30:00Z"; midnight gives the date alone, "2026-12-02", as rules files
// write it.
std::string format_date_time(Instant instant);

// The same, always as a date-time: what decisions and logs carry, so that tools read one shape.
std::string format_timestamp(Instant instant);

// The current time, to the second.
Instant now() noexcept;

}  // namespace telpolicy
