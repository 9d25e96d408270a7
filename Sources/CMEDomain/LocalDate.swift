import Foundation

/// A calendar date with no time or time zone: a date of birth, the day a
/// case opened, the last day a child attended.
///
/// Stored and printed as ISO 8601 `YYYY-MM-DD`, which also sorts correctly
/// as text. Arithmetic is in whole days.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  /// Creates a date, or nil when no such day exists (30 February, month 13).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...LocalDate.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Creates the date that is `days` days after 1970-01-01.
  public init(daysSinceEpoch days: Int) {
    // Howard Hinnant's civil-from-days algorithm.
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
    self.month = m
    self.day = d
  }

  /// Days since 1970-01-01 (negative before it).
  public var daysSinceEpoch: Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = month > 2 ? month - 3 : month + 9
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  public static func isLeap(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  /// The date `days` days later (earlier when negative).
  public func adding(days: Int) -> LocalDate {
    LocalDate(daysSinceEpoch: daysSinceEpoch + days)
  }

  /// Whole days from `other` to `self`.
  public func days(since other: LocalDate) -> Int {
    daysSinceEpoch - other.daysSinceEpoch
  }

  /// ISO weekday: 1 is Monday, 7 is Sunday.
  public var weekday: Int {
    // 1970-01-01 was a Thursday (4).
    let r = (daysSinceEpoch + 3) % 7
    return (r < 0 ? r + 7 : r) + 1
  }

  /// Age in completed years on `date`.
  public func age(on date: LocalDate) -> Int {
    var years = date.year - year
    if (date.month, date.day) < (month, day) { years -= 1 }
    return years
  }

  /// The English school year group (Reception = 0, Year 1 = 1, …) of a child
  /// born on this date, in the academic year that contains `date`.
  ///
  /// A child starts Reception in the September after their fourth birthday;
  /// the cohort runs from 1 September to 31 August.
  public func yearGroup(on date: LocalDate) -> Int {
    let academicYearStart = date.month >= 9 ? date.year : date.year - 1
    let cohortYear = month >= 9 ? year + 1 : year  // the year in which the cohort turns 5 by 31 Aug
    return academicYearStart - cohortYear - 4
  }

  public var description: String {
    let y = String(year)
    let m = String(month)
    let d = String(day)
    return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-"
      + (m.count == 1 ? "0" + m : m) + "-" + (d.count == 1 ? "0" + d : d)
  }

  public static func < (a: LocalDate, b: LocalDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  private static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]

  /// Parses `YYYY-MM-DD`, saying which field was wrong and why.
  public static func parse(_ text: String, field: String) throws(InvalidInput) -> LocalDate {
    // Read as bytes: imports parse several dates on every row.
    let b = Array(trimmingWhiteSpace(text).utf8)
    func digits(_ r: Range<Int>) -> Int? {
      var n = 0
      for i in r {
        guard b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") else { return nil }
        n = n * 10 + Int(b[i] - UInt8(ascii: "0"))
      }
      return n
    }
    guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
      let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10)
    else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a date in the form YYYY-MM-DD",
        fix: "Write the date as year-month-day, e.g. 2026-09-14")
    }
    guard (1...12).contains(m) else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a real date: there is no month \(m)",
        fix: "Months run from 01 to 12")
    }
    guard y >= 1, let date = LocalDate(year: y, month: m, day: d) else {
      throw InvalidInput(
        field: field,
        problem:
          "'\(text)' is not a real date: \(monthNames[m - 1]) \(y) has \(daysIn(month: m, year: y)) days",
        fix: "Check the day of the month")
    }
    return date
  }

  /// Today's date in England (Europe/London), from the system clock.
  ///
  /// Rules never call this: they take "today" as a parameter. Only the
  /// command line reads the clock, once, and passes the date down.
  public static func today(now: Date = Date()) -> LocalDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Europe/London") ?? .gmt
    let c = calendar.dateComponents([.year, .month, .day], from: now)
    return LocalDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
      ?? LocalDate(daysSinceEpoch: 0)
  }
}

extension LocalDate {
  /// Reads a stored `YYYY-MM-DD` quickly, byte by byte; nil for anything
  /// else. For text the register wrote itself; user input goes through
  /// ``parse(_:field:)``, which explains what is wrong.
  public init?(iso text: String) {
    var text = text
    guard let parsed = text.withUTF8({ LocalDate(isoBytes: $0) }) else { return nil }
    self = parsed
  }

  /// ``init(iso:)`` from the text's UTF-8 bytes (as a database hands them
  /// over), without making a string first.
  public init?<Bytes: RandomAccessCollection>(isoBytes b: Bytes) where Bytes.Element == UInt8, Bytes.Index == Int {
    guard b.count == 10 else { return nil }
    let o = b.startIndex
    guard b[o + 4] == UInt8(ascii: "-"), b[o + 7] == UInt8(ascii: "-") else { return nil }
    func digits(_ from: Int, _ to: Int) -> Int? {
      var n = 0
      for i in from..<to {
        let d = Int(b[o + i]) - 48
        guard (0...9).contains(d) else { return nil }
        n = n * 10 + d
      }
      return n
    }
    guard let y = digits(0, 4), let m = digits(5, 7), let d = digits(8, 10) else { return nil }
    self.init(year: y, month: m, day: d)
  }
}

/// The rule every dated event meets: it happened on or before today.
public enum EventDate {
  /// Refuses `date` after `today`, naming `field`.
  public static func notAfterToday(_ date: LocalDate, field: String, today: LocalDate, fix: String)
    throws(InvalidInput)
  {
    guard date <= today else { throw InvalidInput(field: field, problem: "\(date) is in the future", fix: fix) }
  }
}
