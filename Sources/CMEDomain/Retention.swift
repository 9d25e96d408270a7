/// How long a child's record is kept, and when it may be disposed of.
///
/// No national retention period for children-missing-education records
/// exists; local authorities' schedules commonly keep a pupil's records until
/// their 25th birthday ("DOB+25"), and case files six years after the case
/// ends ("CASE+6"). A record is kept until the later of the two, and longer
/// while a legal hold (an inquiry, a complaint, litigation) is on it.
public struct RetentionPolicy: Hashable, Sendable {
  /// Years after the date of birth (25: until the 25th birthday).
  public var yearsAfterBirth = 25
  /// Years after the last case closed.
  public var yearsAfterLastCase = 6

  public init(yearsAfterBirth: Int = 25, yearsAfterLastCase: Int = 6) {
    self.yearsAfterBirth = yearsAfterBirth
    self.yearsAfterLastCase = yearsAfterLastCase
  }

  /// The last day the record is kept: the later of the birthday
  /// `yearsAfterBirth` on and `yearsAfterLastCase` years after the last
  /// case closed (a 29 February moves to 28 February in a year without one).
  public func retainedUntil(dateOfBirth: LocalDate, lastCaseClosed: LocalDate?) -> LocalDate {
    let byBirth = Self.adding(years: yearsAfterBirth, to: dateOfBirth)
    guard let closed = lastCaseClosed else { return byBirth }
    return max(byBirth, Self.adding(years: yearsAfterLastCase, to: closed))
  }

  /// Whether a child's record may be disposed of on `today`: past its date,
  /// with no open case and no legal hold.
  public func isDue(
    dateOfBirth: LocalDate, lastCaseClosed: LocalDate?, hasOpenCase: Bool, onHold: Bool, today: LocalDate
  ) -> Bool {
    !hasOpenCase && !onHold && retainedUntil(dateOfBirth: dateOfBirth, lastCaseClosed: lastCaseClosed) < today
  }

  static func adding(years: Int, to date: LocalDate) -> LocalDate {
    let year = date.year + years
    let day = min(date.day, LocalDate.daysIn(month: date.month, year: year))
    return LocalDate(year: year, month: date.month, day: day)!
  }
}
