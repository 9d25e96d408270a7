import CMEDomain
import Testing

struct LocalDateTests {
  @Test(arguments: [
    ("2026-02-30", "--dob: '2026-02-30' is not a real date: February 2026 has 28 days. Check the day of the month"),
    ("2025-02-29", "--dob: '2025-02-29' is not a real date: February 2025 has 28 days. Check the day of the month"),
    ("2026-04-31", "--dob: '2026-04-31' is not a real date: April 2026 has 30 days. Check the day of the month"),
    ("2026-13-01", "--dob: '2026-13-01' is not a real date: there is no month 13. Months run from 01 to 12"),
    (
      "02/03/2014",
      "--dob: '02/03/2014' is not a date in the form YYYY-MM-DD. Write the date as year-month-day, e.g. 2026-09-14"
    ),
    (
      "2014-3-2",
      "--dob: '2014-3-2' is not a date in the form YYYY-MM-DD. Write the date as year-month-day, e.g. 2026-09-14"
    ),
    ("", "--dob: '' is not a date in the form YYYY-MM-DD. Write the date as year-month-day, e.g. 2026-09-14"),
  ])
  func impossible_dates_are_refused_with_the_reason(_ text: String, _ message: String) {
    do {
      _ = try LocalDate.parse(text, field: "--dob")
      Issue.record("\(text) should be refused")
    } catch {
      #expect(error.description == message)
    }
  }

  @Test func leap_days_exist_in_leap_years() throws {
    #expect(try LocalDate.parse("2024-02-29", field: "d").description == "2024-02-29")
    #expect(LocalDate(year: 2000, month: 2, day: 29) != nil)
    #expect(LocalDate(year: 1900, month: 2, day: 29) == nil)
  }

  @Test func days_since_epoch_round_trips() {
    for days in stride(from: -800_000, through: 800_000, by: 997) {
      #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days)
    }
    #expect(LocalDate(year: 1970, month: 1, day: 1)!.daysSinceEpoch == 0)
    #expect(LocalDate(year: 2026, month: 11, day: 22)!.daysSinceEpoch == 20_779)
  }

  @Test func arithmetic_and_weekdays() {
    let d = LocalDate(year: 2026, month: 12, day: 30)!
    #expect(d.adding(days: 3).description == "2027-01-02")
    #expect(LocalDate(year: 2027, month: 1, day: 2)!.days(since: d) == 3)
    #expect(LocalDate(year: 2026, month: 11, day: 22)!.weekday == 7)  // a Sunday
    #expect(LocalDate(year: 2026, month: 11, day: 16)!.weekday == 1)  // a Monday
  }

  @Test func age_counts_completed_years() {
    let dob = LocalDate(year: 2014, month: 3, day: 2)!
    #expect(dob.age(on: LocalDate(year: 2026, month: 3, day: 1)!) == 11)
    #expect(dob.age(on: LocalDate(year: 2026, month: 3, day: 2)!) == 12)
  }

  @Test func year_group_follows_the_september_cohort() {
    let today = LocalDate(year: 2026, month: 11, day: 16)!
    // Born September 2021 to August 2022: Reception in 2026/27.
    #expect(LocalDate(year: 2021, month: 9, day: 1)!.yearGroup(on: today) == 0)
    #expect(LocalDate(year: 2022, month: 8, day: 31)!.yearGroup(on: today) == 0)
    // Born 2014-03-02: Reception in 2018/19, so Year 8 in 2026/27.
    #expect(LocalDate(year: 2014, month: 3, day: 2)!.yearGroup(on: today) == 8)
    #expect(LocalDate(year: 2010, month: 9, day: 1)!.yearGroup(on: today) == 11)
  }
}

struct StoredDateTests {
  @Test func the_fast_reader_agrees_with_the_parser() throws {
    for text in ["2026-11-16", "2024-02-29", "1970-01-01", "2028-12-31"] {
      #expect(LocalDate(iso: text) == (try LocalDate.parse(text, field: "d")))
    }
    for bad in ["2026-02-30", "2026-13-01", "2026/11/16", "26-11-16", "2026-11-1", "", "2026-1a-01"] {
      #expect(LocalDate(iso: bad) == nil, "\(bad)")
    }
  }

  @Test func dates_are_read_from_bytes_within_a_list() {
    // A list as a kept row holds it: each date read in place, where it lies.
    let bytes = Array("2026-11-16,2024-02-29,2026-02-30,2026-1,x".utf8)
    let parts = bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    #expect(parts.map { LocalDate(isoBytes: $0)?.description } == ["2026-11-16", "2024-02-29", nil, nil, nil])
    #expect(LocalDate(isoBytes: bytes[11..<21]) == LocalDate(year: 2024, month: 2, day: 29))
    #expect(LocalDate(isoBytes: bytes[10..<20]) == nil)
  }
}
