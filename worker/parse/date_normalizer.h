// Reads the dates WHOIS servers write (ISO 8601 with offsets, dd.mm.yyyy,
// yyyy/mm/dd, 08-Mar-2004, "Wed Nov 07 00:01:00 GMT 2001", 20030616, ...)
// and gives the UTC calendar date as "yyyy-mm-dd".
#pragma once

#include <string>
#include <string_view>

namespace whoisq::parse {

// How to read an all-numeric date whose year comes last and whose first two
// numbers are both <= 12 (e.g. 03/04/2005). A server's rule says which; day
// first is the default (most registries outside the US write it so).
enum class DateOrder { kDayFirst, kMonthFirst };

// Returns the UTC date of the first date in `text` as "yyyy-mm-dd", or "" when
// `text` holds no valid date. A time with an offset or a zone name ("+02:00",
// "-0500", "EAT", "GMT") is moved to UTC first; a time without a zone counts as
// UTC. Surrounding words are ignored ("registrar AT ns.il 19960111 (Assigned)").
std::string NormalizeDate(std::string_view text, DateOrder order = DateOrder::kDayFirst);

}  // namespace whoisq::parse
