// RFC 3339 dates and date-times, read into UTC seconds with the standard calendar (<chrono>).
#include <telpolicy/date_time.hpp>

#include <array>
#include <cstdio>

namespace telpolicy {
namespace {

// `count` ASCII digits at `text[at]`, as a number; nullopt when any is not a digit.
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

constexpr std::string_view expected =
    "expected a date (2026-12-02) or a date-time with its zone (2026-12-02T09:30:00Z, 2026-12-02T09:30:00+01:00)";

ParsedInstant refuse(std::string reason) { return {std::nullopt, std::move(reason)}; }

}  // namespace

ParsedInstant parse_date_time(std::string_view text) {
    using namespace std::chrono;
    const auto year = digits(text, 0, 4);
    const auto month = digits(text, 5, 2);
    const auto day = digits(text, 8, 2);
    if (!year || !month || !day || text[4] != '-' || text[7] != '-') return refuse(std::string(expected));
    const year_month_day date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                              std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok()) return refuse("there is no such day as " + std::string(text.substr(0, 10)));
    Instant instant = time_point_cast<seconds>(sys_days(date));
    if (text.size() == 10) return {instant, {}};
    if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return refuse(std::string(expected));
    const auto hours = digits(text, 11, 2);
    const auto minutes = digits(text, 14, 2);
    if (!hours || !minutes || text.size() < 16 || text[13] != ':') return refuse(std::string(expected));
    std::size_t at = 16;
    int second_count = 0;
    if (at < text.size() && text[at] == ':') {
        const auto secs = digits(text, at + 1, 2);
        if (!secs) return refuse(std::string(expected));
        second_count = *secs;
        at += 3;
        if (at < text.size() && text[at] == '.') {  // a fraction of a second: rules and requests count seconds
            ++at;
            const std::size_t first = at;
            while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
            if (at == first) return refuse(std::string(expected));
        }
    }
    // 60 is a leap second, which UTC seconds since the epoch do not count: it is read as the next one.
    if (*hours > 23 || *minutes > 59 || second_count > 60) return refuse("the time of '" + std::string(text) + "' is out of range");
    instant += std::chrono::hours(*hours) + std::chrono::minutes(*minutes) + seconds(second_count);
    if (at == text.size()) {
        return refuse("the date-time '" + std::string(text) +
                      "' has no zone; add Z for UTC or an offset such as +01:00");
    }
    if ((text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) return {instant, {}};
    if ((text[at] == '+' || text[at] == '-') && at + 6 == text.size() && text[at + 3] == ':') {
        const auto offset_hours = digits(text, at + 1, 2);
        const auto offset_minutes = digits(text, at + 4, 2);
        if (!offset_hours || !offset_minutes || *offset_hours > 23 || *offset_minutes > 59) {
            return refuse("the zone offset of '" + std::string(text) + "' is out of range");
        }
        const seconds offset = std::chrono::hours(*offset_hours) + std::chrono::minutes(*offset_minutes);
        // 09:30+01:00 is 08:30 UTC.
        return {text[at] == '+' ? instant - offset : instant + offset, {}};
    }
    return refuse(std::string(expected));
}

std::string format_timestamp(Instant instant) {
    using namespace std::chrono;
    const sys_days day = floor<days>(instant);
    const year_month_day date{day};
    const hh_mm_ss<seconds> time{instant - day};
    std::array<char, 40> text{};
    const int written = std::snprintf(text.data(), text.size(), "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                                      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                                      static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                                      static_cast<int>(time.seconds().count()));
    return std::string(text.data(), written > 0 ? static_cast<std::size_t>(written) : 0);
}

std::string format_date_time(Instant instant) {
    std::string text = format_timestamp(instant);
    if (text.size() == 20 && text.compare(10, 10, "T00:00:00Z") == 0) text.resize(10);
    return text;
}

Instant now() noexcept { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

}  // namespace telpolicy
