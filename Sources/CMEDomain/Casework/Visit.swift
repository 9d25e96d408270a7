import Foundation

/// How a contact or enquiry was made.
public enum VisitType: String, ClosedList {
  case homeVisit = "home-visit"
  case phoneCall = "phone-call"
  case letter
  case email
  case textMessage = "text-message"
  case schoolContact = "school-contact"
  case agencyCheck = "agency-check"
  case multiAgencyMeeting = "multi-agency-meeting"
  case other

  public static let noun = "visit type"
  public var label: String {
    switch self {
    case .homeVisit: "home visit"
    case .phoneCall: "phone call"
    case .letter: "letter"
    case .email: "email"
    case .textMessage: "text message"
    case .schoolContact: "school contact"
    case .agencyCheck: "agency check"
    case .multiAgencyMeeting: "multi-agency meeting"
    case .other: "other"
    }
  }
}

/// A partner agency: who an action is for, or who was contacted.
public enum Agency: String, ClosedList {
  case school
  case admissions
  case attendance
  case socialCare = "social-care"
  case earlyHelp = "early-help"
  case police
  case health
  case housing
  case otherLA = "other-la"
  case grtLiaison = "grt-liaison"
  case youthJustice = "youth-justice"
  case send
  case virtualSchool = "virtual-school"
  case other

  public static let noun = "agency"
  public var label: String {
    switch self {
    case .school: "school"
    case .admissions: "admissions"
    case .attendance: "attendance / education welfare"
    case .socialCare: "children's social care"
    case .earlyHelp: "early help"
    case .police: "police"
    case .health: "health"
    case .housing: "housing"
    case .otherLA: "another local authority"
    case .grtLiaison: "Gypsy, Roma and Traveller liaison"
    case .youthJustice: "youth justice"
    case .send: "SEND"
    case .virtualSchool: "virtual school"
    case .other: "other"
    }
  }
}

/// A visit, call or other contact made in the course of reasonable enquiries.
public struct Visit: Hashable, Sendable, Codable {
  public var id: Int64?
  public var caseReference: String
  public var type: VisitType
  public var date: LocalDate
  /// `HH:MM`, when recorded (enquiries at different times of day matter).
  public var time: String?
  /// Whether the child was seen; nil when it does not apply (a letter).
  public var childSeen: Bool?
  public var outcome: String
  public var nextStep: String?
  public var agency: Agency?
  public var by: String
  /// When it was recorded (UTC), which may be days after it happened.
  public var recordedAt: String?

  public init(
    caseReference: String, type: VisitType, date: LocalDate, time: String? = nil, childSeen: Bool? = nil,
    outcome: String, nextStep: String? = nil, agency: Agency? = nil, by: String
  ) {
    self.caseReference = caseReference
    self.type = type
    self.date = date
    self.time = time
    self.childSeen = childSeen
    self.outcome = outcome
    self.nextStep = nextStep
    self.agency = agency
    self.by = by
  }

  /// Checks a new visit against the case it belongs to and today.
  public static func validate(date: LocalDate, time: String?, caseOpenedOn: LocalDate, today: LocalDate)
    throws(InvalidInput)
  {
    guard date <= today else {
      throw InvalidInput(field: "date", problem: "\(date) is in the future", fix: "Log a visit once it has happened")
    }
    guard date >= caseOpenedOn else {
      throw InvalidInput(
        field: "date", problem: "\(date) is before the case opened (\(caseOpenedOn))",
        fix: "Enquiries before the referral belong to the school; record them in the outcome of the first visit")
    }
    if let time {
      let parts = time.split(separator: ":")
      guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
        (0...23).contains(h), (0...59).contains(m)
      else {
        throw InvalidInput(
          field: "time", problem: "'\(time)' is not a time of day", fix: "Write it as HH:MM, e.g. 17:30")
      }
    }
  }
}
