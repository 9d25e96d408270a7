import Foundation

/// The statutory and guidance time limits, counted in school days.
public struct ClockThresholds: Hashable, Sendable, Codable {
  /// Schools refer to the LA no later than the 10th school day of absence.
  public var referralSchoolDays = 10
  /// A home visit within 5 school days of the referral.
  public var homeVisitSchoolDays = 5
  /// Ground I (2006: h) needs at least 20 school days of continuous absence.
  public var groundISchoolDays = 20
  /// A sickness return once a pupil has been absent ill for 15 school days.
  public var sicknessSchoolDays = 15
  /// A Fair Access place allocated within 20 school days.
  public var fairAccessSchoolDays = 20
  /// Ground H needs 10 school days without return after a leave of absence ended.
  public var groundHSchoolDays = 10
  /// The CTF goes on within 15 school days of the pupil ceasing to be registered.
  public var ctfSchoolDays = 15

  public init() {}
  public static let `default` = ClockThresholds()
}

/// One clock on a case.
public struct Clock: Hashable, Sendable, Codable {
  public enum Kind: String, Sendable, Codable, CaseIterable {
    case referral = "referral"
    case homeVisit = "home-visit"
    case groundI = "ground-i-20-days"
    case sickness = "sickness-return"
    case fairAccess = "fair-access"
    case exclusionSixthDay = "exclusion-sixth-day"
    case groundH = "ground-h-10-days"
    case ctf = "ctf-15-days"
  }

  public enum State: String, Sendable, Codable {
    /// Done in time.
    case met
    /// Running; not yet due.
    case due
    /// Past its due date and not done (or done late): a breach.
    case overdue
    /// The case closed before the clock fell due.
    case stopped
  }

  public var kind: Kind
  public var label: String
  public var startedOn: LocalDate
  public var dueOn: LocalDate?
  public var state: State
  public var detail: String

  public var isBreach: Bool { state == .overdue }
}

/// A spell of absence through illness: from its first day, to its last
/// (nil while it lasts).
public struct IllnessSpell: Hashable, Sendable, Codable {
  public var from: LocalDate
  public var to: LocalDate?

  public init(from: LocalDate, to: LocalDate? = nil) {
    self.from = from
    self.to = to
  }
}

/// What the clocks look at.
public struct ClockFacts: Sendable {
  public var openedOn: LocalDate
  /// The day the referral reached the LA.
  public var referralReceivedOn: LocalDate
  /// True when the referral was the school's deletion return.
  public var referredByDeletionReturn: Bool
  /// The day the school deleted the child from roll, with ``ground``.
  public var deletionDate: LocalDate?
  public var closedOn: LocalDate?
  public var outcome: ClosureOutcome?
  public var lastAttended: LocalDate?
  public var ground: DeletionGround?
  public var firstHomeVisit: LocalDate?
  public var illSince: LocalDate?
  public var fairAccessReferredOn: LocalDate?
  /// True when the case is of a permanently excluded child with no
  /// provision (its reason, or a deletion on the exclusion ground).
  public var permanentlyExcluded: Bool = false
  /// The day a leave of absence ended (ground H's start).
  public var leaveEndedOn: LocalDate?
  /// The spells of illness absence recorded; with ``illSince``, one more
  /// that lasts from that day.
  public var illnessSpells: [IllnessSpell] = []
  /// The day the CTF was sent on.
  public var ctfSentOn: LocalDate?
  /// True while the child's whereabouts are unknown: the CTF goes to the
  /// lost-pupil database (XXX), and the case records it.
  public var whereaboutsUnknown = false

  public init(
    openedOn: LocalDate, closedOn: LocalDate? = nil, outcome: ClosureOutcome? = nil, lastAttended: LocalDate? = nil,
    ground: DeletionGround? = nil, firstHomeVisit: LocalDate? = nil, illSince: LocalDate? = nil,
    fairAccessReferredOn: LocalDate? = nil, referralReceivedOn: LocalDate? = nil,
    referredByDeletionReturn: Bool = false,
    deletionDate: LocalDate? = nil
  ) {
    self.openedOn = openedOn
    self.referralReceivedOn = referralReceivedOn ?? openedOn
    self.referredByDeletionReturn = referredByDeletionReturn
    self.deletionDate = ground == nil ? nil : deletionDate ?? referralReceivedOn ?? openedOn
    self.closedOn = closedOn
    self.outcome = outcome
    self.lastAttended = lastAttended
    self.ground = ground
    self.firstHomeVisit = firstHomeVisit
    self.illSince = illSince
    self.fairAccessReferredOn = fairAccessReferredOn
  }
}

/// The clocks that apply to a case, each with its due date and state on `today`.
public func caseClocks(
  _ f: ClockFacts, today: LocalDate, calendar: SchoolCalendar, thresholds t: ClockThresholds = .default
) -> [Clock] {
  var clocks: [Clock] = []
  let end = min(today, f.closedOn ?? today)
  func counted(_ n: Int, after d: LocalDate) -> LocalDate? { calendar.adding(schoolDays: n, to: d) }
  /// A clock met by a place: the day the case closed with one of `outcomes`
  /// (if it did), and the clock's state by `due`.
  func placement(due: LocalDate?, by outcomes: Set<ClosureOutcome>) -> (placed: LocalDate?, state: Clock.State) {
    let placed = f.outcome.map { outcomes.contains($0) } == true ? f.closedOn : nil
    if let placed { return (placed, due.map { placed <= $0 } ?? true ? .met : .overdue) }
    if let due, end > due { return (nil, .overdue) }
    return (nil, f.closedOn != nil ? .stopped : .due)
  }

  let referred = f.referralReceivedOn
  if f.referredByDeletionReturn, let deletion = f.deletionDate {
    // The deletion return is due as soon as the ground is met, and no later
    // than the deletion.
    let met = referred <= deletion
    clocks.append(
      Clock(
        kind: .referral, label: "Deletion return no later than the deletion", startedOn: deletion, dueOn: deletion,
        state: met ? .met : .overdue,
        detail: met
          ? "received \(referred), deleted \(deletion)"
          : "received \(referred), \(calendar.schoolDays(after: deletion, through: referred)) school days after the deletion (\(deletion))"
      ))
  } else if let last = f.lastAttended {
    // Schools refer by the 10th school day of absence, counted from the
    // first day of absence (the school day after the last attended).
    let due = counted(t.referralSchoolDays, after: last)
    let day = calendar.schoolDays(after: last, through: referred)
    let met = due.map { referred <= $0 } ?? true
    clocks.append(
      Clock(
        kind: .referral, label: "CME referral by the \(t.referralSchoolDays)th school day of absence",
        startedOn: last, dueOn: due, state: met ? .met : .overdue,
        detail: met
          ? "referred on school day \(day) of absence"
          : "referred on school day \(day) of absence, \(day - t.referralSchoolDays) late"))
  }

  let visitDue = counted(t.homeVisitSchoolDays, after: referred)
  if let visit = f.firstHomeVisit {
    let late = visitDue.map { visit > $0 } ?? false
    let n = calendar.schoolDays(after: referred, through: visit)
    clocks.append(
      Clock(
        kind: .homeVisit, label: "Home visit within \(t.homeVisitSchoolDays) school days of referral",
        startedOn: referred,
        dueOn: visitDue, state: late ? .overdue : .met,
        detail: late ? "visited \(visit), school day \(n): late" : "visited \(visit), school day \(n)"))
  } else {
    let state: Clock.State
    if let due = visitDue, end > due {
      state = .overdue
    } else if f.closedOn != nil {
      state = .stopped
    } else {
      state = .due
    }
    clocks.append(
      Clock(
        kind: .homeVisit, label: "Home visit within \(t.homeVisitSchoolDays) school days of referral",
        startedOn: referred,
        dueOn: visitDue, state: state,
        detail: state == .overdue
          ? "no home visit recorded; \(calendar.schoolDays(after: visitDue!, through: end)) school days overdue"
          : state == .stopped ? "the case closed first" : "no home visit yet"))
  }

  // Ground I (2006: h) is lawful only after 20 school days' continuous
  // absence before the deletion: counted to the deletion date, whenever the
  // case opened. Fewer is a sign of off-rolling.
  if let g = f.ground, g.isTwentyDaysAbsence, let last = f.lastAttended, let deletion = f.deletionDate {
    let absent = calendar.schoolDays(after: last, through: deletion)
    let ok = absent >= t.groundISchoolDays
    clocks.append(
      Clock(
        kind: .groundI,
        label: "Ground \(g.letter): \(t.groundISchoolDays) school days' continuous absence before deletion",
        startedOn: last,
        dueOn: counted(t.groundISchoolDays, after: last), state: ok ? .met : .overdue,
        detail: ok
          ? "\(absent) school days of absence before deletion on \(deletion)"
          : "only \(absent) school days of absence before deletion on \(deletion): the ground's condition is not met (possible off-rolling)"
      ))
  }

  // Ground H (2006: f) is lawful only when the pupil has not returned
  // within 10 school days after a leave of absence ended: counted from the
  // day it ended to the deletion. Fewer is a sign of off-rolling.
  if let g = f.ground, g.isLeaveNotReturned, let ended = f.leaveEndedOn, let deletion = f.deletionDate {
    let absent = calendar.schoolDays(after: ended, through: deletion)
    let ok = absent >= t.groundHSchoolDays
    clocks.append(
      Clock(
        kind: .groundH,
        label: "Ground \(g.letter): \(t.groundHSchoolDays) school days without return after leave ended",
        startedOn: ended, dueOn: counted(t.groundHSchoolDays, after: ended), state: ok ? .met : .overdue,
        detail: ok
          ? "\(absent) school days after the leave ended on \(ended), before deletion on \(deletion)"
          : "only \(absent) school days after the leave ended on \(ended), before deletion on \(deletion): the ground's condition is not met (possible off-rolling)"
      ))
  }

  // The deleting school sends the pupil's CTF on within 15 school days of
  // the deletion: to the next school, or to the lost-pupil database (XXX)
  // when it is not known. The case follows the second (the `ctf-xxx`
  // enquiry records it); a known next school receives the first itself.
  if let deletion = f.deletionDate, f.whereaboutsUnknown || f.ctfSentOn != nil {
    let due = counted(t.ctfSchoolDays, after: deletion)
    let state: Clock.State
    if let sent = f.ctfSentOn {
      state = due.map { sent <= $0 } ?? true ? .met : .overdue
    } else if let due, end > due {
      state = .overdue
    } else {
      state = f.closedOn != nil ? .stopped : .due
    }
    clocks.append(
      Clock(
        kind: .ctf, label: "CTF sent on within \(t.ctfSchoolDays) school days of the deletion", startedOn: deletion,
        dueOn: due, state: state,
        detail: f.ctfSentOn.map { "sent \($0)\(state == .overdue ? ": late" : "")" }
          ?? (state == .overdue ? "no CTF recorded as sent (enquiry ctf-xxx)" : "deleted \(deletion)")))
  }

  // Illness: 15 school days in the school year, consecutive or cumulative,
  // make the school's sickness return due and the LA's s19 duty to arrange
  // education apply. Counted over every spell in the academic year of `end`.
  var spells = f.illnessSpells
  if let ill = f.illSince, !spells.contains(where: { $0.from == ill }) { spells.append(IllnessSpell(from: ill)) }
  // The spells of this school year (older ones stay on the record, out of the count).
  let yearStart = LocalDate(year: end.month >= 9 ? end.year : end.year - 1, month: 9, day: 1)!
  spells = spells.filter { ($0.to ?? end) >= yearStart && $0.from <= end }.sorted { $0.from < $1.from }
  if !spells.isEmpty {
    var days = Set<LocalDate>()
    for spell in spells {
      var d = max(spell.from, yearStart)
      let last = min(spell.to ?? end, end)
      while d <= last {
        if calendar.isSchoolDay(d) { days.insert(d) }
        d = d.adding(days: 1)
      }
    }
    let counted = days.sorted()
    let threshold = t.sicknessSchoolDays
    let state: Clock.State
    var due: LocalDate?
    if counted.count >= threshold {
      due = counted[threshold - 1]
      state = .overdue
    } else {
      // Still ill: the day the count would reach the threshold.
      if spells.contains(where: { $0.to == nil || $0.to! >= end }), f.closedOn == nil {
        due = calendar.adding(schoolDays: threshold - counted.count, to: end)
      }
      state = f.closedOn != nil ? .stopped : .due
    }
    let consecutive = spells.count == 1
    clocks.append(
      Clock(
        kind: .sickness,
        label: "Sickness return at \(t.sicknessSchoolDays) school days' illness\(consecutive ? "" : " (cumulative)")",
        startedOn: spells[0].from, dueOn: due, state: state,
        detail: state == .overdue
          ? "reached \(due!) (\(counted.count) school days of illness this school year\(consecutive ? "" : " in \(spells.count) spells")): a sickness return is due and the LA's duty to arrange education (s19) applies"
          : "\(counted.count) of \(threshold) school days of illness this school year\(consecutive ? ", absent ill since \(spells[0].from)" : " in \(spells.count) spells")"
      ))
  }

  // A permanently excluded child is owed suitable full-time education from
  // the sixth school day of the exclusion (s19 Education Act 1996): counted
  // from the last day in school (else the deletion, else the referral); met
  // when the case closes with a place by then.
  if f.permanentlyExcluded || f.ground?.isPermanentExclusion == true {
    let from = f.lastAttended ?? f.deletionDate ?? referred
    let due = counted(6, after: from)
    let (placed, state) = placement(
      due: due, by: [.onRollLASchool, .onRollOtherLASchool, .onRollIndependent, .apOrEOTASPlaced])
    clocks.append(
      Clock(
        kind: .exclusionSixthDay, label: "Provision from the sixth school day of a permanent exclusion",
        startedOn: from, dueOn: due, state: state,
        detail: placed.map { "placed \($0)" }
          ?? (state == .overdue
            ? "no provision recorded; \(calendar.schoolDays(after: due!, through: end)) school days past the sixth day"
            : "excluded; last in school \(from)")))
  }

  if let referred = f.fairAccessReferredOn {
    let due = counted(t.fairAccessSchoolDays, after: referred)
    let (placed, state) = placement(due: due, by: [.onRollLASchool, .onRollOtherLASchool, .apOrEOTASPlaced])
    clocks.append(
      Clock(
        kind: .fairAccess, label: "Fair Access place within \(t.fairAccessSchoolDays) school days", startedOn: referred,
        dueOn: due,
        state: state, detail: placed.map { "placed \($0)" } ?? "referred to Fair Access \(referred)"))
  }
  return clocks
}
