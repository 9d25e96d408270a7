import Foundation

/// Who gave a child's recorded ethnicity. The DfE's guidance is that
/// ethnicity is recorded as the parent (or, where old enough, the pupil)
/// states it; a school may ascribe it only where neither has, and says so.
public enum EthnicitySource: String, ClosedList {
  case parent
  case pupil
  case ascribed

  public static let noun = "ethnicity source"
  public var label: String {
    switch self {
    case .parent: "stated by the parent"
    case .pupil: "stated by the pupil"
    case .ascribed: "ascribed by a school"
    }
  }
}

/// Whether a child is a Service child (a parent in the armed forces), as the
/// school census records it.
public enum ServiceChild: String, ClosedList {
  case yes, no, refused
  case notKnown = "not-known"

  public static let noun = "service-child answer"
  public var label: String {
    switch self {
    case .yes: "Service child"
    case .no: "not a Service child"
    case .refused: "refused to say whether a Service child"
    case .notKnown: "not known whether a Service child"
    }
  }
}

/// One period of eligibility for free school meals, as schools record it
/// (and transfer files carry it: `FSMinstance` with its start and end date
/// and UK country). Eligibility on a day and "ever 6" (eligible at any time
/// in the six years before) are worked out from the periods, not recorded.
public struct FSMPeriod: Hashable, Sendable, Codable {
  public var start: LocalDate
  /// The last day of eligibility; nil while it lasts.
  public var end: LocalDate?
  /// The UK country that found the child eligible: ENG, WLS, SCO or NIR.
  public var country: String

  public static let countries = ["ENG", "WLS", "SCO", "NIR"]

  public init(start: LocalDate, end: LocalDate? = nil, country: String = "ENG") {
    self.start = start
    self.end = end
    self.country = country
  }

  public func covers(_ day: LocalDate) -> Bool { start <= day && (end.map { day <= $0 } ?? true) }

  /// Reads `FROM:TO[:COUNTRY]`, e.g. `2024-09-01:2025-07-31` or `2025-09-01:` (still eligible).
  public static func parse(_ text: String, field: String) throws(InvalidInput) -> FSMPeriod {
    let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
    guard (2...3).contains(parts.count) else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a period",
        fix:
          "Write FROM:TO (e.g. 2024-09-01:2025-07-31), FROM: while it lasts, and :WLS, :SCO or :NIR after it if not England"
      )
    }
    let start = try LocalDate.parse(String(parts[0]), field: field)
    let end = parts[1].isEmpty ? nil : try LocalDate.parse(String(parts[1]), field: field)
    let country = parts.count == 3 ? parts[2].uppercased() : "ENG"
    guard countries.contains(country) else {
      throw InvalidInput(
        field: field, problem: "'\(parts[2])' is not a UK country code", fix: "Use ENG, WLS, SCO or NIR")
    }
    let p = FSMPeriod(start: start, end: end, country: country)
    try p.validate(field: field)
    return p
  }

  public func validate(field: String) throws(InvalidInput) {
    if let end, end < start {
      throw InvalidInput(
        field: field, problem: "the period ends (\(end)) before it starts (\(start))", fix: "Give the start first")
    }
  }

  public var description: String {
    "\(start) to \(end.map(String.init(describing:)) ?? "now")\(country == "ENG" ? "" : " (\(country))")"
  }
}

extension Child {
  /// Eligible for free school meals on `day`: from the periods when any are
  /// recorded, else the yes/no recorded (nil when neither is).
  public func fsmEligible(on day: LocalDate) -> Bool? {
    fsmPeriods.isEmpty ? freeSchoolMeals : fsmPeriods.contains { $0.covers(day) }
  }

  /// "Ever 6": eligible at any time in the six years up to `day` (nil when
  /// no period is recorded and no yes/no either).
  public func everFSM6(on day: LocalDate) -> Bool? {
    guard !fsmPeriods.isEmpty else { return freeSchoolMeals == true ? true : nil }
    let from = LocalDate(year: day.year - 6, month: day.month, day: min(day.day, 28))!
    return fsmPeriods.contains { $0.start <= day && ($0.end.map { $0 >= from } ?? true) }
  }
}
