import Foundation

/// The facts a board pack is built from, as the register holds them on the
/// meeting date. The store gathers them with a few bulk queries;
/// ``BoardPack/build(from:identifiable:policy:overRepresentedAt:agendaCap:)`` turns
/// them into the pack's figures.
public struct PackFacts: Sendable {
  /// A case's time on the register (every case, open or closed).
  public struct CaseSpan: Sendable {
    public var openedOn: LocalDate
    public var closedOn: LocalDate?
    public var outcome: ClosureOutcome?

    public init(openedOn: LocalDate, closedOn: LocalDate? = nil, outcome: ClosureOutcome? = nil) {
      self.openedOn = openedOn
      self.closedOn = closedOn
      self.outcome = outcome
    }
  }

  /// A case open on the meeting date, with its child.
  public struct OpenCase: Sendable {
    public var facts: CaseFacts
    /// The postcode of the child's current address.
    public var postcode: String?
    /// The child was on the register before, in a case opened earlier.
    public var repeatEpisode: Bool

    public init(facts: CaseFacts, postcode: String?, repeatEpisode: Bool = false) {
      self.facts = facts
      self.postcode = postcode
      self.repeatEpisode = repeatEpisode
    }
  }

  /// A case on the agenda, to be summarised: what its ranking and its line
  /// read from its facts, kept without the rest (an agenda at national size
  /// holds most of the open cases).
  public struct AgendaItem: Sendable {
    /// Why it is on the agenda.
    public var reasons: String
    /// The case: its reference, rating, whereabouts and dates.
    public var reference: String
    public var rag: RAG?
    public var whereaboutsKnown: Bool
    public var openedOn: LocalDate
    public var closedOn: LocalDate?
    /// The child's safeguarding markers, concerns and date of birth.
    public var childProtectionPlan: Bool
    public var lookedAfter: Bool
    public var childInNeed: Bool
    public var concerns: Int
    public var dateOfBirth: LocalDate
    /// The child was seen on or after the day the case opened.
    public var seenSinceOpened: Bool
    /// The child's whole record (names, date of birth, address), for an identifiable pack only.
    public var identity: Child? {
      get { identityBox?.child }
      set { identityBox = newValue.map(IdentityBox.init) }
    }
    /// (Held apart: a child's record is large, and most packs have none.)
    private var identityBox: IdentityBox?
    /// Actions for the police and for children's social care, open and past due.
    public var overduePolice: Int
    public var overdueSocialCare: Int

    private final class IdentityBox: Sendable {
      let child: Child
      init(_ child: Child) { self.child = child }
    }

    /// Days the case had been open on `day`: to its closing if it closed by
    /// then, else to `day` (a case closed after the meeting was open on it).
    public func daysOpen(on day: LocalDate) -> Int { min(closedOn ?? day, day).days(since: openedOn) }

    public init(
      reasons: String, facts: CaseFacts, identity: Child? = nil, overduePolice: Int = 0, overdueSocialCare: Int = 0
    ) {
      self.reasons = reasons
      let c = facts.caseRecord
      reference = c.reference
      rag = c.rag
      whereaboutsKnown = c.whereaboutsKnown
      openedOn = c.openedOn
      closedOn = c.closedOn
      childProtectionPlan = facts.child.childProtectionPlan
      lookedAfter = facts.child.lookedAfter
      childInNeed = facts.child.childInNeed
      concerns = facts.child.concerns.count
      dateOfBirth = facts.child.dateOfBirth
      seenSinceOpened = BoardPack.seenSinceOpened(facts)
      identityBox = identity.map(IdentityBox.init)
      self.overduePolice = overduePolice
      self.overdueSocialCare = overdueSocialCare
    }
  }

  /// The open cases counted for Part A's breakdowns, one case at a time:
  /// what the pack needs of every open case, without holding their facts.
  public struct OpenCaseTally: Sendable, Equatable {
    public let day: LocalDate
    public let calendar: SchoolCalendar
    public let settings: LocalSettings
    /// The open cases counted.
    public private(set) var count = 0
    var byRAG: [String: Int] = [:]
    var byReason: [String: Int] = [:]
    var byTimeOpen: [String: Int] = [:]
    var byWhereabouts: [String: Int] = [:]
    var byYearGroup: [String: Int] = [:]
    var byArea: [String: Int] = [:]
    var bySource: [String: Int] = [:]
    var byBreach: [String: Int] = [:]
    var breached = 0
    var notSeen = 0
    var repeats = 0
    var pastAge = 0
    var groupCounts: [String: [String: Int]] = [:]
    var senCounts: [String: Int] = [:]

    /// An empty tally for the meeting on `day`.
    public init(day: LocalDate, calendar: SchoolCalendar, settings: LocalSettings) {
      self.day = day
      self.calendar = calendar
      self.settings = settings
    }

    /// Counts one open case and its child.
    public mutating func add(_ o: OpenCase) {
      let c = o.facts.caseRecord
      count += 1
      byRAG[c.rag?.rawValue ?? "not rated", default: 0] += 1
      byReason[c.reason.label, default: 0] += 1
      byTimeOpen[BoardPack.durationBand(days: day.days(since: c.openedOn)), default: 0] += 1
      byWhereabouts[c.whereaboutsKnown ? "known" : "unknown", default: 0] += 1
      byYearGroup[YearGroup.label(o.facts.child.dateOfBirth.yearGroup(on: day)), default: 0] += 1
      byArea[o.postcode.flatMap { $0.split(separator: " ").first.map(String.init) } ?? "no address", default: 0] += 1
      bySource[c.referralSource.label, default: 0] += 1
      let breaches = assessCase(o.facts, today: day, calendar: calendar, settings: settings).clocks.filter(\.isBreach)
      for k in breaches { byBreach[k.label, default: 0] += 1 }
      if !breaches.isEmpty { breached += 1 }
      if !BoardPack.seenSinceOpened(o.facts) { notSeen += 1 }
      if o.repeatEpisode { repeats += 1 }
      if CompulsorySchoolAge(dateOfBirth: o.facts.child.dateOfBirth).hasEnded(by: day) { pastAge += 1 }
      for (characteristic, code) in PopulationBaseline.groups(of: o.facts.child, on: day) {
        groupCounts[characteristic, default: [:]][code, default: 0] += 1
      }
      senCounts[o.facts.child.senProvision?.rawValue ?? "none recorded", default: 0] += 1
    }

    /// Adds the cases `other` counted (a tally of other cases for the same
    /// day): counting a register in parts and merging the parts gives the
    /// tally of counting it whole, in any order.
    public mutating func merge(_ other: OpenCaseTally) {
      precondition(other.day == day, "tallies of different days cannot be merged")
      func add(_ a: inout [String: Int], _ b: [String: Int]) { a.merge(b, uniquingKeysWith: +) }
      count += other.count
      add(&byRAG, other.byRAG)
      add(&byReason, other.byReason)
      add(&byTimeOpen, other.byTimeOpen)
      add(&byWhereabouts, other.byWhereabouts)
      add(&byYearGroup, other.byYearGroup)
      add(&byArea, other.byArea)
      add(&bySource, other.bySource)
      add(&byBreach, other.byBreach)
      breached += other.breached
      notSeen += other.notSeen
      repeats += other.repeats
      pastAge += other.pastAge
      for (characteristic, counts) in other.groupCounts { add(&groupCounts[characteristic, default: [:]], counts) }
      add(&senCounts, other.senCounts)
    }
  }

  /// Multi-agency actions on open cases, for one agency.
  public struct ActionCounts: Sendable {
    /// Open or accepted, not yet due.
    public var due: Int
    /// Open or accepted, past due: by how long, 1–7 days, 8–28 days, more than 28 days.
    public var overdueBy: [Int]
    public var declined: Int
    public var overdue: Int { overdueBy.reduce(0, +) }

    public init(due: Int, overdueBy: [Int], declined: Int) {
      self.due = due
      self.overdueBy = overdueBy
      self.declined = declined
    }

    /// Overdue actions whose age is not known (all counted as overdue by 1–7 days).
    public init(due: Int, overdue: Int, declined: Int) {
      self.init(due: due, overdueBy: [overdue, 0, 0], declined: declined)
    }
  }

  /// Where the register check stands.
  public enum Cycle: Sendable {
    case neverRun
    /// A cycle under way, with its progress.
    case open(id: Int64, startedOn: LocalDate, checked: Int, total: Int, percent: Int, withoutExplanation: Int)
    /// No cycle under way; the last one closed.
    case closed(id: Int64, closedOn: LocalDate)
  }

  /// A decision of the previous meeting, and what became of its work.
  public struct PreviousDecision: Sendable {
    public var reference: String
    public var decision: BoardDecisionKind
    public var note: String
    /// The case is closed now.
    public var caseClosed: Bool
    /// The action the decision raised, as it stands now.
    public var actionId: Int64?
    public var actionState: ActionState?
    public var actionDueOn: LocalDate?
    public var actionNote: String?
    /// A manager marked the note safe to print in the pack.
    public var noteSafe: Bool

    public init(
      reference: String, decision: BoardDecisionKind, note: String, caseClosed: Bool, actionId: Int64? = nil,
      actionState: ActionState? = nil, actionDueOn: LocalDate? = nil, actionNote: String? = nil, noteSafe: Bool = false
    ) {
      self.noteSafe = noteSafe
      self.reference = reference
      self.decision = decision
      self.note = note
      self.caseClosed = caseClosed
      self.actionId = actionId
      self.actionState = actionState
      self.actionDueOn = actionDueOn
      self.actionNote = actionNote
    }
  }

  public var authority: String
  public var meeting: BoardPack.Meeting
  /// The date of the meeting before this one.
  public var previousMeeting: LocalDate?
  /// The audit-log entry the register stood at, and its hash.
  public var logSequence: Int64
  public var logHash: String
  public var settings: LocalSettings
  public var calendar: SchoolCalendar
  public var baseline: PopulationBaseline?
  /// Every case on the register.
  public var cases: [CaseSpan]
  /// The cases open on the meeting date, counted (the store counts them a
  /// batch at a time; the initialiser counts the `openCases` it is given).
  public var open: OpenCaseTally
  public var actions: [Agency: ActionCounts]
  public var cycle: Cycle
  /// Every case on the meeting's agenda (those the agenda rules found, and those added).
  public var agenda: [AgendaItem]
  public var previousDecisions: [PreviousDecision]
  /// The figures published in the last pack built for the previous meeting, by name.
  public var previousFigures: [String: String]?

  public init(
    authority: String, meeting: BoardPack.Meeting, previousMeeting: LocalDate?, logSequence: Int64, logHash: String,
    settings: LocalSettings = LocalSettings(), calendar: SchoolCalendar, baseline: PopulationBaseline?,
    cases: [CaseSpan], openCases: [OpenCase], actions: [Agency: ActionCounts] = [:], cycle: Cycle = .neverRun,
    agenda: [AgendaItem] = [], previousDecisions: [PreviousDecision] = [], previousFigures: [String: String]? = nil
  ) {
    self.previousFigures = previousFigures
    self.authority = authority
    self.meeting = meeting
    self.previousMeeting = previousMeeting
    self.logSequence = logSequence
    self.logHash = logHash
    self.settings = settings
    self.calendar = calendar
    self.baseline = baseline
    self.cases = cases
    var open = OpenCaseTally(day: meeting.date, calendar: calendar, settings: settings)
    for o in openCases { open.add(o) }
    self.open = open
    self.actions = actions
    self.cycle = cycle
    self.agenda = agenda
    self.previousDecisions = previousDecisions
  }
}
