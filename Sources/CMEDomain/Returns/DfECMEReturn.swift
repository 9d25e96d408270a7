/// The figures of the DfE's termly collection of children missing education
/// (mandatory since autumn 2024): the children missing education on the
/// census day, by sex, year group, time missing and primary reason, and the
/// children missing education at any point in the academic year.
///
/// A child counts only while of compulsory school age; a case open for a
/// child outside it (opened with a stated reason) is given apart, not
/// counted. Children on a school's roll who are not in full-time education
/// (the register's second part) are not missing education in the DfE's
/// sense: they too are given apart, not counted. Counts are exact: the DfE rounds them when it publishes.
public enum DfECMEReturn {
  /// One case, as the return needs it.
  public struct Episode: Sendable {
    public var childId: Int64
    public var dateOfBirth: LocalDate
    public var sex: Sex
    public var reason: CaseReason
    public var openedOn: LocalDate
    public var closedOn: LocalDate?
    /// The day the child was last in education, if known (the last day of
    /// attendance, else the deletion date).
    public var missingSince: LocalDate?

    public init(
      childId: Int64, dateOfBirth: LocalDate, sex: Sex, reason: CaseReason, openedOn: LocalDate, closedOn: LocalDate?,
      missingSince: LocalDate?
    ) {
      self.childId = childId
      self.dateOfBirth = dateOfBirth
      self.sex = sex
      self.reason = reason
      self.openedOn = openedOn
      self.closedOn = closedOn
      self.missingSince = missingSince
    }

    /// Open on `day`: opened by then and not closed by then.
    func isOpen(on day: LocalDate) -> Bool { openedOn <= day && (closedOn.map { $0 > day } ?? true) }

    /// Open on some day from `start` to `end` while the child was of compulsory school age.
    func counts(from start: LocalDate, through end: LocalDate) -> Bool {
      let first = max(start, openedOn)
      let last = min(end, closedOn ?? end)
      guard first <= last else { return false }
      let age = CompulsorySchoolAge(dateOfBirth: dateOfBirth)
      return age.from <= last && first <= age.through
    }
  }

  /// One figure: what is counted, in which category, how many.
  public struct Figure: Hashable, Sendable, Codable {
    public var measure: String
    public var category: String
    public var count: Int
  }

  /// 12 weeks: the DfE's split of time missing.
  static let twelveWeeks = 84

  /// The academic year (1 September to 31 August) that holds `day`.
  public static func academicYear(of day: LocalDate) -> (start: LocalDate, end: LocalDate, label: String) {
    let year = day.month >= 9 ? day.year : day.year - 1
    return (
      LocalDate(year: year, month: 9, day: 1)!, LocalDate(year: year + 1, month: 8, day: 31)!,
      "\(year)/\(String(year + 1).suffix(2))"
    )
  }

  public static func figures(census: LocalDate, episodes all: [Episode]) -> [Figure] {
    let episodes = all.filter { $0.reason.scope == .missingEducation }
    let open = episodes.filter { $0.isOpen(on: census) }
    let counted = open.filter { CompulsorySchoolAge(dateOfBirth: $0.dateOfBirth).contains(census) }
    let onRoll = all.filter { $0.reason.scope == .onRollNotFullTime && $0.isOpen(on: census) }
    var out: [Figure] = [
      Figure(measure: "census day", category: "children missing education", count: Set(counted.map(\.childId)).count),
      Figure(
        measure: "census day", category: "open cases of children outside compulsory school age (not counted)",
        count: open.count - counted.count),
      Figure(
        measure: "census day", category: "open cases of children on roll but not in full-time education (not counted)",
        count: onRoll.count),
    ]
    for sex in [Sex.female, .male, .unknown] {
      let label = sex == .female ? "female" : sex == .male ? "male" : "unknown"
      out.append(Figure(measure: "sex", category: label, count: counted.filter { $0.sex == sex }.count))
    }
    var groups: [String: Int] = [:]
    for e in counted { groups[YearGroup.label(e.dateOfBirth.yearGroup(on: census)), default: 0] += 1 }
    for label in YearGroup.labels where groups[label] != nil {
      out.append(Figure(measure: "year group", category: label, count: groups[label]!))
    }
    let short = counted.filter { $0.missingSince.map { census.days(since: $0) <= twelveWeeks } ?? false }.count
    let long = counted.filter { $0.missingSince.map { census.days(since: $0) > twelveWeeks } ?? false }.count
    out += [
      Figure(measure: "time missing", category: "12 weeks or less", count: short),
      Figure(measure: "time missing", category: "more than 12 weeks", count: long),
      Figure(measure: "time missing", category: "not known", count: counted.count - short - long),
    ]
    for reason in CaseReason.allCases {
      let n = counted.filter { $0.reason == reason }.count
      if n > 0 { out.append(Figure(measure: "primary reason", category: reason.rawValue, count: n)) }
    }
    let year = academicYear(of: census)
    let previous = academicYear(of: year.start.adding(days: -1))
    func atAnyPoint(_ start: LocalDate, _ end: LocalDate) -> Int {
      Set(episodes.filter { $0.counts(from: start, through: end) }.map(\.childId)).count
    }
    out += [
      Figure(
        measure: "at any point", category: "\(year.label) to the census day",
        count: atAnyPoint(year.start, census)),
      Figure(measure: "at any point", category: previous.label, count: atAnyPoint(previous.start, previous.end)),
    ]
    return out
  }
}
