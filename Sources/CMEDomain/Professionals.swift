/// The part a professional plays around a child.
public enum ProfessionalRole: String, ClosedList {
  case socialWorker = "social-worker"
  case independentReviewingOfficer = "iro"
  case designatedTeacher = "designated-teacher"
  case virtualSchoolHead = "virtual-school-head"
  case therapeuticWorker = "therapeutic-worker"
  case healthVisitor = "health-visitor"
  case schoolNurse = "school-nurse"
  case earlyHelpWorker = "early-help-worker"
  case youthJusticeWorker = "youth-justice-worker"
  case policeOfficer = "police-officer"
  case sendcoOrCaseworker = "send-caseworker"
  case other

  public static let noun = "professional's role"
  public var label: String {
    switch self {
    case .socialWorker: "social worker"
    case .independentReviewingOfficer: "independent reviewing officer"
    case .designatedTeacher: "designated teacher"
    case .virtualSchoolHead: "virtual school head"
    case .therapeuticWorker: "therapeutic worker"
    case .healthVisitor: "health visitor"
    case .schoolNurse: "school nurse"
    case .earlyHelpWorker: "early help worker"
    case .youthJusticeWorker: "youth justice worker"
    case .policeOfficer: "police officer"
    case .sendcoOrCaseworker: "SEND caseworker"
    case .other: "other professional"
    }
  }
}

/// A professional around a child: who they are, for whom they work, how to
/// reach them, and since when (until when, once they no longer are).
public struct Professional: Hashable, Sendable, Codable {
  public var id: Int64?
  public var role: ProfessionalRole
  public var name: String
  public var organisation: String?
  public var contact: String?
  public var since: LocalDate?
  public var endedOn: LocalDate?

  public init(
    id: Int64? = nil, role: ProfessionalRole, name: String, organisation: String? = nil, contact: String? = nil,
    since: LocalDate? = nil, endedOn: LocalDate? = nil
  ) {
    self.id = id
    self.role = role
    self.name = name
    self.organisation = organisation
    self.contact = contact
    self.since = since
    self.endedOn = endedOn
  }

  /// Checks the texts and dates as entered (`since` not after today).
  public func validated(today: LocalDate) throws(InvalidInput) -> Professional {
    var p = self
    p.name = try requireName(name)
    p.organisation = try optionalText(organisation, field: "organisation", kind: .line)
    p.contact = try optionalText(contact, field: "contact", kind: .line)
    if let since { try EventDate.notAfterToday(since, field: "since", today: today, fix: "Give the day they started") }
    return p
  }

  private func requireName(_ text: String) throws(InvalidInput) -> String {
    guard let name = try optionalText(text, field: "name", kind: .name) else {
      throw InvalidInput(field: "name", problem: "the professional's name is empty", fix: "Give their name")
    }
    return name
  }
}
