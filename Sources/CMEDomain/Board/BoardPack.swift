import Foundation

/// Everything a board pack shows, computed from the register as of the
/// meeting date. Rendering it is pure: the same data gives the same bytes.
public struct BoardPack: Sendable {
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

  /// A breakdown of counts, protected for publication.
  public struct Breakdown: Sendable {
    public var title: String
    public var note: String?
    public var table: ProtectedTable
    public var chart: Bool
    public init(title: String, note: String? = nil, table: ProtectedTable, chart: Bool = true) {
      self.title = title
      self.note = note
      self.table = table
      self.chart = chart
    }
  }

  public struct TrendPoint: Sendable {
    public var month: String
    public var open: Int
    public var lastYear: Int
    public init(month: String, open: Int, lastYear: Int) {
      self.month = month
      self.open = open
      self.lastYear = lastYear
    }
  }

  public struct EqualityRow: Sendable {
    public var characteristic: String
    public var d: Disproportion
    /// The register count is hidden (small, or to protect another small count).
    public var hidden: Bool

    /// The group in a sentence: "Gypsy/Roma children", "Children in need".
    public var phrase: String {
      switch d.group {
      case "Female": "Girls"
      case "Male": "Boys"
      case "Sex unknown": "Children whose sex is not recorded"
      case "EHC plan": "Children with an EHC plan"
      case "SEN support": "Children on SEN support"
      case "No SEN": "Children with no SEN"
      case "Looked after": "Looked-after children"
      case "Child in need": "Children in need"
      case "Child protection plan": "Children on a child protection plan"
      case "Eligible for free school meals": "Children eligible for free school meals"
      case "English as an additional language": "Children with English as an additional language"
      default: "\(d.group) children"
      }
    }
    public init(characteristic: String, d: Disproportion, hidden: Bool) {
      self.characteristic = characteristic
      self.d = d
      self.hidden = hidden
    }
  }

  public struct AgendaCase: Sendable {
    public var reference: String
    public var reasons: String
    public var rag: RAG?
    public var suggestion: RAGSuggestion
    public var schoolDaysMissing: Int?
    public var daysOpen: Int
    public var lastContact: String
    public var actions: String
    public var clocks: String
    /// Name, date of birth and address: only in an identifiable pack.
    public var identity: String?
    public init(
      reference: String, reasons: String, rag: RAG?, suggestion: RAGSuggestion, schoolDaysMissing: Int?, daysOpen: Int,
      lastContact: String, actions: String, clocks: String, identity: String?
    ) {
      self.reference = reference
      self.reasons = reasons
      self.rag = rag
      self.suggestion = suggestion
      self.schoolDaysMissing = schoolDaysMissing
      self.daysOpen = daysOpen
      self.lastContact = lastContact
      self.actions = actions
      self.clocks = clocks
      self.identity = identity
    }
  }

  public struct DecisionLine: Sendable {
    public var reference: String
    public var decision: String
    public var note: String
    public var carriedOut: String
    public init(reference: String, decision: String, note: String, carriedOut: String) {
      self.reference = reference
      self.decision = decision
      self.note = note
      self.carriedOut = carriedOut
    }
  }

  public var authority: String
  public var meeting: Meeting
  public var previousMeeting: LocalDate?
  public var policy: SuppressionPolicy
  public var identifiable: Bool
  /// The audit-log entry the register stood at, and its hash.
  public var logSequence: Int64
  public var logHash: String
  public var openNow: Int
  public var newSince: Int
  public var closedSince: Int
  public var trend: [TrendPoint]
  public var breakdowns: [Breakdown]
  public var closedMedianDays: Int?
  public var closedCount: Int
  public var equality: [EqualityRow]
  public var equalityThreshold: Double
  public var baselineMissing: Bool
  public var cycleLine: String
  public var agenda: [AgendaCase]
  public var agendaTotal: Int
  public var previousDecisions: [DecisionLine]

  public init(
    authority: String, meeting: Meeting, previousMeeting: LocalDate?, policy: SuppressionPolicy, identifiable: Bool,
    logSequence: Int64, logHash: String, openNow: Int, newSince: Int, closedSince: Int, trend: [TrendPoint],
    breakdowns: [Breakdown], closedMedianDays: Int?, closedCount: Int, equality: [EqualityRow],
    equalityThreshold: Double,
    baselineMissing: Bool, cycleLine: String, agenda: [AgendaCase], agendaTotal: Int, previousDecisions: [DecisionLine]
  ) {
    self.authority = authority
    self.meeting = meeting
    self.previousMeeting = previousMeeting
    self.policy = policy
    self.identifiable = identifiable
    self.logSequence = logSequence
    self.logHash = logHash
    self.openNow = openNow
    self.newSince = newSince
    self.closedSince = closedSince
    self.trend = trend
    self.breakdowns = breakdowns
    self.closedMedianDays = closedMedianDays
    self.closedCount = closedCount
    self.equality = equality
    self.equalityThreshold = equalityThreshold
    self.baselineMissing = baselineMissing
    self.cycleLine = cycleLine
    self.agenda = agenda
    self.agendaTotal = agendaTotal
    self.previousDecisions = previousDecisions
  }

  /// The period "since" counts refer to.
  public var sinceLabel: String {
    previousMeeting.map { "since the last meeting (\($0))" } ?? "in the 28 days before this meeting"
  }

  /// A published count: hidden when small.
  public func protect(_ n: Int) -> String { (1...policy.smallest).contains(n) ? policy.symbol : policy.shown(n) }

  /// Whether a row is called out as over-represented. "Refused" and "not yet
  /// obtained" are not groups of children, and hidden counts are never used.
  public func isCalledOut(_ row: EqualityRow) -> Bool {
    !row.hidden && !["Refused", "Information not yet obtained"].contains(row.d.group)
      && row.d.isOverRepresented(threshold: equalityThreshold)
  }

  /// The over-represented groups, in words, each group once.
  public var callouts: [String] {
    var said = Set<String>()
    return equality.compactMap { row in
      let d = row.d
      guard isCalledOut(row), let ratio = d.ratio, let ci = d.interval, said.insert(d.group).inserted else {
        return nil
      }
      return
        "\(row.phrase) are \(fmt(ratio)) times as common on the register as in the school-age population (95% CI \(fmt(ci.lowerBound))–\(fmt(ci.upperBound)))."
    }
  }

  /// A hidden register count's text: small, or hidden to protect a small one.
  public func hiddenText(_ n: Int) -> String {
    (1...policy.smallest).contains(n) ? policy.symbol : policy.secondarySymbol
  }
}

func fmt(_ x: Double) -> String {
  let r = (x * 100).rounded() / 100
  var s = String(r)
  if let dot = s.firstIndex(of: ".") {
    let decimals = s.distance(from: dot, to: s.endIndex) - 1
    if decimals == 1 { s += "0" }
  } else {
    s += ".00"
  }
  return s
}

func pct(_ x: Double?) -> String {
  guard let x else { return "–" }
  return fmt(x * 100) + "%"
}
