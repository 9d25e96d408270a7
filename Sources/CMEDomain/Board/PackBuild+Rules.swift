import Foundation

/// The small rules the pack's figures are built with: the period "since"
/// counts refer to, the bands of time open, whether a child was seen, and
/// a previous decision in words.
extension BoardPack {
  static func sinceWords(_ previous: LocalDate?) -> String {
    previous == nil ? "in the 28 days before the meeting" : "since the last meeting"
  }

  /// The bands of time open.
  public static let durationBands = [
    "under 4 weeks", "4 to 12 weeks", "12 to 26 weeks", "26 to 52 weeks", "over 52 weeks",
  ]

  static func durationBand(days d: Int) -> String {
    d < 28
      ? durationBands[0]
      : d <= 84 ? durationBands[1] : d <= 182 ? durationBands[2] : d <= 364 ? durationBands[3] : durationBands[4]
  }

  /// The child has been seen since the case opened.
  static func seenSinceOpened(_ f: CaseFacts) -> Bool {
    f.casework.lastSeen.map { $0 >= f.caseRecord.openedOn } ?? false
  }

  /// A previous decision by its category and due date; its note only when a manager marked it safe.
  static func decisionLine(_ d: PackFacts.PreviousDecision, day: LocalDate) -> DecisionLine {
    let carried: String
    switch d.decision {
    case .continue: carried = "noted"
    case .changeRAG, .close:
      if d.decision == .close && d.caseClosed {
        carried = "done: closed"
      } else {
        switch d.actionState {
        case .done?: carried = "done"
        case .declined?: carried = "NOT done: declined"
        case .cancelled?: carried = "cancelled"
        default:
          carried =
            d.actionDueOn.map { $0 < day ? "NOT done: OVERDUE since \($0)" : "not yet: due \($0)" } ?? "not yet"
        }
      }
    case .addAction, .escalateSocialCare, .escalatePolice:
      switch d.actionState ?? .open {
      case .done: carried = "done"
      case .declined: carried = "NOT done: the action was declined"
      case .cancelled: carried = "cancelled"
      default:
        carried = d.actionDueOn.map { $0 < day ? "NOT done: OVERDUE since \($0)" : "not yet: due \($0)" } ?? "not yet"
      }
    }
    return DecisionLine(
      reference: d.reference, decision: d.decision.label, note: d.noteSafe ? d.note : nil, due: d.actionDueOn,
      carriedOut: carried)
  }
}

extension BoardPack.DecisionLine {
  /// Not carried out: declined, or still open after its due date.
  public var notCarriedOut: Bool { carriedOut.hasPrefix("NOT") }

  /// The decision in one phrase: its category, due date and what became of it.
  public var summary: String {
    "\(decision)\(due.map { ", due \($0)" } ?? "") — \(carriedOut)"
  }
}
