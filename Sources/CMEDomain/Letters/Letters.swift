import Foundation

/// The letters and notices a CME service sends, each from a template an
/// authority may replace with its own wording (`cme letter template set`).
public enum LetterKind: String, ClosedList {
  /// To the parents: the service is trying to find out where the child is
  /// being educated, and asks them to get in touch.
  case parentEnquiry = "parent-enquiry"
  /// Education Act 1996 s437(1): the parents are to satisfy the authority,
  /// within the period the notice gives (not less than 15 days), that the
  /// child is receiving suitable education.
  case s437Notice = "s437-notice"
  /// The next stage (s437(3), s438): the authority intends to serve a school
  /// attendance order, names the school it proposes, and the parents may
  /// choose another within 15 days.
  case s437Intention = "s437-intention"
  /// To a school: what it knows of the child (last attendance, siblings,
  /// contacts, destination).
  case schoolEnquiry = "school-enquiry"
  /// To the virtual school head: a looked-after child is missing education
  /// or not in full-time education.
  case virtualSchool = "virtual-school"
  /// The CME notification to another authority that the child has moved, or
  /// is believed to have moved, into its area.
  case laNotification = "la-notification"

  public static let noun = "letter"

  public var label: String {
    switch self {
    case .parentEnquiry: "Letter to parents: where is the child being educated?"
    case .s437Notice: "Notice under section 437(1) of the Education Act 1996"
    case .s437Intention: "Notice of intention to serve a school attendance order (section 437(3))"
    case .schoolEnquiry: "Enquiry to a school"
    case .virtualSchool: "Letter to the virtual school head"
    case .laNotification: "CME notification to another local authority"
    }
  }

  /// The fewest days a notice must give the parents to answer, if any.
  public var minimumResponseDays: Int? {
    switch self {
    case .s437Notice, .s437Intention: 15
    default: nil
    }
  }
}

/// What a letter's template may use, all plain text (the template escapes
/// it for HTML). Lists are for the template's sections.
public struct LetterContext: Sendable, Equatable {
  public var authority: String
  public var date: LocalDate
  public var respondBy: LocalDate?
  public var addressee: String
  public var caseReference: String
  public var childName: String
  public var dateOfBirth: LocalDate
  public var upn: String?
  public var address: String?
  public var parents: [String]
  public var lastSchool: String?
  public var reason: String
  public var caseworker: String
  /// The enquiries done so far, as "item: result" lines.
  public var enquiries: [String]
  /// For a notification: the authority it goes to (its DfE LA number).
  public var toAuthority: String?
  /// For a notice of intention: the school the authority proposes.
  public var proposedSchool: String?

  public init(
    authority: String, date: LocalDate, addressee: String, caseReference: String, childName: String,
    dateOfBirth: LocalDate, reason: String, caseworker: String
  ) {
    self.authority = authority
    self.date = date
    self.addressee = addressee
    self.caseReference = caseReference
    self.childName = childName
    self.dateOfBirth = dateOfBirth
    self.reason = reason
    self.caseworker = caseworker
    self.parents = []
    self.enquiries = []
  }

  /// The values as a template sees them.
  public var values: [String: Any] {
    var v: [String: Any] = [
      "authority": authority, "date": date.description, "addressee": addressee, "caseReference": caseReference,
      "childName": childName, "dateOfBirth": dateOfBirth.description, "reason": reason, "caseworker": caseworker,
      "parents": parents, "enquiries": enquiries, "hasEnquiries": !enquiries.isEmpty,
    ]
    v["respondBy"] = respondBy?.description
    v["upn"] = upn
    v["address"] = address
    v["lastSchool"] = lastSchool
    v["toAuthority"] = toAuthority
    v["proposedSchool"] = proposedSchool
    return v
  }
}

/// The rules of letters.
public enum LetterRules {
  /// Checks the day a notice asks for an answer by: at least the notice's
  /// minimum after it is issued (15 days for the s437 notices).
  public static func validateRespondBy(_ day: LocalDate?, kind: LetterKind, issuedOn: LocalDate) throws(InvalidInput)
    -> LocalDate?
  {
    guard let minimum = kind.minimumResponseDays else { return day }
    let earliest = issuedOn.adding(days: minimum)
    guard let day else { return earliest }
    guard day >= earliest else {
      throw InvalidInput(
        field: "respondBy", problem: "\(day) gives the parents fewer than \(minimum) days to answer",
        fix: "Give \(earliest) or later (the law allows no less than \(minimum) days from the notice)")
    }
    return day
  }
}
