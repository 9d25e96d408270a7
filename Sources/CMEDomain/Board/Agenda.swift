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

/// How urgently a case on the agenda needs the board's decision, and what
/// decision is sought. The decision agenda takes the highest-risk cases up
/// to its cap; the rest stay on the full list.
public struct AgendaRisk: Sendable {
  /// What the ranking looks at for one case.
  public struct Facts: Sendable {
    public var rag: RAG?
    public var childProtectionPlan: Bool
    public var lookedAfter: Bool
    public var childInNeed: Bool
    public var concerns: Int
    public var whereaboutsKnown: Bool
    /// The child has been seen since the case opened.
    public var seenSinceOpened: Bool
    /// Actions for the police or children's social care, open and past due.
    public var overduePolice: Int
    public var overdueSocialCare: Int
    public var daysOpen: Int
    public var proposedForClosure: Bool
    public var pastSchoolAge: Bool

    public init(
      rag: RAG?, childProtectionPlan: Bool, lookedAfter: Bool, childInNeed: Bool, concerns: Int,
      whereaboutsKnown: Bool, seenSinceOpened: Bool, overduePolice: Int, overdueSocialCare: Int, daysOpen: Int,
      proposedForClosure: Bool, pastSchoolAge: Bool
    ) {
      self.rag = rag
      self.childProtectionPlan = childProtectionPlan
      self.lookedAfter = lookedAfter
      self.childInNeed = childInNeed
      self.concerns = concerns
      self.whereaboutsKnown = whereaboutsKnown
      self.seenSinceOpened = seenSinceOpened
      self.overduePolice = overduePolice
      self.overdueSocialCare = overdueSocialCare
      self.daysOpen = daysOpen
      self.proposedForClosure = proposedForClosure
      self.pastSchoolAge = pastSchoolAge
    }
  }

  /// A factor of the ranking: its weight, and the words for it.
  public struct Factor: Sendable, Equatable {
    public var weight: Int
    public var words: String
    /// A safeguarding marker, printed only when Part A shows its count.
    public var marker: String?
  }

  /// The factors that apply, heaviest first. Safeguarding markers weigh
  /// most, then a child nobody can find, a child not seen, escalations to
  /// the police or social care left overdue, and time on the register.
  public static func factors(_ f: Facts) -> [Factor] {
    var x: [Factor] = []
    if f.childProtectionPlan { x.append(.init(weight: 40, words: "child protection plan", marker: "child-protection")) }
    if f.lookedAfter { x.append(.init(weight: 35, words: "looked after", marker: "looked-after")) }
    if !f.whereaboutsKnown { x.append(.init(weight: 30, words: "whereabouts unknown")) }
    if f.overduePolice > 0 { x.append(.init(weight: 25, words: "overdue police action")) }
    if f.overdueSocialCare > 0 { x.append(.init(weight: 25, words: "overdue social-care action")) }
    if f.childInNeed { x.append(.init(weight: 20, words: "child in need", marker: "child-in-need")) }
    if !f.seenSinceOpened { x.append(.init(weight: 20, words: "not seen since the case opened")) }
    if f.concerns > 0 { x.append(.init(weight: min(20, 10 * f.concerns), words: "safeguarding concerns recorded")) }
    let weeks = f.daysOpen / 7
    if weeks > 52 {
      x.append(.init(weight: 20, words: "open more than a year"))
    } else if weeks > 26 {
      x.append(.init(weight: 15, words: "open more than 26 weeks"))
    } else if weeks > 12 {
      x.append(.init(weight: 10, words: "open more than 12 weeks"))
    }
    if f.rag == .red { x.append(.init(weight: 10, words: "rated red")) }
    if f.proposedForClosure { x.append(.init(weight: 5, words: "proposed for closure by a school's return")) }
    if f.pastSchoolAge { x.append(.init(weight: 5, words: "past compulsory school age")) }
    return x.sorted { $0.weight > $1.weight }
  }

  public static func score(_ f: Facts) -> Int { factors(f).reduce(0) { $0 + $1.weight } }

  /// The decision the board is asked for.
  public static func decisionSought(_ f: Facts) -> String {
    if f.overduePolice > 0 || f.overdueSocialCare > 0 {
      return "escalate the overdue \(f.overduePolice > 0 ? "police" : "social-care") action to a senior manager"
    }
    if !f.whereaboutsKnown && !f.seenSinceOpened && (f.childProtectionPlan || f.lookedAfter || f.childInNeed) {
      return "agree a joint missing-child response with children's social care and the police"
    }
    if !f.whereaboutsKnown { return "decide whether to escalate to the police and children's social care" }
    if f.pastSchoolAge { return "agree to close: the child is past compulsory school age" }
    if f.proposedForClosure { return "agree closure on the school's return, or say what is missing" }
    if !f.seenSinceOpened { return "agree who will see the child, and by when" }
    if f.daysOpen > 26 * 7 { return "agree a plan to end the case: a school place, a s437 notice or closure" }
    return "agree the next steps"
  }
}
