import Foundation

/// What a board decides about a case.
public enum BoardDecisionKind: String, ClosedList {
  case `continue`
  case escalateSocialCare = "escalate-social-care"
  case escalatePolice = "escalate-police"
  case close
  case changeRAG = "change-rag"
  case addAction = "add-action"

  public static let noun = "board decision"
  public var label: String {
    switch self {
    case .continue: "continue as planned"
    case .escalateSocialCare: "escalate to children's social care"
    case .escalatePolice: "escalate to the police"
    case .close: "close the case"
    case .changeRAG: "change the RAG rating"
    case .addAction: "add an action"
    }
  }
}

/// The rules that put a case on a board agenda.
public struct AgendaRules: Hashable, Sendable {
  /// Amber cases open longer than this many school days.
  public var amberAfterSchoolDaysOpen = 20

  public init(amberAfterSchoolDaysOpen: Int = 20) { self.amberAfterSchoolDaysOpen = amberAfterSchoolDaysOpen }

  /// What the rules look at for one open case.
  public struct Facts: Sendable {
    public var rag: RAG?
    public var schoolDaysOpen: Int
    public var overdueActions: Int
    public var clockBreaches: Int
    /// The latest register check found no satisfactory explanation.
    public var lastCheckUnsatisfactory: Bool
    public var openedOn: LocalDate
    /// A school's return has proposed the case for closure.
    public var proposedForClosure = false

    public init(
      rag: RAG?, schoolDaysOpen: Int, overdueActions: Int, clockBreaches: Int, lastCheckUnsatisfactory: Bool,
      openedOn: LocalDate, proposedForClosure: Bool = false
    ) {
      self.proposedForClosure = proposedForClosure
      self.rag = rag
      self.schoolDaysOpen = schoolDaysOpen
      self.overdueActions = overdueActions
      self.clockBreaches = clockBreaches
      self.lastCheckUnsatisfactory = lastCheckUnsatisfactory
      self.openedOn = openedOn
    }
  }

  /// Why a case belongs on the agenda; empty when it does not.
  ///
  /// - Parameter previousMeeting: the date of the last meeting, for "new since".
  public func reasons(_ f: Facts, previousMeeting: LocalDate?) -> [String] {
    var r: [String] = []
    if f.rag == .red { r.append("red") }
    if f.rag == .amber && f.schoolDaysOpen > amberAfterSchoolDaysOpen {
      r.append("amber, open \(f.schoolDaysOpen) school days")
    }
    if f.overdueActions > 0 { r.append("\(f.overdueActions) overdue action\(f.overdueActions == 1 ? "" : "s")") }
    if f.clockBreaches > 0 { r.append("\(f.clockBreaches) clock breach\(f.clockBreaches == 1 ? "" : "es")") }
    if f.lastCheckUnsatisfactory { r.append("last register check: no satisfactory explanation") }
    if let previousMeeting, f.openedOn > previousMeeting { r.append("new since the last meeting") }
    if f.proposedForClosure { r.append("proposed for closure") }
    return r
  }
}
