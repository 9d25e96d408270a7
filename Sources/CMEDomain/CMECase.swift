import Foundation

/// A CME case: one episode in which a child is missing education, from the
/// day it opened until the child is found in suitable education (or the
/// case closes for another recorded reason). A child may have several over
/// the years; a closed case can be reopened, and keeps its history.
public struct CMECase: Hashable, Sendable, Codable {
  public var id: Int64?
  public var reference: String
  public var childId: Int64
  /// The day the LA opened the case.
  public var openedOn: LocalDate
  /// The day the referral reached the LA (on or before the opening), and who made it.
  public var referralReceivedOn: LocalDate
  public var referralSource: ReferralSource
  public var reason: CaseReason
  /// Set when a school deleted the child from roll: the ground, under the
  /// regulations in force on ``deletionDate``.
  public var deletionGround: DeletionGround?
  /// The day the school deleted the child from roll; set with the ground.
  public var deletionDate: LocalDate?
  /// The last day the child attended school.
  public var lastAttended: LocalDate?
  /// Why the case is open for a child outside compulsory school age on the
  /// opening day (none when the child is of compulsory school age).
  public var outsideSchoolAgeReason: String?
  public var whereaboutsKnown: Bool
  /// For a child on roll on a part-time timetable: the hours of education a week.
  public var weeklyHours: Double?
  /// The user name of the lead caseworker, if one is assigned.
  public var leadCaseworker: String?
  public var status: CaseStatus = .open
  public var closedOn: LocalDate?
  public var outcome: ClosureOutcome?
  public var outcomeEvidence: String?
  /// The current rating (the latest in the rating history).
  public var rag: RAG?

  public init(
    reference: String, childId: Int64, openedOn: LocalDate, referralSource: ReferralSource,
    reason: CaseReason, deletionGround: DeletionGround? = nil, lastAttended: LocalDate? = nil,
    whereaboutsKnown: Bool, leadCaseworker: String? = nil, referralReceivedOn: LocalDate? = nil,
    deletionDate: LocalDate? = nil, outsideSchoolAgeReason: String? = nil
  ) {
    self.reference = reference
    self.childId = childId
    self.openedOn = openedOn
    // One date used to serve for all three: the referral, unless given, on
    // the opening day, and a deletion, unless given, on the referral day (a
    // deletion return comes no later than the deletion).
    self.referralReceivedOn = referralReceivedOn ?? openedOn
    self.deletionDate = deletionGround == nil ? nil : deletionDate ?? referralReceivedOn ?? openedOn
    self.outsideSchoolAgeReason = outsideSchoolAgeReason
    self.referralSource = referralSource
    self.reason = reason
    self.deletionGround = deletionGround
    self.lastAttended = lastAttended
    self.whereaboutsKnown = whereaboutsKnown
    self.leadCaseworker = leadCaseworker
  }

  /// Days the case has been open on `today` (to its closing day once closed).
  public func daysOpen(on today: LocalDate) -> Int {
    (closedOn ?? today).days(since: openedOn)
  }
}

/// One change of a case's status, with the day it took effect.
public struct StatusChange: Hashable, Sendable, Codable {
  public enum Kind: String, Sendable, Codable { case opened, closed, reopened }
  public var kind: Kind
  public var effectiveOn: LocalDate
  public var note: String?
  public var by: String
  public var at: String

  public init(kind: Kind, effectiveOn: LocalDate, note: String?, by: String, at: String) {
    self.kind = kind
    self.effectiveOn = effectiveOn
    self.note = note
    self.by = by
    self.at = at
  }
}

/// The rules for opening, closing and reopening a case.
public enum CaseRules {
  /// Checks a case against its part of the register: a child on roll is
  /// where the school knows; a part-time timetable has its hours a week,
  /// and only a case of a child on roll has hours.
  public static func validateScope(_ c: CMECase) throws(InvalidInput) {
    switch c.reason.scope {
    case .onRollNotFullTime:
      guard c.whereaboutsKnown else {
        throw InvalidInput(
          field: "whereabouts",
          problem: "a child on roll (\(c.reason.rawValue)) cannot have unknown whereabouts",
          fix:
            "Open the case as whereabouts-unknown if the child cannot be found, or record the whereabouts as known")
      }
      if c.reason == .partTimeTimetable, c.weeklyHours == nil {
        throw InvalidInput(
          field: "hours", problem: "a part-time timetable needs its hours a week",
          fix: "Give the hours of education the timetable gives each week (e.g. 12.5)")
      }
      if let hours = c.weeklyHours { try WeeklyHours.validate(hours, field: "hours") }
    case .missingEducation:
      if c.weeklyHours != nil {
        throw InvalidInput(
          field: "hours", problem: "hours a week apply only to a child on roll (\(c.reason.rawValue) is not)",
          fix:
            "Leave out the hours, or give the reason part-time-timetable, informal-exclusion or lac-no-suitable-place")
      }
    }
  }

  /// Checks a case's dates against each other and today: the referral on
  /// or before the opening, the last day of attendance before the referral
  /// and the deletion, a deletion not in the future, and a ground under the
  /// regulations in force on its deletion date.
  public static func validateDates(_ c: CMECase, today: LocalDate) throws(InvalidInput) {
    guard c.openedOn <= today else {
      throw InvalidInput(
        field: "openedOn", problem: "\(c.openedOn) is in the future", fix: "A case opens on or before today")
    }
    guard c.referralReceivedOn <= c.openedOn else {
      throw InvalidInput(
        field: "referralReceivedOn", problem: "\(c.referralReceivedOn) is after the case opened (\(c.openedOn))",
        fix: "Give the day the referral reached the LA, on or before the day the case opened")
    }
    if let lastAttended = c.lastAttended {
      guard lastAttended <= c.referralReceivedOn else {
        throw InvalidInput(
          field: "lastAttended",
          problem: "\(lastAttended) is after the referral was received (\(c.referralReceivedOn))",
          fix: "Give the last day the child attended school, before the referral")
      }
      if let deletion = c.deletionDate, lastAttended > deletion {
        throw InvalidInput(
          field: "lastAttended", problem: "\(lastAttended) is after the deletion date (\(deletion))",
          fix: "Give the last day the child attended school, on or before the deletion")
      }
    }
    switch (c.deletionGround, c.deletionDate) {
    case (nil, nil): break
    case (nil, _?):
      throw InvalidInput(
        field: "ground", problem: "a deletion date without the ground the school deleted on",
        fix: "Give the deletion ground with the deletion date")
    case (_?, nil):
      throw InvalidInput(
        field: "deletionDate", problem: "a deletion ground without the day of the deletion",
        fix: "Give the day the school deleted the child from roll")
    case (let ground?, let deletion?):
      guard deletion <= today else {
        throw InvalidInput(
          field: "deletionDate", problem: "\(deletion) is in the future",
          fix: "A school cannot delete a pupil in advance; give the day it deleted the child")
      }
      // The ground must be one of the regulations in force that day.
      _ = try DeletionGround.Written(regime: ground.regime, letter: ground.letter).ground(deletedOn: deletion)
    }
  }

  /// The case with the school's deletion recorded or corrected: a ground
  /// (as written) and its deletion date, either of them new. A ground kept
  /// keeps its regulations, so a new date under other regulations is refused
  /// with the ground that fits it.
  public static func recordingDeletion(
    of c: CMECase, ground written: DeletionGround.Written?, on date: LocalDate?, today: LocalDate
  ) throws(InvalidInput) -> CMECase {
    guard let day = date ?? c.deletionDate else {
      throw InvalidInput(
        field: "deletionDate", problem: "\(c.reference) has no deletion date",
        fix: "Give the day the school deleted the child from roll with the ground")
    }
    guard let w = written ?? c.deletionGround.map({ DeletionGround.Written(regime: $0.regime, letter: $0.letter) })
    else {
      throw InvalidInput(
        field: "ground", problem: "\(c.reference) has no deletion ground",
        fix: "Give the ground the school deleted the child on with the deletion date")
    }
    var after = c
    after.deletionGround = try w.ground(deletedOn: day)
    after.deletionDate = day
    try validateDates(after, today: today)
    return after
  }

  /// Checks that `c` may close on `date` with `evidence`, and returns the
  /// evidence trimmed.
  @discardableResult
  public static func validateClosing(
    _ c: CMECase, on date: LocalDate, evidence: String, today: LocalDate
  ) throws(InvalidInput) -> String {
    guard c.status == .open else {
      throw InvalidInput(
        field: "CASE", problem: "\(c.reference) is already closed (\(c.outcome?.rawValue ?? "no outcome"))",
        fix: "Reopen it if the child is missing again", next: .reopenCase(c.reference))
    }
    guard date <= today else {
      throw InvalidInput(field: "closedOn", problem: "\(date) is in the future", fix: "Close on or before today")
    }
    guard date >= c.openedOn else {
      throw InvalidInput(
        field: "closedOn", problem: "\(date) is before the case opened (\(c.openedOn))",
        fix: "Give the day the outcome was confirmed")
    }
    return try requireText(evidence, field: "evidence", what: "the evidence")
  }

  public static func validateReopening(_ c: CMECase, on date: LocalDate, today: LocalDate) throws(InvalidInput) {
    guard c.status == .closed else {
      throw InvalidInput(field: "CASE", problem: "\(c.reference) is open", fix: "Only a closed case can be reopened")
    }
    guard date <= today else {
      throw InvalidInput(field: "reopenedOn", problem: "\(date) is in the future", fix: "Reopen on or before today")
    }
    if let closedOn = c.closedOn, date < closedOn {
      throw InvalidInput(
        field: "reopenedOn", problem: "\(date) is before the case closed (\(closedOn))",
        fix: "Give the day the child was found to be missing again")
    }
  }
}
