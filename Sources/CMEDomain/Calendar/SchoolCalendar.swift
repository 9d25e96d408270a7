import Foundation

/// The authority's school days: term periods, less closures (bank holidays)
/// and training days that fall inside them, Monday to Friday only: the days
/// pupils are taught (190 in an English school year).
///
/// The law and the DfE's guidance count time in school days (the 5, 10,
/// 15 and 20-day rules); everything here counts in them. An authority
/// replaces the shipped default for England with its own term dates.
public struct SchoolCalendar: Sendable, Equatable {
  public enum Kind: String, Sendable, Codable, CaseIterable {
    /// Days pupils are expected in school (Monday–Friday within it).
    case term
    /// Days with no school: bank holidays, closures.
    case closure
    /// Training (INSET) days: staff in, pupils not taught; not school days
    /// for any clock, which counts the days pupils are taught.
    case training
  }

  public struct Period: Sendable, Equatable, Codable {
    public var kind: Kind
    public var start: LocalDate
    public var end: LocalDate
    public var description: String

    public init(kind: Kind, start: LocalDate, end: LocalDate, description: String) {
      self.kind = kind
      self.start = start
      self.end = end
      self.description = description
    }

    public func contains(_ d: LocalDate) -> Bool { start <= d && d <= end }
  }

  public let periods: [Period]
  /// School days as days-since-epoch, sorted, for counting by binary search.
  private let days: [Int]

  public init(periods: [Period]) {
    self.periods = periods.sorted { ($0.start, $0.kind.rawValue) < ($1.start, $1.kind.rawValue) }
    // Counted in days since the epoch: the closed days first, then each
    // term's weekdays that are not among them.
    var closed = Set<Int>()
    for c in periods where c.kind != .term && c.start <= c.end {
      closed.formUnion(c.start.daysSinceEpoch...c.end.daysSinceEpoch)
    }
    var set = Set<Int>()
    for t in periods where t.kind == .term && t.start <= t.end {
      for d in t.start.daysSinceEpoch...t.end.daysSinceEpoch where !closed.contains(d) {
        // 1970-01-01 was a Thursday: (d + 3) mod 7 is 0 on a Monday, 5 and 6 at the weekend.
        if ((d + 3) % 7 + 7) % 7 < 5 { set.insert(d) }
      }
    }
    days = set.sorted()
  }

  /// The days pupils are taught in the academic year (1 September to 31
  /// August) that starts in `year`: 190 in a full English school year.
  public func pupilDays(inAcademicYearStarting year: Int) -> Int {
    let start = LocalDate(year: year, month: 9, day: 1)!
    return schoolDays(after: start.adding(days: -1), through: LocalDate(year: year + 1, month: 8, day: 31)!)
  }

  /// The first and last days the calendar covers.
  public var coverage: ClosedRange<LocalDate>? {
    let terms = periods.filter { $0.kind == .term }
    guard let first = terms.map(\.start).min(), let last = terms.map(\.end).max() else { return nil }
    return first...last
  }

  public func isSchoolDay(_ d: LocalDate) -> Bool {
    let i = index(of: d.daysSinceEpoch, after: false)
    return i < days.count && days[i] == d.daysSinceEpoch
  }

  /// School days after `from` up to and including `to` (0 when `to` is not after `from`).
  ///
  /// Counting from the last day a child attended to today gives the school
  /// days missed.
  public func schoolDays(after from: LocalDate, through to: LocalDate) -> Int {
    guard to > from else { return 0 }
    return index(of: to.daysSinceEpoch, after: true) - index(of: from.daysSinceEpoch, after: true)
  }

  /// The `n`th school day after `date` (n ≥ 1), or nil beyond the calendar.
  public func adding(schoolDays n: Int, to date: LocalDate) -> LocalDate? {
    let i = index(of: date.daysSinceEpoch, after: true) + n - 1
    guard n >= 1, i < days.count else { return n == 0 ? date : nil }
    return LocalDate(daysSinceEpoch: days[i])
  }

  /// The first index whose day is > d (after: true) or >= d (after: false).
  private func index(of d: Int, after: Bool) -> Int {
    var lo = 0
    var hi = days.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if days[mid] < d || (after && days[mid] == d) { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  // MARK: - Reading a calendar file

  /// The columns of a calendar file, in order.
  public static let columns = ["kind", "start", "end", "description"]

  /// The most rows a calendar file may have.
  public static let maximumRows = 2000

  /// Reads a calendar CSV (`kind,start,end,description`), listing every
  /// problem with its line and column. Terms may not overlap one another.
  /// `text` without the spaces and tabs at either end (`CharacterSet.whitespaces`),
  /// returned as it is when it starts and ends with other ASCII: every
  /// cell of the shipped calendar, which every command reads.
  static func spaceTrimmed(_ text: String) -> String {
    let utf8 = text.utf8
    if let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80,
      first != UInt8(ascii: " "), first != UInt8(ascii: "\t"), last != UInt8(ascii: " "), last != UInt8(ascii: "\t")
    {
      return text
    }
    return text.trimmingCharacters(in: .whitespaces)
  }

  public static func read(csv data: [UInt8], file: String) throws(FileProblems) -> SchoolCalendar {
    let records = try CSVReader.parse(data, file: file)
    guard let header = records.first else {
      throw FileProblems([
        FileProblem(
          file: file, line: 1, column: "1",
          message: "the file is empty; it needs the header \(columns.joined(separator: ","))")
      ])
    }
    let names = header.fields.map { spaceTrimmed($0).lowercased() }
    guard names == columns else {
      throw FileProblems([
        FileProblem(
          file: file, line: header.line, column: "1",
          message:
            "the header is '\(header.fields.joined(separator: ","))'; it must be \(columns.joined(separator: ","))")
      ])
    }
    // Four years of terms, closures and training days come to about 100
    // rows; a file far larger is not a calendar.
    guard records.count <= maximumRows + 1 else {
      throw FileProblems([
        FileProblem(
          file: file, line: records[maximumRows + 1].line, column: "1",
          message: "the file has \(records.count - 1) rows; a calendar has at most \(maximumRows)")
      ])
    }
    var problems: [FileProblem] = []
    var periods: [(line: Int, period: Period)] = []
    var seen: [String: Int] = [:]
    for r in records.dropFirst() {
      let key = r.fields.map { spaceTrimmed($0).lowercased() }.prefix(3).joined(separator: ",")
      if let first = seen[key] {
        problems.append(FileProblem(file: file, line: r.line, column: "1", message: "the same period as line \(first)"))
        continue
      }
      seen[key] = r.line
      guard r.fields.count == 4 else {
        problems.append(
          FileProblem(
            file: file, line: r.line, column: "\(min(r.fields.count + 1, 5))",
            message: "\(r.fields.count) fields; each line needs 4: kind,start,end,description"))
        continue
      }
      let kind = Kind(rawValue: spaceTrimmed(r.fields[0]).lowercased())
      if kind == nil {
        problems.append(
          FileProblem(
            file: file, line: r.line, column: "kind", message: "'\(r.fields[0])' is not term, closure or training"))
      }
      var start: LocalDate?
      var end: LocalDate?
      do { start = try LocalDate.parse(r.fields[1], field: "start") } catch {
        problems.append(FileProblem(file: file, line: r.line, column: "start", message: error.problem))
      }
      do { end = try LocalDate.parse(r.fields[2], field: "end") } catch {
        problems.append(FileProblem(file: file, line: r.line, column: "end", message: error.problem))
      }
      guard let kind, let start, let end else { continue }
      guard start <= end else {
        problems.append(
          FileProblem(file: file, line: r.line, column: "end", message: "\(end) is before the start, \(start)"))
        continue
      }
      periods.append(
        (
          r.line,
          Period(kind: kind, start: start, end: end, description: spaceTrimmed(r.fields[3]))
        ))
    }
    let terms = periods.filter { $0.period.kind == .term }.sorted { $0.period.start < $1.period.start }
    for (a, b) in zip(terms, terms.dropFirst()) where b.period.start <= a.period.end {
      problems.append(
        FileProblem(
          file: file, line: b.line, column: "start",
          message:
            "the term \(b.period.start) to \(b.period.end) overlaps the term on line \(a.line) (\(a.period.start) to \(a.period.end))"
        ))
    }
    for (line, p) in periods where p.kind == .training {
      if !terms.contains(where: { $0.period.start <= p.start && p.end <= $0.period.end }) {
        problems.append(
          FileProblem(
            file: file, line: line, column: "start",
            message:
              "the training day \(p.start) to \(p.end) is not inside a term (a training day is a term day pupils are not taught)"
          ))
      }
    }
    if problems.isEmpty && terms.isEmpty {
      problems.append(FileProblem(file: file, line: header.line, column: "kind", message: "the file has no terms"))
    }
    guard problems.isEmpty else {
      throw FileProblems(problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }
    return SchoolCalendar(periods: periods.map(\.period))
  }

  /// Writes the calendar in the file format `read(csv:file:)` takes.
  public var csv: String {
    (["kind,start,end,description"]
      + periods.map { p in
        let d =
          p.description.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
          ? "\"" + p.description.replacingScalars(["\"": "\"\""]) + "\"" : p.description
        return "\(p.kind.rawValue),\(p.start),\(p.end),\(d)"
      }).joined(separator: "\n") + "\n"
  }
}

extension SchoolCalendar {
  /// The shipped default: a typical English term pattern (six half-terms a
  /// year) and England's bank holidays, for the academic years 2024/25 to
  /// 2027/28. An authority replaces it with its own (`cme calendar import`).
  public static let englandDefault: SchoolCalendar = {
    // The file is part of the binary and is checked by the tests.
    (try? read(csv: PackageResources.england_default_calendar_csv, file: "england-default-calendar.csv"))
      ?? SchoolCalendar(periods: [])
  }()

  /// The default calendar's file, for `cme calendar show --format csv` and as a template.
  public static var englandDefaultCSV: String {
    String(decoding: PackageResources.england_default_calendar_csv, as: UTF8.self)
  }
}

/// The calendars clocks count in: the authority's, and the schools (most
/// often academies) that set their own term dates.
public struct Calendars: Sendable {
  public var authority: SchoolCalendar
  /// Each school's own calendar, by the school's stored key.
  public var schools: [String: SchoolCalendar]

  public init(authority: SchoolCalendar, schools: [String: SchoolCalendar] = [:]) {
    self.authority = authority
    self.schools = schools
  }

  /// The calendar of `school` when it keeps its own, else the authority's.
  public func calendar(for school: SchoolRef?) -> SchoolCalendar {
    school.flatMap { schools[$0.storageKey] } ?? authority
  }

  /// The school's own calendar, or nil when it follows the authority's.
  public func own(for school: SchoolRef?) -> SchoolCalendar? { school.flatMap { schools[$0.storageKey] } }
}
