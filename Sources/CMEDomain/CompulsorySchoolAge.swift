import Foundation

/// Compulsory school age in England (Education Act 1996 s8): the days on
/// which a child born on a given day is of compulsory school age.
///
/// It begins on the first prescribed day — 31 December, 31 March or
/// 31 August — on or after the fifth birthday (the Education (Start of
/// Compulsory School Age) Order 1998), so the child must be in education
/// from the start of the next term (spring, summer or autumn). It ends at
/// the end of the school leaving date, the last Friday in June (the
/// Education (School Leaving Date) Order 1997), of the school year
/// (1 September to 31 August) in which the child turns 16.
public struct CompulsorySchoolAge: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The first day of compulsory school age.
  public let from: LocalDate
  /// The last day of compulsory school age.
  public let through: LocalDate

  public init(dateOfBirth dob: LocalDate) {
    let fifth = Self.birthday(dob, age: 5)
    let prescribed = [
      LocalDate(year: fifth.year, month: 3, day: 31)!, LocalDate(year: fifth.year, month: 8, day: 31)!,
      LocalDate(year: fifth.year, month: 12, day: 31)!,
    ]
    from = prescribed.first { $0 >= fifth }!
    let sixteenth = Self.birthday(dob, age: 16)
    let leavingYear = sixteenth.month >= 9 ? sixteenth.year + 1 : sixteenth.year
    through = Self.lastFridayOfJune(leavingYear)
  }

  /// Whether a child is of compulsory school age on `date`.
  public func contains(_ date: LocalDate) -> Bool { from <= date && date <= through }

  /// Whether the child has passed compulsory school age by `date`.
  public func hasEnded(by date: LocalDate) -> Bool { date > through }

  public var description: String { "\(from) to \(through)" }

  /// A birthday; a child born on 29 February has it on 1 March in other years.
  static func birthday(_ dob: LocalDate, age: Int) -> LocalDate {
    LocalDate(year: dob.year + age, month: dob.month, day: dob.day)
      ?? LocalDate(year: dob.year + age, month: 3, day: 1)!
  }

  /// The last Friday in June of `year`, the school leaving date.
  public static func lastFridayOfJune(_ year: Int) -> LocalDate {
    let last = LocalDate(year: year, month: 6, day: 30)!
    // ISO weekday: Friday is 5.
    return last.adding(days: -((last.weekday - 5 + 7) % 7))
  }
}

extension CaseRules {
  /// Refuses to open a case for a child outside compulsory school age on the
  /// opening day unless a reason is given; returns the reason, trimmed.
  public static func validateSchoolAge(
    dateOfBirth dob: LocalDate, on date: LocalDate, outsideSchoolAgeReason: String?
  ) throws(InvalidInput) -> String? {
    let csa = CompulsorySchoolAge(dateOfBirth: dob)
    let reason = optionalText(outsideSchoolAgeReason)
    guard !csa.contains(date) else { return reason }
    guard let reason else {
      let when = date < csa.from ? "is not yet of compulsory school age" : "is past compulsory school age"
      throw InvalidInput(
        field: "outsideSchoolAgeReason",
        problem:
          "the child (born \(dob)) is \(dob.age(on: date)) on \(date) and \(when): compulsory school age runs from \(csa.from) to \(csa.through)",
        fix:
          "A CME case is for a child of compulsory school age; check the date of birth, or give the reason for opening it anyway"
      )
    }
    return reason
  }
}

extension ClosureRules {
  /// A case closes as `ceased-csa` only once the child has passed compulsory
  /// school age on the closing day.
  public static func validateCeasedSchoolAge(dateOfBirth dob: LocalDate, closedOn: LocalDate) throws(InvalidInput) {
    let csa = CompulsorySchoolAge(dateOfBirth: dob)
    guard csa.hasEnded(by: closedOn) else {
      throw InvalidInput(
        field: "outcome",
        problem:
          "the child (born \(dob)) is \(dob.age(on: closedOn)) on \(closedOn) and of compulsory school age until \(csa.through), so the case cannot close as ceased-csa",
        fix: "Close it as ceased-csa after \(csa.through), or choose the outcome the evidence supports")
    }
  }
}
