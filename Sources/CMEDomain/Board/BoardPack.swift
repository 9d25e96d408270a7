import Foundation

/// Everything a board pack shows, computed from the register as of the
/// meeting date. Rendering it is pure: the same data gives the same bytes.
///
/// A pack has two parts. **Part A** holds figures only, every one of them a
/// cell of one ``DisclosureSheet`` protected together, and can be published
/// with the committee papers. **Part B** is the decision agenda: cases by
/// reference, exempt from publication, with no free text from decisions or
/// notes and no marker or age that Part A hides.
public struct BoardPack: Sendable {
  public typealias Cell = DisclosureSheet.Cell

  /// Which parts a rendering holds.
  public enum Part: String, Sendable, CaseIterable {
    case a, b, both
    public var hasA: Bool { self != .b }
    public var hasB: Bool { self != .a }
  }

  public struct Meeting: Sendable {
    public var id: Int64
    public var date: LocalDate
    public var chair: String
    public var attendees: [String]
    public init(id: Int64, date: LocalDate, chair: String, attendees: [String]) {
      self.id = id
      self.date = date
      self.chair = chair
      self.attendees = attendees
    }
  }

  /// A breakdown of counts, protected with the rest of the pack.
  public struct Breakdown: Sendable {
    public var title: String
    public var note: String?
    public var table: ProtectedTable
    public var chart: Bool
    /// What the counts are of, for the chart's axis.
    public var unit: String
    /// Whether the table's total row is shown (not for counts that overlap).
    public var showTotal: Bool
    public init(
      title: String, note: String? = nil, table: ProtectedTable, chart: Bool = true, unit: String = "open cases",
      showTotal: Bool = true
    ) {
      self.showTotal = showTotal
      self.title = title
      self.note = note
      self.table = table
      self.chart = chart
      self.unit = unit
    }
  }

  public struct TrendPoint: Sendable {
    public var month: String
    public var open: Cell
    public var lastYear: Cell
  }

  public struct EqualityRow: Sendable {
    public var characteristic: String
    public var d: Disproportion
    public var cell: Cell
    /// A record of missing information (sex not recorded, ethnicity refused),
    /// not a group of children: shown in a note, never called out.
    public var dataQuality: Bool

    /// The group in a sentence: "Gypsy/Roma children", "Children in need".
    public var phrase: String {
      switch d.group {
      case "Female": "Girls"
      case "Male": "Boys"
      case "EHC plan": "Children with an EHC plan"
      case "SEN support": "Children on SEN support"
      case "No SEN": "Children with no SEN"
      case "Looked after": "Looked-after children"
      case "Child in need": "Children in need"
      case "Child protection plan": "Children on a child protection plan"
      case "Eligible for free school meals": "Children eligible for free school meals"
      case "English as an additional language": "Children with English as an additional language"
      case "Disability recorded": "Disabled children"
      case "Service child": "Service children"
      default: "\(d.group) children"
      }
    }
  }

  /// A measure followed from meeting to meeting.
  public struct Direction: Sendable {
    public var measure: String
    public var now: String
    public var lastMeeting: String
    /// "up 4", "down 2", "no change", or "–" when either figure is hidden or missing.
    public var change: String
    /// The target a manager set, and whether it is met ("lower is better" for every measure here).
    public var target: Int?
    public var targetMet: Bool?
  }

  /// One line of the decision agenda (Part B).
  public struct AgendaLine: Sendable {
    public var reference: String
    public var rag: RAG?
    /// Why it is on the decision agenda, worst first.
    public var why: [String]
    public var decisionSought: String
    /// The previous meeting's decision on the case, by category and due date, and whether it was carried out.
    public var previousDecision: String
    public var risk: Int
    /// Name, date of birth and address: only in an identifiable pack.
    public var identity: String?
  }

  /// A previous meeting's decision: its category, what it asked for and by when, and what became of it.
  public struct DecisionLine: Sendable {
    public var reference: String
    public var decision: String
    /// The decision's note when a manager marked it safe to print; otherwise nil.
    public var note: String?
    public var due: LocalDate?
    public var carriedOut: String
  }

  public var authority: String
  public var meeting: Meeting
  public var previousMeeting: LocalDate?
  public var policy: SuppressionPolicy
  public var identifiable: Bool
  /// The audit-log entry the register stood at, and its hash.
  public var logSequence: Int64
  public var logHash: String
  /// The protected cells every figure of Part A comes from.
  public var cells: ProtectedCells

  public var openNow: Cell
  public var openAtLastMeeting: Cell?
  public var newSince: Cell
  public var closedSince: Cell
  public var closedCount: Cell
  public var closedMedianDays: Int?
  public var trend: [TrendPoint]
  public var breakdowns: [Breakdown]
  public var notSeen: Cell
  public var repeatEpisodes: Cell
  public var pastSchoolAge: Cell
  public var overdueActions: Cell
  public var openOver12Weeks: Cell
  public var red: Cell
  public var whereaboutsUnknown: Cell
  public var clockBreaches: Cell
  /// Open cases per 10,000 children of school age (nil without a baseline or when the count is hidden).
  public var ratePer10000: Double?
  public var national: NationalFigure?
  /// Open cases on the national figure's census day, and their rate.
  public var openOnCensusDay: Cell?
  public var censusRatePer10000: Double?
  public var equality: [EqualityRow]
  public var equalityThreshold: Double
  public var baselineMissing: Bool
  public var cycle: PackFacts.Cycle
  public var cycleChecked: Cell?
  public var cycleTotal: Cell?
  public var cycleWithout: Cell?
  public var directions: [Direction]
  public var previousPackFound: Bool
  /// Cases that meet the agenda rules, and how many the decision agenda takes.
  public var qualifying: Cell
  public var agendaCap: Int
  public var agenda: [AgendaLine]
  public var previousDecisions: [DecisionLine]
  /// The previous meeting's decisions not carried out on time.
  public var notCarriedOut: Cell

  /// The period "since" counts refer to.
  public var sinceLabel: String {
    previousMeeting.map { "since the last meeting (\($0))" } ?? "in the 28 days before this meeting"
  }

  /// A published count.
  public func text(_ c: Cell) -> String { cells.text(c) }
  public func value(_ c: Cell) -> Int? { cells.value(c) }

  /// The protective marking of a part, for the top of every page and format.
  public func marking(_ part: Part) -> String {
    if identifiable {
      return "OFFICIAL-SENSITIVE: PERSONAL — identifiable: names, dates of birth and addresses of children"
    }
    switch part {
    case .a: return "OFFICIAL — Part A: figures protected for publication"
    case .b, .both: return "OFFICIAL-SENSITIVE — Part B: \(Self.exemption)"
    }
  }

  /// The exemption that keeps Part B out of the published papers.
  public static let exemption =
    "NOT FOR PUBLICATION by virtue of paragraphs 1 and 2 of Part 1 of Schedule 12A to the Local Government Act 1972 (information relating to, and likely to reveal the identity of, an individual)"

  /// Whether a row is called out: over-represented by the threshold with the
  /// whole interval above 1; never a hidden count or a data-quality row.
  public func isCalledOut(_ row: EqualityRow) -> Bool {
    !cells.isHidden(row.cell) && !row.dataQuality && row.d.isOverRepresented(threshold: equalityThreshold)
  }

  /// Rows whose interval lies wholly above 1 but whose ratio is under the threshold.
  public func isAboveOne(_ row: EqualityRow) -> Bool {
    !cells.isHidden(row.cell) && !row.dataQuality && !isCalledOut(row)
      && (row.d.interval.map { $0.lowerBound > 1 } ?? false)
  }

  /// The over-represented groups in words, strongest evidence first (the
  /// interval's lower end), each group once.
  public var callouts: [String] {
    sentences(equality.filter(isCalledOut))
  }

  /// Groups whose interval is above 1 though the ratio is under the threshold, in words.
  public var alsoAboveOne: [String] {
    sentences(equality.filter(isAboveOne))
  }

  func sentences(_ rows: [EqualityRow]) -> [String] {
    var said = Set<String>()
    return rows.sorted { ($0.d.interval?.lowerBound ?? 0, $1.d.group) > ($1.d.interval?.lowerBound ?? 0, $0.d.group) }
      .compactMap { row in
        guard let ratio = row.d.ratio, let ci = row.d.interval, said.insert(row.d.group).inserted else { return nil }
        return
          "\(row.phrase) are \(fmt(ratio)) times as common on the register as in the school-age population (95% CI \(fmt(ci.lowerBound))–\(fmt(ci.upperBound)))."
      }
  }

  /// The rows kept out of the chart and the callouts: missing information.
  public var dataQualityNote: String? {
    let rows = equality.filter(\.dataQuality)
    guard !rows.isEmpty else { return nil }
    return "Not groups of children but gaps in the record: "
      + rows.map { "\($0.d.group.lowercased()) \(text($0.cell))" }.joined(separator: "; ") + "."
  }

  /// The front page in sentences, from the protected figures.
  public var summary: [String] {
    var s: [String] = []
    var first = "There are \(text(openNow)) open cases"
    if let rate = ratePer10000 { first += ", \(fmt1(rate)) per 10,000 children of school age" }
    first += "."
    if let n = national {
      if let census = censusRatePer10000, let day = openOnCensusDay {
        first +=
          " On the \(n.census) census day (\(n.censusDay)) the register held \(text(day)) (\(fmt1(census)) per 10,000); nationally \(n.count.formatted()) children were missing education, about \(fmt1(n.ratePer10000)) per 10,000."
      } else {
        first +=
          " Nationally, \(n.count.formatted()) children were missing education on the \(n.census) census day, about \(fmt1(n.ratePer10000)) per 10,000."
      }
    }
    s.append(first)
    var flow = "\(text(newSince)) cases opened and \(text(closedSince)) closed \(sinceLabel)"
    if let last = openAtLastMeeting, let now = value(openNow), let before = value(last) {
      flow +=
        now == before
        ? "; the register is the same size"
        : "; the register \(now > before ? "grew" : "fell") from \(text(last)) to \(text(openNow))"
    }
    s.append(flow + ".")
    s.append(
      "\(text(red)) cases are red; the whereabouts of \(text(whereaboutsUnknown)) children are unknown; \(text(notSeen)) children have not been seen since their case opened; \(text(openOver12Weeks)) cases have been open more than 12 weeks."
    )
    return s
  }

  /// What needs the board's attention, in sentences.
  public var exceptions: [String] {
    var e: [String] = []
    if value(clockBreaches) != 0 {
      e.append("\(text(clockBreaches)) open cases have breached a statutory or local clock.")
    }
    if value(overdueActions) != 0 { e.append("\(text(overdueActions)) multi-agency actions are overdue.") }
    if value(pastSchoolAge) != 0 {
      e.append(
        "\(text(pastSchoolAge)) open cases are of children past compulsory school age: check and close them (data quality)."
      )
    }
    for d in directions where d.targetMet == false {
      e.append("\(d.measure): \(d.now) against a target of \(d.target!) or fewer.")
    }
    if value(notCarriedOut) != 0 {
      e.append("\(text(notCarriedOut)) of the last meeting's decisions were not carried out on time (Part B).")
    }
    e += callouts.map { "Over-represented: " + $0 }
    return e
  }
}

func fmt(_ x: Double) -> String { String(format: "%.2f", x) }
func fmt1(_ x: Double) -> String { String(format: "%.1f", x) }

func pct(_ x: Double?) -> String {
  guard let x else { return "–" }
  return fmt(x * 100) + "%"
}

/// The figures of a pack as every format shows them.
extension BoardPack {
  public struct Figure: Sendable {
    public var label: String
    public var value: String
    public var note: String
  }

  /// The headline: the register now and its flows.
  public var headline: [Figure] {
    var h = [
      Figure(label: "Open cases", value: text(openNow), note: "on \(meeting.date)"),
      Figure(label: "Opened", value: text(newSince), note: sinceLabel),
      Figure(label: "Closed", value: text(closedSince), note: sinceLabel),
    ]
    if let last = openAtLastMeeting {
      h.append(Figure(label: "Open at the last meeting", value: text(last), note: "on \(previousMeeting!)"))
    }
    h.append(
      Figure(
        label: "Median time to resolve", value: closedMedianDays.map { "\($0) days" } ?? "–",
        note: "cases closed in the last 12 months (\(text(closedCount)))"))
    return h
  }

  /// The measures scrutiny follows.
  public var measures: [Figure] {
    var m: [Figure] = []
    if let rate = ratePer10000 {
      m.append(
        Figure(
          label: "Rate per 10,000 of school age", value: fmt1(rate), note: "open cases now ÷ the school-age population")
      )
    }
    if let n = national {
      m.append(
        Figure(
          label: "National rate per 10,000 (\(n.census))", value: fmt1(n.ratePer10000),
          note:
            "\(n.count.formatted()) children on \(n.censusDay), \(fmt1(n.percentOfSchoolAge))% of 5–16-year-olds, rounded by the DfE. Source: \(n.source)"
        ))
      if let day = openOnCensusDay {
        m.append(
          Figure(
            label: "Open on the \(n.census) census day", value: text(day),
            note: censusRatePer10000.map { "\(fmt1($0)) per 10,000 of school age" } ?? "rate not shown"))
      }
    }
    m += [
      Figure(
        label: "Not seen since the case opened", value: text(notSeen),
        note: "open cases: no visit or contact has seen the child"),
      Figure(
        label: "Repeat episodes", value: text(repeatEpisodes),
        note: "open cases of children who were on the register before"),
      Figure(label: "Open more than 12 weeks", value: text(openOver12Weeks), note: "see Time open for 26 and 52 weeks"),
      Figure(label: "Open cases with a clock breached", value: text(clockBreaches), note: "statutory and local clocks"),
      Figure(label: "Overdue multi-agency actions", value: text(overdueActions), note: "see the actions by agency"),
      Figure(
        label: "Past compulsory school age", value: text(pastSchoolAge),
        note: "open cases of children past school-leaving age: data quality, to be closed"),
      Figure(
        label: "Cases meeting the agenda rules", value: text(qualifying),
        note: "the \(agendaCap) with the highest risk are on the decision agenda (Part B)"),
    ]
    return m
  }

  /// The register check in one line.
  public var cycleLine: String {
    switch cycle {
    case .neverRun: return "No register-check cycle has been run."
    case .open(let id, let startedOn, _, _, _, _):
      guard let k = cycleChecked, let t = cycleTotal, let w = cycleWithout else { return "" }
      let percent = value(k).flatMap { k in value(t).map { $0 > 0 ? " (\(k * 100 / $0)%)" : "" } } ?? ""
      return
        "Register check, cycle \(id) (started \(startedOn)): \(text(k)) of \(text(t)) open cases checked\(percent); \(text(w)) without a satisfactory explanation."
    case .closed(let id, let closedOn): return "No cycle is under way; cycle \(id) closed on \(closedOn)."
    }
  }

  /// An equality row as published: count, shares, ratio and interval ("–" when hidden).
  public func published(_ e: EqualityRow) -> (
    count: String, registerShare: String, populationShare: String, ratio: String, interval: String
  ) {
    let hidden = cells.isHidden(e.cell)
    let d = e.d
    return (
      text(e.cell), hidden ? "–" : pct(d.registerShare), pct(d.populationShare),
      hidden ? "–" : d.ratio.map(fmt) ?? "–",
      hidden ? "–" : d.interval.map { "\(fmt($0.lowerBound))–\(fmt($0.upperBound))" } ?? "–"
    )
  }

  /// The figures of Part A by name and published text, as recorded with the
  /// pack so that the next meeting's pack can show the direction of travel.
  public var publishedFigures: [String: String] {
    Dictionary(cells.publishedCells.map { ($0.name, $0.text) }, uniquingKeysWith: { a, _ in a })
      .merging(["(rounded to)": String(policy.roundTo)]) { a, _ in a }
  }
}
