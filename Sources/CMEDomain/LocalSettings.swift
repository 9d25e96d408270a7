import Foundation

/// The thresholds an authority may set for itself, with their defaults.
public struct LocalSettings: Hashable, Sendable {
  public var rag = RAGThresholds.default
  public var clocks = ClockThresholds.default
  /// An action overdue by more than this many school days is flagged for escalation.
  public var escalateActionsAfterSchoolDays = 5
  /// An export of more cases than this needs the number confirmed.
  public var exportRowsWithoutConfirmation = 500
  /// Whether managers and admins must sign in to the web pages with a
  /// second factor (a time-based code) as well as their password: 1 yes, 2 no.
  public var secondFactorForManagersAndAdmins = 2
  /// How long children's records are kept.
  public var retention = RetentionPolicy()
  /// Cases on a board meeting's decision agenda (the highest-risk first).
  public var boardAgendaCases = 25
  /// Targets a manager sets for the board pack's direction of travel, by
  /// measure (open cases, red, whereabouts unknown, not seen, overdue
  /// actions); lower is better; 0 or absent: no target.
  public var boardTargets: [String: Int] = [:]

  /// The measures a target can be set for, with their settings' names.
  public static let boardTargetMeasures: [(key: String, measure: String)] = [
    ("openCases", "Open cases"), ("red", "Red cases"), ("whereaboutsUnknown", "Whereabouts unknown"),
    ("notSeen", "Not seen since the case opened"), ("overdueActions", "Overdue actions"),
  ]

  /// True when `role` must give a second factor to sign in.
  public func requiresSecondFactor(_ role: Role) -> Bool {
    secondFactorForManagersAndAdmins == 1 && (role == .manager || role == .admin)
  }

  public init() {}

  public typealias Definition = (
    key: String, help: String, get: @Sendable (LocalSettings) -> Int, set: @Sendable (inout LocalSettings, Int) -> Void
  )

  /// Every setting: its key, what it means, and how to read and write it.
  public static let definitions: [Definition] = fixedDefinitions + targetDefinitions

  static let targetDefinitions: [Definition] = boardTargetMeasures.map { t -> Definition in
    let key = t.key
    return (
      key: "board.target.\(key)",
      help: "target for the board pack: \(t.measure.lowercased()) at most this (0: no target)",
      get: { (s: LocalSettings) -> Int in s.boardTargets[key] ?? 0 },
      set: { (s: inout LocalSettings, v: Int) in s.boardTargets[key] = v == 0 ? nil : v }
    )
  }

  static let fixedDefinitions: [Definition] = [
    (
      "rag.amberAfterDaysOpen", "days open before a case is at least amber", { $0.rag.amberAfterDaysOpen },
      { $0.rag.amberAfterDaysOpen = $1 }
    ),
    (
      "rag.redAfterWeeksWithoutContact", "weeks missing without contact before a case is red",
      { $0.rag.redAfterWeeksWithoutContact }, { $0.rag.redAfterWeeksWithoutContact = $1 }
    ),
    (
      "rag.vulnerableUnderAge", "children under this age, whereabouts unknown, are red",
      { $0.rag.vulnerableUnderAge }, { $0.rag.vulnerableUnderAge = $1 }
    ),
    (
      "rag.amberAfterSchoolDaysNotSeen", "school days without seeing the child before a case is at least amber",
      { $0.rag.amberAfterSchoolDaysNotSeen }, { $0.rag.amberAfterSchoolDaysNotSeen = $1 }
    ),
    (
      "clock.referralSchoolDays", "school days of absence by which a school refers", { $0.clocks.referralSchoolDays },
      { $0.clocks.referralSchoolDays = $1 }
    ),
    (
      "clock.homeVisitSchoolDays", "school days after referral for the home visit", { $0.clocks.homeVisitSchoolDays },
      { $0.clocks.homeVisitSchoolDays = $1 }
    ),
    (
      "clock.groundISchoolDays", "school days of absence ground I needs", { $0.clocks.groundISchoolDays },
      { $0.clocks.groundISchoolDays = $1 }
    ),
    (
      "clock.sicknessSchoolDays", "school days of illness before a sickness return", { $0.clocks.sicknessSchoolDays },
      { $0.clocks.sicknessSchoolDays = $1 }
    ),
    (
      "clock.fairAccessSchoolDays", "school days to allocate a Fair Access place", { $0.clocks.fairAccessSchoolDays },
      { $0.clocks.fairAccessSchoolDays = $1 }
    ),
    (
      "clock.groundHSchoolDays", "school days without return after leave that ground H needs",
      { $0.clocks.groundHSchoolDays }, { $0.clocks.groundHSchoolDays = $1 }
    ),
    (
      "clock.ctfSchoolDays", "school days after a deletion to send the CTF on", { $0.clocks.ctfSchoolDays },
      { $0.clocks.ctfSchoolDays = $1 }
    ),
    (
      "actions.escalateAfterSchoolDays", "school days overdue before an action is flagged for escalation",
      { $0.escalateActionsAfterSchoolDays }, { $0.escalateActionsAfterSchoolDays = $1 }
    ),
    (
      "export.rowsWithoutConfirmation", "cases an identifiable export may hold before their number must be confirmed",
      { $0.exportRowsWithoutConfirmation }, { $0.exportRowsWithoutConfirmation = $1 }
    ),
    (
      "signIn.secondFactorForManagersAndAdmins",
      "1: managers and admins must sign in to the web pages with a time-based code as well; 2: they may choose",
      { $0.secondFactorForManagersAndAdmins }, { $0.secondFactorForManagersAndAdmins = $1 }
    ),
    (
      "retention.yearsAfterBirth", "years after a child's date of birth that their record is kept (25: DOB+25)",
      { $0.retention.yearsAfterBirth }, { $0.retention.yearsAfterBirth = $1 }
    ),
    (
      "retention.yearsAfterLastCase", "years after a child's last case closed that their record is kept (6: CASE+6)",
      { $0.retention.yearsAfterLastCase }, { $0.retention.yearsAfterLastCase = $1 }
    ),
    (
      "board.agendaCases", "cases on a board meeting's decision agenda, the highest-risk first",
      { $0.boardAgendaCases }, { $0.boardAgendaCases = $1 }
    ),
  ]

  /// Applies stored values (unknown keys and non-numbers are ignored).
  public mutating func apply(_ stored: [String: String]) {
    for d in LocalSettings.definitions {
      if let text = stored[d.key], let v = Int(text) { d.set(&self, v) }
    }
  }

  /// Checks a key and a value before they are stored.
  public static func validate(key: String, value: String) throws(InvalidInput) -> Int {
    guard definitions.contains(where: { $0.key == key }) else {
      throw InvalidInput(
        field: "KEY", problem: "'\(key)' is not a setting",
        fix: "Settings are \(definitions.map(\.key).joined(separator: ", "))")
    }
    if key == "signIn.secondFactorForManagersAndAdmins", value != "1" && value != "2" {
      throw InvalidInput(
        field: "VALUE", problem: "'\(value)' is not 1 or 2", fix: "Give 1 to require a second factor, 2 not to")
    }
    if key.hasPrefix("board.target."), let n = Int(value), (0...1_000_000).contains(n) { return n }
    guard let n = Int(value), (1...3650).contains(n) else {
      throw InvalidInput(
        field: "VALUE", problem: "'\(value)' is not a whole number from 1 to 3650",
        fix: "Give a number of days, weeks or years")
    }
    return n
  }
}

/// Everything the register knows about a case's casework on a day, for
/// the RAG suggestion, the clocks and the manager's check list.
public struct CaseAssessment: Sendable, Codable {
  public var suggestion: RAGSuggestion
  public var clocks: [Clock]
  /// School days since the last day of attendance (nil when not known).
  public var schoolDaysMissing: Int?
  public var lastContact: Visit?
  public var lastSeen: LocalDate?
  public var openActions: Int
  public var overdueActions: Int
  /// Actions overdue beyond the escalation threshold.
  public var actionsToEscalate: Int
  public var enquiriesOutstanding: [EnquiryItem]
  /// For grounds that need joint enquiries: what evidence is missing.
  public var jointEnquiriesMissing: [EnquiryItem]?

  public init(
    suggestion: RAGSuggestion, clocks: [Clock], schoolDaysMissing: Int?, lastContact: Visit?, lastSeen: LocalDate?,
    openActions: Int, overdueActions: Int, actionsToEscalate: Int, enquiriesOutstanding: [EnquiryItem],
    jointEnquiriesMissing: [EnquiryItem]?
  ) {
    self.suggestion = suggestion
    self.clocks = clocks
    self.schoolDaysMissing = schoolDaysMissing
    self.lastContact = lastContact
    self.lastSeen = lastSeen
    self.openActions = openActions
    self.overdueActions = overdueActions
    self.actionsToEscalate = actionsToEscalate
    self.enquiriesOutstanding = enquiriesOutstanding
    self.jointEnquiriesMissing = jointEnquiriesMissing
  }

  public var clockBreaches: [Clock] { clocks.filter(\.isBreach) }
}
