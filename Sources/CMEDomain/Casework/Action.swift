import Foundation

/// Where a multi-agency action stands. Open → accepted or declined (with a
/// reason) → done (with an outcome) or cancelled (with a reason).
public enum ActionState: String, ClosedList {
  case open, accepted, declined, done, cancelled

  public static let noun = "action state"
  public var label: String { rawValue }

  /// Still waiting on the agency.
  public var isLive: Bool { self == .open || self == .accepted }

  /// The states an action may move to from this one.
  public var next: [ActionState] {
    switch self {
    case .open: [.accepted, .declined, .done, .cancelled]
    case .accepted: [.done, .cancelled]
    case .declined, .done, .cancelled: []
    }
  }
}

/// A follow-up action asked of a partner agency.
public struct CaseAction: Hashable, Sendable, Codable {
  public var id: Int64
  public var caseReference: String
  public var agency: Agency
  public var description: String
  public var dueOn: LocalDate
  public var owner: String?
  public var state: ActionState
  /// The reason for a decline or cancellation, or the outcome when done.
  public var note: String?
  public var raisedBy: String
  public var raisedOn: LocalDate
  /// The professional around the child who carries the action, if one is named.
  public var professional: ProfessionalRef?

  public init(
    id: Int64, caseReference: String, agency: Agency, description: String, dueOn: LocalDate, owner: String?,
    state: ActionState, note: String?, raisedBy: String, raisedOn: LocalDate
  ) {
    self.id = id
    self.caseReference = caseReference
    self.agency = agency
    self.description = description
    self.dueOn = dueOn
    self.owner = owner
    self.state = state
    self.note = note
    self.raisedBy = raisedBy
    self.raisedOn = raisedOn
  }

  /// School days overdue on `today` (0 when not overdue or no longer live).
  public func schoolDaysOverdue(on today: LocalDate, calendar: SchoolCalendar) -> Int {
    state.isLive ? CaseAction.schoolDaysOverdue(dueOn: dueOn, on: today, calendar: calendar) : 0
  }

  /// School days a live action due on `dueOn` is overdue on `today`: at
  /// least 1 once past due (a weekend or holiday still counts as late), 0 before.
  public static func schoolDaysOverdue(dueOn: LocalDate, on today: LocalDate, calendar: SchoolCalendar) -> Int {
    guard today > dueOn else { return 0 }
    return max(1, calendar.schoolDays(after: dueOn, through: today))
  }

  public func isOverdue(on today: LocalDate) -> Bool { state.isLive && today > dueOn }
}

/// A professional named on an action: their record's id, name and role.
public struct ProfessionalRef: Hashable, Sendable, Codable {
  public var id: Int64
  public var name: String
  public var role: String

  public init(id: Int64, name: String, role: String) {
    self.id = id
    self.name = name
    self.role = role
  }
}

/// The rules of actions.
public enum ActionRules {
  public static func validateNew(description: String, dueOn: LocalDate, today: LocalDate) throws(InvalidInput) {
    _ = try requireText(description, field: "description", what: "the description")
    guard dueOn >= today else {
      throw InvalidInput(field: "dueOn", problem: "\(dueOn) is in the past", fix: "Give a due date from today on")
    }
  }

  /// How far back an action agreed earlier (at a meeting, on a call) may be
  /// recorded with the day it was agreed.
  public static let backDatingLimitDays = 30

  /// Checks the day an action recorded later was agreed: not after today,
  /// not before the case opened, at most ``backDatingLimitDays`` back; and
  /// that it falls due no earlier than it was agreed (it may already be overdue).
  public static func validateAgreed(
    _ agreed: LocalDate, description: String, dueOn: LocalDate, caseOpenedOn: LocalDate, today: LocalDate
  ) throws(InvalidInput) {
    _ = try requireText(description, field: "description", what: "the description")
    guard agreed <= today else {
      throw InvalidInput(field: "raisedOn", problem: "\(agreed) is in the future", fix: "Give the day it was agreed")
    }
    guard agreed >= caseOpenedOn else {
      throw InvalidInput(
        field: "raisedOn", problem: "\(agreed) is before the case opened (\(caseOpenedOn))",
        fix: "Give a day since the case opened")
    }
    guard today.days(since: agreed) <= backDatingLimitDays else {
      throw InvalidInput(
        field: "raisedOn", problem: "\(agreed) is more than \(backDatingLimitDays) days ago",
        fix: "Record an action agreed within the last \(backDatingLimitDays) days; note older ones in a visit")
    }
    guard dueOn >= agreed else {
      throw InvalidInput(
        field: "dueOn", problem: "\(dueOn) is before the day it was agreed (\(agreed))",
        fix: "Give the due date agreed")
    }
  }

  /// Checks the day an action's change happened when it is recorded later:
  /// not after today, not before the action was raised, at most
  /// ``backDatingLimitDays`` back.
  public static func validateOccurred(_ day: LocalDate, raisedOn: LocalDate, today: LocalDate) throws(InvalidInput) {
    guard day <= today else {
      throw InvalidInput(field: "on", problem: "\(day) is in the future", fix: "Give the day it happened")
    }
    guard day >= raisedOn else {
      throw InvalidInput(
        field: "on", problem: "\(day) is before the action was raised (\(raisedOn))",
        fix: "Give a day on or after \(raisedOn)")
    }
    guard today.days(since: day) <= backDatingLimitDays else {
      throw InvalidInput(
        field: "on", problem: "\(day) is more than \(backDatingLimitDays) days ago",
        fix: "Record what happened within the last \(backDatingLimitDays) days; note older events in a visit")
    }
  }

  /// Checks a move from one state to another, with the note it needs.
  public static func validateMove(
    id: Int64, from: ActionState, to: ActionState, note: String?
  ) throws(InvalidInput) {
    guard from.next.contains(to) else {
      let fix =
        from.next.isEmpty
        ? "A \(from.rawValue) action is finished; add a new action if more is needed"
        : "From \(from.rawValue) it can become \(from.next.map(\.rawValue).joined(separator: " or "))"
      throw InvalidInput(
        field: "ACTION", problem: "action \(id) is already \(from.rawValue) and cannot become \(to.rawValue)", fix: fix)
    }
    switch to {
    case .declined, .cancelled: _ = try requireText(note ?? "", field: "reason", what: "the reason")
    case .done: _ = try requireText(note ?? "", field: "outcome", what: "the outcome")
    default: break
    }
  }
}
