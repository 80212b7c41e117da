// When a form, a contact or a rule is in effect: from `valid_from` (included) until `valid_until`
// (excluded), either bound open. A mailbox retired on 22 July 2021 has `valid_until: 2021-07-22`: it is
// no longer given on that day.
#pragma once

#include <string>

#include <telpolicy/date_time.hpp>

namespace telpolicy {

struct EffectivePeriod {
    Instant from{Instant::min()};
    Instant until{Instant::max()};

    [[nodiscard]] bool contains(Instant instant) const noexcept { return from <= instant && instant < until; }
    [[nodiscard]] bool bounded() const noexcept { return from != Instant::min() || until != Instant::max(); }

    // "from 2027-01-01", "until 2021-07-22", "from 2021-07-22 until 2027-01-01"; empty when unbounded.
    [[nodiscard]] std::string describe() const {
        std::string text;
        if (from != Instant::min()) text = "from " + format_date_time(from);
        if (until != Instant::max()) text += (text.empty() ? "until " : " until ") + format_date_time(until);
        return text;
    }
};

}  // namespace telpolicy
