import Foundation

/// How worried the authority should be about a case.
public enum RAG: String, ClosedList, Comparable {
  case green, amber, red

  public static let noun = "RAG rating"
  public var label: String { rawValue }

  /// Higher is more worrying.
  public var severity: Int {
    switch self {
    case .green: 0
    case .amber: 1
    case .red: 2
    }
  }

  public static func < (a: RAG, b: RAG) -> Bool { a.severity < b.severity }
}

/// The local thresholds behind a RAG suggestion. No national scheme exists;
/// these defaults follow the risk factors in the CME guidance, and an
/// authority may set its own.
public struct RAGThresholds: Hashable, Sendable, Codable {
  /// Open longer than this many days: at least amber (28 days ≈ 20 school days).
  public var amberAfterDaysOpen: Int
  /// Missing (whereabouts unknown) longer than this many weeks with no
  /// contact with the child: red.
  public var redAfterWeeksWithoutContact: Int
  /// Children younger than this, whereabouts unknown: red.
  public var vulnerableUnderAge: Int
  /// The child not seen for more than this many school days: at least amber.
  public var amberAfterSchoolDaysNotSeen: Int

  public init(
    amberAfterDaysOpen: Int = 28, redAfterWeeksWithoutContact: Int = 12, vulnerableUnderAge: Int = 8,
    amberAfterSchoolDaysNotSeen: Int = 10
  ) {
    self.amberAfterDaysOpen = amberAfterDaysOpen
    self.redAfterWeeksWithoutContact = redAfterWeeksWithoutContact
    self.vulnerableUnderAge = vulnerableUnderAge
    self.amberAfterSchoolDaysNotSeen = amberAfterSchoolDaysNotSeen
  }

  public static let `default` = RAGThresholds()
}

/// One reason behind a suggested rating.
public struct RAGReason: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The rating this reason alone calls for.
  public var rating: RAG
  public var text: String

  public init(_ rating: RAG, _ text: String) {
    self.rating = rating
    self.text = text
  }

  public var description: String { "\(rating.rawValue): \(text)" }
}

/// A suggested rating and every reason that led to it, worst first.
public struct RAGSuggestion: Hashable, Sendable, Codable {
  public var rating: RAG
  public var reasons: [RAGReason]

  /// The reasons that set the rating (those of the same colour), in one line.
  public var summary: String {
    reasons.filter { $0.rating == rating }.map(\.text).joined(separator: "; ")
  }
}

/// The facts of a case that the RAG rule looks at.
public struct RAGFacts: Sendable {
  public var child: Child
  public var reason: CaseReason
  public var whereaboutsKnown: Bool
  public var openedOn: LocalDate
  public var deletionGround: DeletionGround?
  /// The last time anyone saw the child; nil when none is recorded.
  public var lastContact: LocalDate?
  /// What the casework shows, when it is known.
  public var casework: CaseworkFacts?

  public init(
    child: Child, reason: CaseReason, whereaboutsKnown: Bool, openedOn: LocalDate,
    deletionGround: DeletionGround? = nil, lastContact: LocalDate? = nil
  ) {
    self.child = child
    self.reason = reason
    self.whereaboutsKnown = whereaboutsKnown
    self.openedOn = openedOn
    self.deletionGround = deletionGround
    self.lastContact = lastContact
  }

  public init(child: Child, case c: CMECase, lastContact: LocalDate? = nil) {
    self.init(
      child: child, reason: c.reason, whereaboutsKnown: c.whereaboutsKnown, openedOn: c.openedOn,
      deletionGround: c.deletionGround, lastContact: lastContact)
  }
}

/// What visits, enquiries, actions and clocks say about a case.
public struct CaseworkFacts: Sendable {
  /// School days since the child was last seen (or since the case opened, if never).
  public var schoolDaysNotSeen: Int
  /// Whether the child has been seen since the case opened.
  public var seenSinceOpening: Bool
  public var overdueActions: Int
  /// Every required enquiry done or not applicable.
  public var enquiriesExhausted: Bool
  /// Labels of the clocks in breach.
  public var clockBreaches: [String]

  public init(
    schoolDaysNotSeen: Int, seenSinceOpening: Bool, overdueActions: Int, enquiriesExhausted: Bool,
    clockBreaches: [String]
  ) {
    self.schoolDaysNotSeen = schoolDaysNotSeen
    self.seenSinceOpening = seenSinceOpening
    self.overdueActions = overdueActions
    self.enquiriesExhausted = enquiriesExhausted
    self.clockBreaches = clockBreaches
  }
}

/// Suggests a rating for a case on `today`, with the reasons.
///
/// - Red: any safeguarding marker (child protection plan, looked after,
///   child in need, youth justice, a recorded concern such as exploitation
///   or FGM); whereabouts unknown for a vulnerable child (SEN, under the
///   age threshold, Gypsy/Roma/Traveller); or missing longer than the
///   no-contact threshold.
/// - Amber: whereabouts unknown; believed abroad, unconfirmed; home
///   education unsuitable; permanently excluded without provision; deleted
///   on a high-risk ground; open longer than the amber threshold.
/// - With casework facts: red when every enquiry is exhausted and the child
///   is still not found; amber when the child has not been seen for more
///   than the school-day threshold, an action is overdue, or a statutory
///   clock is breached.
/// - Green: none of these.
///
/// The rating is the worst any reason calls for; all reasons are returned.
public func suggestRAG(
  _ f: RAGFacts, today: LocalDate, thresholds t: RAGThresholds = .default
) -> RAGSuggestion {
  var reasons: [RAGReason] = []
  let child = f.child

  for marker in child.safeguardingMarkers {
    reasons.append(RAGReason(.red, "safeguarding marker: \(marker)"))
  }

  let daysOpen = today.days(since: f.openedOn)
  if !f.whereaboutsKnown {
    if let sen = child.senProvision, sen.hasSEN {
      reasons.append(
        RAGReason(.red, "whereabouts unknown and the child has \(sen == .ehcPlan ? "an EHC plan" : "SEN support")"))
    }
    let age = child.dateOfBirth.age(on: today)
    if age < t.vulnerableUnderAge {
      reasons.append(RAGReason(.red, "whereabouts unknown and the child is \(age), under \(t.vulnerableUnderAge)"))
    }
    if child.isGypsyRomaTraveller {
      reasons.append(RAGReason(.red, "whereabouts unknown for a Gypsy, Roma or Traveller child"))
    }
    let sinceContact = today.days(since: f.lastContact ?? f.openedOn)
    if sinceContact > t.redAfterWeeksWithoutContact * 7 {
      let what = f.lastContact.map { "last seen \($0)" } ?? "not seen since the case opened"
      reasons.append(RAGReason(.red, "missing more than \(t.redAfterWeeksWithoutContact) weeks (\(what))"))
    }
    reasons.append(RAGReason(.amber, "whereabouts unknown"))
  }

  switch f.reason {
  case .believedMovedOutOfCountry:
    reasons.append(RAGReason(.amber, "believed moved abroad, not confirmed"))
  case .eheUnsuitable:
    reasons.append(RAGReason(.amber, "home education assessed as unsuitable"))
  case .permExcludedNoProvision:
    reasons.append(RAGReason(.amber, "permanently excluded without provision"))
  default: break
  }
  if let g = f.deletionGround, g.isHighRisk {
    reasons.append(RAGReason(.amber, "deleted from roll on ground \(g.letter) (\(g.regime.rawValue)): \(g.label)"))
  }
  if daysOpen > t.amberAfterDaysOpen {
    reasons.append(RAGReason(.amber, "open \(daysOpen) days, more than \(t.amberAfterDaysOpen)"))
  }
  if let w = f.casework {
    if w.enquiriesExhausted && !f.whereaboutsKnown {
      reasons.append(RAGReason(.red, "every reasonable enquiry made and the child not found"))
    }
    if w.schoolDaysNotSeen > t.amberAfterSchoolDaysNotSeen {
      let since = w.seenSinceOpening ? "since last seen" : "since the case opened, never seen"
      reasons.append(RAGReason(.amber, "child not seen for \(w.schoolDaysNotSeen) school days (\(since))"))
    }
    if w.overdueActions > 0 {
      reasons.append(
        RAGReason(.amber, "\(w.overdueActions) overdue multi-agency action\(w.overdueActions == 1 ? "" : "s")"))
    }
    for breach in w.clockBreaches {
      reasons.append(RAGReason(.amber, "clock breached: \(breach)"))
    }
  }

  if reasons.isEmpty {
    reasons.append(RAGReason(.green, "whereabouts known, no safeguarding markers"))
    switch f.reason {
    case .schoolApplicationAwaitingOutcome:
      reasons.append(RAGReason(.green, "awaiting the outcome of a school application"))
    case .placeOfferedNotStarted: reasons.append(RAGReason(.green, "place offered, awaiting the start date"))
    default: reasons.append(RAGReason(.green, "open \(daysOpen) days"))
    }
  }
  let rating = reasons.map(\.rating).max() ?? .green
  let ordered = reasons.enumerated().sorted { a, b in
    a.element.rating != b.element.rating ? a.element.rating > b.element.rating : a.offset < b.offset
  }.map(\.element)
  return RAGSuggestion(rating: rating, reasons: ordered)
}

/// The rule for a user setting a rating: a reason is always welcome, and
/// required when the rating differs from the suggestion.
public enum RAGRules {
  public static func rationale(
    setting rating: RAG, suggestion: RAGSuggestion, reason: String?
  ) throws(InvalidInput) -> (rationale: String, overridesSuggestion: Bool) {
    let given = try optionalText(reason, field: "reason", kind: .note)
    if rating != suggestion.rating {
      guard let given else {
        throw InvalidInput(
          field: "reason",
          problem:
            "\(rating.rawValue) differs from the suggested \(suggestion.rating.rawValue) (\(suggestion.summary))",
          fix: "Say why; the reason is kept in the rating history")
      }
      return (given, true)
    }
    return (given ?? "agrees with the suggestion: \(suggestion.summary)", false)
  }
}
