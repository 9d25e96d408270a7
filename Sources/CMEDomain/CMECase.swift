import Foundation

/// A CME case: one episode in which a child is missing education, from the
/// day it opened until the child is found in suitable education (or the
/// case closes for another recorded reason). A child may have several over
/// the years; a closed case can be reopened, and keeps its history.
public struct CMECase: Hashable, Sendable, Codable {
  public var id: Int64?
  public var reference: String
  public var childId: Int64
  public var openedOn: LocalDate
  public var referralSource: ReferralSource
  public var reason: CaseReason
  /// Set when the case came from a school's deletion from roll.
  public var deletionGround: DeletionGround?
  public var lastAttended: LocalDate?
  public var whereaboutsKnown: Bool
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
    whereaboutsKnown: Bool, leadCaseworker: String? = nil
  ) {
    self.reference = reference
    self.childId = childId
    self.openedOn = openedOn
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
  public static func validateOpening(
    openedOn: LocalDate, lastAttended: LocalDate?, today: LocalDate
  ) throws(InvalidInput) {
    guard openedOn <= today else {
      throw InvalidInput(
        field: "openedOn", problem: "\(openedOn) is in the future", fix: "A case opens on or before today")
    }
    if let lastAttended {
      guard lastAttended <= openedOn else {
        throw InvalidInput(
          field: "lastAttended", problem: "\(lastAttended) is after the case opened (\(openedOn))",
          fix: "Give the last day the child attended school, before the referral")
      }
    }
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
