import Foundation

/// The facts a board pack is built from, as the register holds them on the
/// meeting date. The store gathers them with a few bulk queries;
/// ``BoardPack/build(from:identifiable:policy:overRepresentedAt:)`` turns
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

    public init(facts: CaseFacts, postcode: String?) {
      self.facts = facts
      self.postcode = postcode
    }
  }

  /// A case on the agenda, to be summarised.
  public struct AgendaItem: Sendable {
    /// Why it is on the agenda.
    public var reasons: String
    public var facts: CaseFacts
    /// The child's whole record (names, date of birth, address), for an identifiable pack only.
    public var identity: Child?

    public init(reasons: String, facts: CaseFacts, identity: Child? = nil) {
      self.reasons = reasons
      self.facts = facts
      self.identity = identity
    }
  }

  /// Multi-agency actions on open cases, for one agency.
  public struct ActionCounts: Sendable {
    /// Open or accepted, not yet due.
    public var due: Int
    /// Open or accepted, past due.
    public var overdue: Int
    public var declined: Int

    public init(due: Int, overdue: Int, declined: Int) {
      self.due = due
      self.overdue = overdue
      self.declined = declined
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

    public init(
      reference: String, decision: BoardDecisionKind, note: String, caseClosed: Bool, actionId: Int64? = nil,
      actionState: ActionState? = nil, actionDueOn: LocalDate? = nil, actionNote: String? = nil
    ) {
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
  /// The cases open on the meeting date.
  public var openCases: [OpenCase]
  public var actions: [Agency: ActionCounts]
  public var cycle: Cycle
  /// The agenda's cases to summarise, worst first (at most the pack's limit).
  public var agenda: [AgendaItem]
  /// How many cases the agenda has in all.
  public var agendaTotal: Int
  public var previousDecisions: [PreviousDecision]

  public init(
    authority: String, meeting: BoardPack.Meeting, previousMeeting: LocalDate?, logSequence: Int64, logHash: String,
    settings: LocalSettings = LocalSettings(), calendar: SchoolCalendar, baseline: PopulationBaseline?,
    cases: [CaseSpan], openCases: [OpenCase], actions: [Agency: ActionCounts] = [:], cycle: Cycle = .neverRun,
    agenda: [AgendaItem] = [], agendaTotal: Int? = nil, previousDecisions: [PreviousDecision] = []
  ) {
    self.authority = authority
    self.meeting = meeting
    self.previousMeeting = previousMeeting
    self.logSequence = logSequence
    self.logHash = logHash
    self.settings = settings
    self.calendar = calendar
    self.baseline = baseline
    self.cases = cases
    self.openCases = openCases
    self.actions = actions
    self.cycle = cycle
    self.agenda = agenda
    self.agendaTotal = agendaTotal ?? agenda.count
    self.previousDecisions = previousDecisions
  }
}

extension BoardPack {
  /// The pack's figures from the register's facts, as of the meeting date:
  /// the headline and trend, the breakdowns, the equality analysis, the
  /// agenda's summaries (each case assessed by ``assessCase(_:today:calendar:settings:)``)
  /// and the previous meeting's decisions. Every count is protected by `policy`.
  public static func build(
    from f: PackFacts, identifiable: Bool, policy: SuppressionPolicy = .default,
    overRepresentedAt threshold: Double = 1.5
  ) -> BoardPack {
    let day = f.meeting.date
    let since = f.previousMeeting ?? day.adding(days: -28)

    // Every case's dates, once: headline, trend and closed-case figures.
    var opened: [Int] = []
    var closed: [Int?] = []
    opened.reserveCapacity(f.cases.count)
    closed.reserveCapacity(f.cases.count)
    for s in f.cases {
      opened.append(s.openedOn.daysSinceEpoch)
      closed.append(s.closedOn?.daysSinceEpoch)
    }
    func openOn(_ d: Int) -> Int {
      var n = 0
      for i in opened.indices where opened[i] <= d && (closed[i].map { $0 > d } ?? true) { n += 1 }
      return n
    }
    let dayNumber = day.daysSinceEpoch
    let sinceNumber = since.daysSinceEpoch
    let newSince = opened.filter { $0 > sinceNumber && $0 <= dayNumber }.count
    let closedSince = closed.compactMap { $0 }.filter { $0 > sinceNumber && $0 <= dayNumber }.count
    let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    var trend: [TrendPoint] = []
    for back in stride(from: 11, through: 0, by: -1) {
      var y = day.year
      var mo = day.month - back
      while mo < 1 {
        mo += 12
        y -= 1
      }
      let end = Swift.min(LocalDate(year: y, month: mo, day: LocalDate.daysIn(month: mo, year: y))!, day)
      let lastYear = LocalDate(
        year: y - 1, month: mo, day: Swift.min(end.day, LocalDate.daysIn(month: mo, year: y - 1)))!
      trend.append(
        .init(
          month: "\(monthNames[mo - 1]) \(String(y).suffix(2))", open: openOn(end.daysSinceEpoch),
          lastYear: openOn(lastYear.daysSinceEpoch)))
    }
    var closedDurations: [Int] = []
    var outcomeCounts: [String: Int] = [:]
    for i in opened.indices {
      guard let c = closed[i], c > dayNumber - 365, c <= dayNumber else { continue }
      closedDurations.append(c - opened[i])
      outcomeCounts[f.cases[i].outcome?.label ?? "", default: 0] += 1
    }
    closedDurations.sort()
    let median =
      closedDurations.isEmpty
      ? nil
      : closedDurations.count % 2 == 1
        ? closedDurations[closedDurations.count / 2]
        : (closedDurations[closedDurations.count / 2 - 1] + closedDurations[closedDurations.count / 2]) / 2

    // The open cases and their children, counted in one pass.
    let open = f.openCases
    var byRAG: [String: Int] = [:]
    var byReason: [String: Int] = [:]
    var byTimeOpen: [String: Int] = [:]
    var byWhereabouts: [String: Int] = [:]
    var byYearGroup: [String: Int] = [:]
    var byArea: [String: Int] = [:]
    var byBreach: [String: Int] = [:]
    var groupCounts: [String: [String: Int]] = [:]
    for o in open {
      let c = o.facts.caseRecord
      byRAG[c.rag?.rawValue ?? "not rated", default: 0] += 1
      byReason[c.reason.label, default: 0] += 1
      let d = day.days(since: c.openedOn)
      byTimeOpen[d < 28 ? "under 4 weeks" : d <= 84 ? "4 to 12 weeks" : "over 12 weeks", default: 0] += 1
      byWhereabouts[c.whereaboutsKnown ? "known" : "unknown", default: 0] += 1
      byYearGroup[YearGroup.label(o.facts.child.dateOfBirth.yearGroup(on: day)), default: 0] += 1
      byArea[o.postcode.flatMap { $0.split(separator: " ").first.map(String.init) } ?? "no address", default: 0] += 1
      for k in assessCase(o.facts, today: day, calendar: f.calendar, settings: f.settings).clocks where k.isBreach {
        byBreach[k.label, default: 0] += 1
      }
      for (characteristic, code) in PopulationBaseline.groups(of: o.facts.child, on: day) {
        groupCounts[characteristic, default: [:]][code, default: 0] += 1
      }
    }
    func breakdown(_ title: String, _ order: [String], _ counts: [String: Int], note: String? = nil, chart: Bool = true)
      -> Breakdown
    {
      // Without a natural order, the largest first (ties by name, so the order is stable).
      let keys = order.isEmpty ? counts.keys.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) } : order
      return .init(
        title: title, note: note,
        table: ProtectedTable(categories: keys, counts: keys.map { counts[$0] ?? 0 }, policy: policy), chart: chart)
    }
    var breakdowns: [Breakdown] = [
      breakdown("Open cases by RAG rating", ["red", "amber", "green", "not rated"], byRAG),
      breakdown("Open cases by reason", CaseReason.allCases.map(\.label), byReason),
      breakdown("Time open", ["under 4 weeks", "4 to 12 weeks", "over 12 weeks"], byTimeOpen),
      breakdown("Whereabouts", ["known", "unknown"], byWhereabouts),
      breakdown("Year group", YearGroup.labels, byYearGroup).trimmed(),
      breakdown("Area (postcode district)", [], byArea, chart: false),
    ]
    if !byBreach.isEmpty {
      breakdowns.append(
        breakdown(
          "Clock breaches (open cases)", [], byBreach, note: "A case may breach more than one clock.", chart: false))
    }
    breakdowns.append(
      breakdown("Closed in the last 12 months, by outcome", ClosureOutcome.allCases.map(\.label), outcomeCounts)
        .trimmed())

    // Actions by agency: due, overdue, declined.
    let agencies = Agency.allCases.filter { f.actions[$0] != nil }
    if !agencies.isEmpty {
      breakdowns.append(
        .init(
          title: "Multi-agency actions on open cases, by agency",
          note: "Due: open or accepted, not yet due. Overdue: past due. Declined: by the agency.",
          table: ProtectedTable(
            rows: agencies.map(\.label), columns: ["due", "overdue", "declined"],
            counts: agencies.map { a in f.actions[a].map { [$0.due, $0.overdue, $0.declined] }! }, policy: policy),
          chart: false))
    }

    // Register check.
    let cycleLine =
      switch f.cycle {
      case .neverRun: "No register-check cycle has been run."
      case .open(let id, let startedOn, let checked, let total, let percent, let withoutExplanation):
        "Register check, cycle \(id) (started \(startedOn)): \(checked) of \(total) open cases checked (\(percent)%); \(withoutExplanation) without a satisfactory explanation."
      case .closed(let id, let closedOn): "No cycle is under way; cycle \(id) closed on \(closedOn)."
      }

    // Equality.
    let baseline = f.baseline
    let registerTotal = open.count
    var equality: [EqualityRow] = []
    func group(_ characteristic: String, key: String, _ codes: [(code: String, label: String)], secondary: Bool) {
      let counts = codes.map { groupCounts[key]?[$0.code] ?? 0 }
      let protected = secondary ? ProtectedTable(categories: codes.map(\.label), counts: counts, policy: policy) : nil
      for (i, c) in codes.enumerated() {
        let hidden = protected?.isHidden(row: i, column: 0) ?? (1...policy.smallest).contains(counts[i])
        equality.append(
          .init(
            characteristic: characteristic,
            d: Disproportion(
              group: c.label, registerCount: counts[i], registerTotal: registerTotal,
              populationCount: baseline?.count(key, c.code) ?? 0, populationTotal: baseline?.total ?? 0),
            hidden: hidden))
      }
    }
    group(
      "Ethnicity", key: "ethnicity", Ethnicity.main.keys.sorted().map { (code: $0, label: Ethnicity.main[$0]!) },
      secondary: true)
    group(
      "Named group", key: "named-group", Ethnicity.NamedGroup.allCases.map { ($0.rawValue, $0.rawValue) },
      secondary: false)
    group("Sex", key: "sex", [("F", "Female"), ("M", "Male"), ("U", "Sex unknown")], secondary: true)
    group("SEN provision", key: "sen", [("E", "EHC plan"), ("K", "SEN support"), ("N", "No SEN")], secondary: false)
    group("Looked after", key: "looked-after", [("yes", "Looked after")], secondary: false)
    group("Child in need", key: "child-in-need", [("yes", "Child in need")], secondary: false)
    group("Child protection", key: "child-protection", [("yes", "Child protection plan")], secondary: false)
    group("Free school meals", key: "fsm", [("yes", "Eligible for free school meals")], secondary: false)
    group("Language", key: "eal", [("yes", "English as an additional language")], secondary: false)
    group("Disability", key: "disability", [("yes", "Disability recorded")], secondary: false)
    group("Service child", key: "service-child", [("yes", "Service child")], secondary: false)

    // The agenda, worst first, with each case's summary.
    let agenda = f.agenda.map { item -> AgendaCase in
      let c = item.facts.caseRecord
      let a = assessCase(item.facts, today: day, calendar: f.calendar, settings: f.settings)
      let breachesText = a.clockBreaches.map(\.label).joined(separator: "; ")
      return AgendaCase(
        reference: c.reference, reasons: item.reasons, rag: c.rag, suggestion: a.suggestion,
        schoolDaysMissing: a.schoolDaysMissing, daysOpen: c.daysOpen(on: day),
        lastContact: a.lastContact.map { "\($0.date) \($0.type.label)" } ?? "none recorded",
        actions:
          "\(a.openActions) open, \(a.overdueActions) overdue\(a.actionsToEscalate > 0 ? " (\(a.actionsToEscalate) to escalate)" : "")",
        clocks: breachesText.isEmpty ? "no breaches" : "breached: \(breachesText)",
        identity: identifiable
          ? item.identity.map { child in
            "\(child.legalForename) \(child.legalSurname), born \(child.dateOfBirth)\(child.currentAddress.map { ", \($0.text)\($0.postcode.map { " \($0)" } ?? "")" } ?? "")"
          } : nil)
    }

    // The previous meeting's decisions and whether they were carried out.
    let decisions = f.previousDecisions.map { d -> DecisionLine in
      let carried: String
      switch d.decision {
      case .continue: carried = "noted"
      case .changeRAG: carried = "done: rating changed"
      case .close: carried = d.caseClosed ? "done: closed" : "case since reopened"
      case .addAction, .escalateSocialCare, .escalatePolice:
        let actionId = d.actionId ?? 0
        let note = d.actionNote ?? ""
        switch d.actionState ?? .open {
        case .done: carried = "done: action \(actionId) — \(note)"
        case .declined: carried = "NOT done: action \(actionId) declined — \(note)"
        case .cancelled: carried = "cancelled: action \(actionId) — \(note)"
        case let state:
          let due = d.actionDueOn
          carried =
            "not yet: action \(actionId) is \(state.rawValue), due \(due?.description ?? "?")\(due.map { $0 < day } ?? false ? " (OVERDUE)" : "")"
        }
      }
      return DecisionLine(reference: d.reference, decision: d.decision.label, note: d.note, carriedOut: carried)
    }

    return BoardPack(
      authority: f.authority, meeting: f.meeting, previousMeeting: f.previousMeeting, policy: policy,
      identifiable: identifiable, logSequence: f.logSequence, logHash: f.logHash, openNow: openOn(dayNumber),
      newSince: newSince, closedSince: closedSince, trend: trend, breakdowns: breakdowns, closedMedianDays: median,
      closedCount: closedDurations.count, equality: equality, equalityThreshold: threshold,
      baselineMissing: baseline == nil, cycleLine: cycleLine, agenda: agenda, agendaTotal: f.agendaTotal,
      previousDecisions: decisions)
  }
}

extension BoardPack.Breakdown {
  /// Drops categories that are zero, for long lists (year groups, outcomes).
  func trimmed() -> BoardPack.Breakdown {
    let keep = table.rows.indices.filter { table.counts[$0][0] > 0 }
    guard !keep.isEmpty else { return self }
    return .init(
      title: title, note: note,
      table: ProtectedTable(
        categories: keep.map { table.rows[$0] }, counts: keep.map { table.counts[$0][0] }, policy: table.policy),
      chart: chart)
  }
}
