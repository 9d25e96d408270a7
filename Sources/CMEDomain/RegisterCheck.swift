import Foundation

/// What a manager found when checking a case in a register-check cycle.
public enum CheckOutcome: String, ClosedList {
  /// A satisfactory explanation exists; nothing more is needed now.
  case explained
  /// No satisfactory explanation: the caseworker must act.
  case actionRequired = "action-required"
  /// Escalated to a senior manager, social care or police.
  case escalated

  public static let noun = "check outcome"
  public var label: String {
    switch self {
    case .explained: "explained"
    case .actionRequired: "action required"
    case .escalated: "escalated"
    }
  }
}

/// One register check of one case.
public struct RegisterCheck: Hashable, Sendable, Codable {
  public var cycleId: Int64
  public var caseReference: String
  public var checkedBy: String
  public var checkedAt: String
  public var ragBefore: RAG?
  public var ragAfter: RAG
  public var satisfactoryExplanation: Bool
  public var outcome: CheckOutcome
  public var note: String

  public init(
    cycleId: Int64, caseReference: String, checkedBy: String, checkedAt: String, ragBefore: RAG?,
    ragAfter: RAG, satisfactoryExplanation: Bool, outcome: CheckOutcome, note: String
  ) {
    self.cycleId = cycleId
    self.caseReference = caseReference
    self.checkedBy = checkedBy
    self.checkedAt = checkedAt
    self.ragBefore = ragBefore
    self.ragAfter = ragAfter
    self.satisfactoryExplanation = satisfactoryExplanation
    self.outcome = outcome
    self.note = note
  }
}

/// A register-check cycle: started by a manager, it runs until every open
/// case has been checked (or listed with a reason why not) and a manager
/// closes it.
public struct RegisterCycle: Hashable, Sendable, Codable {
  public var id: Int64
  public var startedBy: String
  public var startedOn: LocalDate
  public var closedBy: String?
  public var closedOn: LocalDate?
  public var isOpen: Bool { closedOn == nil }

  public init(id: Int64, startedBy: String, startedOn: LocalDate, closedBy: String? = nil, closedOn: LocalDate? = nil) {
    self.id = id
    self.startedBy = startedBy
    self.startedOn = startedOn
    self.closedBy = closedBy
    self.closedOn = closedOn
  }
}

/// How far a cycle has got: open cases checked out of all that must be.
public struct CycleProgress: Hashable, Sendable, Codable {
  public var checked: Int
  public var total: Int
  public var unchecked: [String]

  public init(checked: Int, total: Int, unchecked: [String]) {
    self.checked = checked
    self.total = total
    self.unchecked = unchecked
  }

  public var percent: Int { total == 0 ? 100 : checked * 100 / total }
}

/// The rules of register checks.
public enum RegisterCheckRules {
  /// Decides whether a satisfactory explanation exists, from the outcome and
  /// what the manager said. `explained` means one exists; a manager may
  /// record one and still require action, but not "explained" without one.
  public static func satisfactoryExplanation(
    outcome: CheckOutcome, stated: Bool?
  ) throws(InvalidInput) -> Bool {
    switch (outcome, stated) {
    case (.explained, false?):
      throw InvalidInput(
        field: "satisfactoryExplanation",
        problem: "the outcome is 'explained' but you said no satisfactory explanation exists",
        fix: "Record the outcome as action-required or escalated when there is no satisfactory explanation")
    case (.explained, _): return true
    case (_, let s?): return s
    case (_, nil): return false
    }
  }

  /// A manager may not sign off the check of a case they have worked: one
  /// they lead or led, or recorded casework on (`workedBy` names them all).
  /// Handing the lead to someone else for the check does not make it
  /// independent.
  public static func requireIndependent(checker: User, workedBy: Set<String>, reference: String) throws(AccessDenied) {
    if workedBy.contains(checker.name) { throw .ownCase(user: checker.name, reference: reference) }
  }

  /// Checks that a cycle may close: every unchecked open case must be listed
  /// with a reason, and only unchecked cases may be listed.
  ///
  /// - Parameter exemptions: case reference → reason.
  public static func validateClosing(
    progress: CycleProgress, exemptions: [String: String]
  ) throws(InvalidInput) {
    let missing = progress.unchecked.filter { optionalText(exemptions[$0]) == nil }
    if !missing.isEmpty {
      let shown =
        missing.prefix(10).joined(separator: ", ") + (missing.count > 10 ? " and \(missing.count - 10) more" : "")
      throw InvalidInput(
        field: "unchecked",
        problem: "\(missing.count) open case\(missing.count == 1 ? " is" : "s are") not checked: \(shown)",
        fix: "Check them, or exempt each one from the cycle with the reason it was not checked", next: .recordCheck)
    }
    let stray = exemptions.keys.filter { !progress.unchecked.contains($0) }.sorted()
    if !stray.isEmpty {
      throw InvalidInput(
        field: "unchecked",
        problem:
          "\(stray.joined(separator: ", ")) \(stray.count == 1 ? "is" : "are") not an unchecked open case in this cycle",
        fix: "Exempt only cases that are still to check", next: .showRegisterCheck)
    }
  }
}
