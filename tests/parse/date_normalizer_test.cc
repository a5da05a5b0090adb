#include "worker/parse/date_normalizer.h"

#include <gtest/gtest.h>

namespace whoisq::parse {
namespace {

struct DateCase {
  const char* input;
  DateOrder order;
  const char* want;
};

constexpr DateOrder kDay = DateOrder::kDayFirst;
constexpr DateOrder kMonth = DateOrder::kMonthFirst;

const DateCase kCases[] = {
    // ISO 8601, with and without time, zone and fractions.
    {"2015-04-01T07:41:59Z", kDay, "2015-04-01"},
    {"2003-04-30T00:00:00.000Z", kDay, "2003-04-30"},
    {"2011-03-30T19:36:27+02:00", kDay, "2011-03-30"},
    {"2011-03-30T01:36:27+02:00", kDay, "2011-03-29"},
    {"1999-02-17T00:00:00+13:00", kDay, "1999-02-16"},
    {"2012-05-16 09:28:56 -0400", kDay, "2012-05-16"},
    {"2013-11-23 22:00:00 -0500", kDay, "2013-11-24"},
    {"2017-12-18T19:00:-0500Z", kDay, "2017-12-19"},
    {"2002-12-04 00:00:00+02", kDay, "2002-12-03"},
    {"1999-06-05 00:00:00", kDay, "1999-06-05"},
    {"2008-05-08 17:59:38.43", kDay, "2008-05-08"},
    {"2014-12-31T23:30:00-01:00", kDay, "2015-01-01"},
    // Slashes and dots.
    {"2000/10/03", kDay, "2000-10-03"},
    {"2005.10.16", kDay, "2005-10-16"},
    {"21.07.2000 15:21:00", kDay, "2000-07-21"},
    {"03.01.2015", kDay, "2015-01-03"},
    {"28/04/2003", kDay, "2003-04-28"},
    {"10/11/2009 14:06:58 EAT", kDay, "2009-11-10"},
    {"03/02/2012", kMonth, "2012-03-02"},
    {"12/18/2001", kDay, "2001-12-18"},  // 18 cannot be a month
    {"06-04-2004", kDay, "2004-04-06"},
    // Month names.
    {"08-Mar-2004", kDay, "2004-03-08"},
    {"26-mar-2010", kDay, "2010-03-26"},
    {"26-Mar-2002 06:48:27 UTC", kDay, "2002-03-26"},
    {"13-MAY-2009", kDay, "2009-05-13"},
    {"21-March-2002", kDay, "2002-03-21"},
    {"2001-Aug-23.", kDay, "2001-08-23"},
    {"Wed Nov 07 00:01:00 GMT 2001", kDay, "2001-11-07"},
    {"Tue Dec 12 2000", kDay, "2000-12-12"},
    {"Sun Nov  5 14:03:48 GMT 2000", kDay, "2000-11-05"},
    {"31 Oct 2002 00:00 UTC", kDay, "2002-10-31"},
    {"2nd April, 2001", kDay, "2001-04-02"},
    {"Wednesday 17th September 2003", kDay, "2003-09-17"},
    {"on Mon Apr 19 21:47:14 2010", kDay, "2010-04-19"},
    // Compact numbers.
    {"20030616", kDay, "2003-06-16"},
    {"19990518 #162310", kDay, "1999-05-18"},
    {"OK-UNTIL 20131218000000", kDay, "2013-12-18"},
    {"registrar AT ns.il 19960111 (Assigned)", kDay, "1996-01-11"},
    {"2011-11-09 (YYYY-MM-DD)", kDay, "2011-11-09"},
    {"\"2011-01-13T15:45:18+01:00\"", kDay, "2011-01-13"},
    // Not dates.
    {"", kDay, ""},
    {"never", kDay, ""},
    {"N/A", kDay, ""},
    {"2013-02-30", kDay, ""},
    {"32.01.2010", kDay, ""},
    {"1 year", kDay, ""},
    {"99999999999999999999999", kDay, ""},
};

TEST(DateNormalizer, ReadsEveryCorpusFormat) {
  for (const DateCase& c : kCases) {
    EXPECT_EQ(NormalizeDate(c.input, c.order), c.want) << "input: \"" << c.input << "\"";
  }
}

TEST(DateNormalizer, ServerRuleDecidesAmbiguousOrder) {
  EXPECT_EQ(NormalizeDate("03/04/2005", DateOrder::kDayFirst), "2005-04-03");
  EXPECT_EQ(NormalizeDate("03/04/2005", DateOrder::kMonthFirst), "2005-03-04");
}

}  // namespace
}  // namespace whoisq::parse
