import Foundation

/// A child on the register: who they are, what is known of their needs and
/// vulnerabilities, where they have lived, and who looks after them.
///
/// Modelled on the records a local authority keeps (the seeds' Child A:
/// age, gender identity, ethnicity, disability, faith, language, sexual
/// orientation, circumstances). Much of it is special-category personal
/// data; optional fields stay nil unless they were recorded.
public struct Child: Hashable, Sendable, Codable {
  public var id: Int64?
  public var legalSurname: String
  public var legalForename: String
  public var middleNames: String?
  public var preferredSurname: String?
  public var preferredForename: String?
  /// Former names and aliases, as recorded.
  public var formerNames: [String] = []
  public var dateOfBirth: LocalDate
  public var sex: Sex = .unknown
  /// Gender identity as the child or family stated it; nil when not recorded.
  public var genderIdentity: String?
  public var upn: UPN?
  public var formerUPNs: [UPN] = []
  public var ethnicity: Ethnicity?
  /// Who gave the ethnicity recorded.
  public var ethnicitySource: EthnicitySource?
  public var firstLanguage: LanguageCode?
  public var religion: String?
  public var senProvision: SENProvision?
  public var disability: String?
  public var lookedAfter = false
  /// The LA number of the authority that looks after the child.
  public var careAuthority: String?
  public var childProtectionPlan = false
  public var childInNeed = false
  public var youthJustice = false
  /// Free school meals eligibility; nil when not known.
  public var freeSchoolMeals: Bool?
  /// The periods of free-school-meal eligibility, oldest first.
  public var fsmPeriods: [FSMPeriod] = []
  /// Whether a parent serves in the armed forces.
  public var serviceChild: ServiceChild?
  /// Recorded only where the child or family chose to state it.
  public var sexualOrientation: String?
  public var circumstances: String?
  public var concerns: Set<SafeguardingConcern> = []
  public var addresses: [Address] = []
  public var carers: [Carer] = []
  public var lastSchool: SchoolRef?

  public init(
    legalSurname: String, legalForename: String, dateOfBirth: LocalDate
  ) {
    self.legalSurname = legalSurname
    self.legalForename = legalForename
    self.dateOfBirth = dateOfBirth
  }

  /// The name to call the child by: preferred names where recorded.
  public var displayName: String {
    "\(preferredForename ?? legalForename) \(preferredSurname ?? legalSurname)"
  }

  /// Gypsy, Roma or Traveller heritage, from the ethnicity code.
  public var isGypsyRomaTraveller: Bool { ethnicity?.isGypsyRomaTraveller ?? false }

  /// The safeguarding markers on the record, in words. Any of them forces red.
  public var safeguardingMarkers: [String] {
    var m: [String] = []
    if childProtectionPlan { m.append("child protection plan") }
    if lookedAfter { m.append("looked after" + (careAuthority.map { " (care authority \($0))" } ?? "")) }
    if childInNeed { m.append("child in need") }
    if youthJustice { m.append("youth justice involvement") }
    m += concerns.map(\.label).sorted().map { "concern: \($0)" }
    return m
  }

  /// The current address: the latest one without an end date.
  public var currentAddress: Address? {
    addresses.filter { $0.to == nil }.max { $0.from ?? .init(daysSinceEpoch: 0) < $1.from ?? .init(daysSinceEpoch: 0) }
  }

  /// Checks the rules that span fields. `today` bounds the date of birth.
  public func validate(today: LocalDate) throws(InvalidInput) {
    try validateText()
    guard dateOfBirth <= today else {
      throw InvalidInput(
        field: "dateOfBirth", problem: "\(dateOfBirth) is in the future", fix: "Check the year of birth")
    }
    let age = dateOfBirth.age(on: today)
    guard age <= 18 else {
      throw InvalidInput(
        field: "dateOfBirth",
        problem: "\(dateOfBirth) makes the child \(age) today; the register holds children up to 18",
        fix: "Check the year of birth")
    }
    if careAuthority != nil && !lookedAfter {
      throw InvalidInput(
        field: "careAuthority", problem: "a care authority is given but the child is not looked after",
        fix: "Record that the child is looked after, or leave out the care authority")
    }
    let periods = fsmPeriods.sorted { $0.start < $1.start }
    for (a, b) in zip(periods, periods.dropFirst()) where a.end.map({ $0 >= b.start }) ?? true {
      throw InvalidInput(
        field: "fsmPeriods", problem: "the free-school-meals periods \(a.description) and \(b.description) overlap",
        fix: "Record each period once; end the earlier one before the next starts")
    }
    for p in fsmPeriods {
      guard p.start >= dateOfBirth else {
        throw InvalidInput(
          field: "fsmPeriods", problem: "a free-school-meals period starts (\(p.start)) before the child was born",
          fix: "Check the period's dates")
      }
      try p.validate(field: "fsmPeriods")
      guard p.start <= today else {
        throw InvalidInput(
          field: "fsmPeriods", problem: "a free-school-meals period starts in the future (\(p.start))",
          fix: "Record a period once it has started")
      }
    }
    if ethnicitySource != nil && ethnicity == nil {
      throw InvalidInput(
        field: "ethnicitySource", problem: "an ethnicity source is given without an ethnicity",
        fix: "Give the ethnicity with its source")
    }
    if let upn, formerUPNs.contains(upn) {
      throw InvalidInput(
        field: "formerUPNs", problem: "\(upn) is both the current and a former UPN",
        fix: "List it once, as the current UPN")
    }
  }
}

/// An address with the dates the child lived there.
extension Child {
  /// Checks every free text of the record against ``TextRules``: names 100
  /// characters, addresses and other lines 500, the circumstances (a note,
  /// which may run over lines) 10,000.
  public func validateText() throws(InvalidInput) {
    for (field, value) in [
      ("legalSurname", legalSurname), ("legalForename", legalForename), ("middleNames", middleNames),
      ("preferredSurname", preferredSurname), ("preferredForename", preferredForename),
    ] as [(String, String?)] {
      try TextRules.check(value, field: field, kind: .name)
    }
    for name in formerNames { try TextRules.check(name, field: "formerNames", kind: .name) }
    for (field, value) in [
      ("genderIdentity", genderIdentity), ("religion", religion), ("disability", disability),
      ("careAuthority", careAuthority), ("sexualOrientation", sexualOrientation),
    ] as [(String, String?)] {
      try TextRules.check(value, field: field, kind: .line)
    }
    try TextRules.check(circumstances, field: "circumstances", kind: .note)
    for a in addresses {
      try TextRules.check(a.text, field: "addressText", kind: .address)
      try TextRules.check(a.postcode, field: "postcode", kind: .name)
    }
    for c in carers {
      try TextRules.check(c.name, field: "carerName", kind: .name)
      try TextRules.check(c.relationship, field: "carerRelationship", kind: .name)
      try TextRules.check(c.phone, field: "carerPhone", kind: .name)
    }
  }
}

public struct Address: Hashable, Sendable, Codable {
  public var text: String
  public var postcode: String?
  public var from: LocalDate?
  public var to: LocalDate?

  public init(text: String, postcode: String? = nil, from: LocalDate? = nil, to: LocalDate? = nil) {
    self.text = text
    self.postcode = postcode
    self.from = from
    self.to = to
  }

  /// The postcode district (the outward code: `NG5` of `NG5 1AB`), for area counts.
  public var postcodeDistrict: String? {
    postcode.flatMap { $0.split(separator: " ").first.map(String.init) }
  }

  /// Normalises a UK postcode to `OUTWARD INWARD` in capitals, or refuses it.
  public static func parsePostcode(_ text: String, field: String) throws(InvalidInput) -> String {
    // Upper-cased ASCII without white space (of any kind); anything else is not a postcode.
    let compact =
      text.utf8.allSatisfy({ $0 < 0x80 }) ? text : String(text.unicodeScalars.filter { !$0.properties.isWhitespace })
    var c: [UInt8] = []
    for b in compact.utf8 where b > 0x20 { c.append(b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") ? b - 32 : b) }
    func letter(_ b: UInt8) -> Bool { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") }
    func digit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    let n = c.count
    guard (5...7).contains(n), letter(c[0]), digit(c[n - 3]), letter(c[n - 2]), letter(c[n - 1]),
      c.allSatisfy({ letter($0) || digit($0) })
    else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a UK postcode", fix: "Write it like NG5 1AB")
    }
    return String(decoding: c.dropLast(3), as: UTF8.self) + " " + String(decoding: c.suffix(3), as: UTF8.self)
  }
}

/// A parent or carer, with how to reach them.
public struct Carer: Hashable, Sendable, Codable {
  public var name: String
  public var relationship: String
  public var phone: String?
  public var livesWithChild: Bool
  public var parentalResponsibility: Bool

  public init(
    name: String, relationship: String, phone: String? = nil, livesWithChild: Bool = true,
    parentalResponsibility: Bool = true
  ) {
    self.name = name
    self.relationship = relationship
    self.phone = phone
    self.livesWithChild = livesWithChild
    self.parentalResponsibility = parentalResponsibility
  }

  /// Relationships that carry parental responsibility unless the record
  /// says otherwise (a foster carer, a grandparent or a step-parent does not
  /// have it by the relationship alone).
  static let responsibleByRelationship: Set<String> = [
    "mother", "father", "parent", "adoptive parent", "adoptive mother", "adoptive father", "guardian",
    "special guardian",
  ]

  /// Parses `NAME;RELATIONSHIP[;PHONE[;PR[;LIVES]]]`: the phone may be left
  /// out or empty; `PR` (`yes`/`no`) is whether they hold parental
  /// responsibility (default: yes for a mother, father, parent, adoptive
  /// parent or guardian, else no); `LIVES` (`yes`/`no`) whether the child
  /// lives with them (default yes).
  public static func parse(_ text: String, field: String) throws(InvalidInput) -> Carer {
    let parts = text.split(separator: ";", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard (2...5).contains(parts.count), !parts[0].isEmpty, !parts[1].isEmpty else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not NAME;RELATIONSHIP;PHONE;PR;LIVES",
        fix: "Write e.g. \"Jane Smith;mother;07700 900123\" or \"Ann Lee;foster carer;07700 900124;no;yes\"")
    }
    var phone: String?
    if parts.count >= 3, !parts[2].isEmpty { phone = try parsePhone(parts[2], field: field) }
    func yesNo(_ i: Int, _ what: String) throws(InvalidInput) -> Bool? {
      guard parts.count > i, !parts[i].isEmpty else { return nil }
      switch parts[i].lowercased() {
      case "yes", "y": return true
      case "no", "n": return false
      default:
        throw InvalidInput(
          field: field, problem: "'\(parts[i])' is not yes or no (\(what))", fix: "Write yes or no")
      }
    }
    let responsibility =
      try yesNo(3, "parental responsibility") ?? responsibleByRelationship.contains(parts[1].lowercased())
    return Carer(
      name: parts[0], relationship: parts[1], phone: phone,
      livesWithChild: try yesNo(4, "lives with the child") ?? true, parentalResponsibility: responsibility)
  }

  /// Accepts UK and international numbers: digits, spaces, `+`, `-`, brackets; 10–15 digits.
  public static func parsePhone(_ text: String, field: String) throws(InvalidInput) -> String {
    let digits = text.filter(\.isNumber).count
    let allowed = text.allSatisfy { $0.isNumber || " +-()".contains($0) }
    guard allowed, (10...15).contains(digits) else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a phone number",
        fix: "Give 10 to 15 digits, e.g. 07700 900123 or +44 115 496 0000")
    }
    return text
  }
}

/// A school, by URN or by LA and establishment number.
public enum SchoolRef: Hashable, Sendable, Codable, CustomStringConvertible {
  case urn(String)
  case laEstablishment(la: String, establishment: String)

  public var description: String {
    switch self {
    case .urn(let urn): "URN \(urn)"
    case .laEstablishment(let la, let estab): "\(la)/\(estab)"
    }
  }

  /// Stored form: `urn:123456` or `laestab:8201234`.
  public var storageKey: String {
    switch self {
    case .urn(let urn): "urn:\(urn)"
    case .laEstablishment(let la, let estab): "laestab:\(la)\(estab)"
    }
  }

  public init?(storageKey: String) {
    if storageKey.hasPrefix("urn:") {
      self = .urn(String(storageKey.dropFirst(4)))
    } else if storageKey.hasPrefix("laestab:"), storageKey.count == 15 {
      let digits = storageKey.dropFirst(8)
      self = .laEstablishment(la: String(digits.prefix(3)), establishment: String(digits.suffix(4)))
    } else {
      return nil
    }
  }

  /// Parses a 6-digit URN, or a 7-digit LA+establishment number (`8201234`,
  /// `820/1234` or `820-1234`) whose LA number is known.
  public static func parse(_ text: String, field: String, laCodes: LACode.Table = .default)
    throws(InvalidInput) -> SchoolRef
  {
    let t = text.trimmingCharacters(in: .whitespaces)
    let digits = t.filter { $0 != "/" && $0 != "-" }
    guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a school URN or LA+establishment number",
        fix: "Give the 6-digit URN (e.g. 122345) or the LA and establishment number (e.g. 892/4001)")
    }
    if digits.count == 6 && t == digits { return .urn(digits) }
    if digits.count == 7 {
      let la = String(digits.prefix(3))
      guard laCodes.recognise(la) != nil else {
        throw InvalidInput(
          field: field, problem: "'\(la)' in '\(text)' is not a recognised LA number",
          fix: "Check the first three digits against the DfE's LA numbers")
      }
      return .laEstablishment(la: la, establishment: String(digits.suffix(4)))
    }
    throw InvalidInput(
      field: field, problem: "'\(text)' is not a school URN or LA+establishment number",
      fix: "Give the 6-digit URN (e.g. 122345) or the LA and establishment number (e.g. 892/4001)")
  }
}

extension Child {
  /// Records a move: the current address ends the day before `address.from`.
  public mutating func move(to address: Address) throws(InvalidInput) {
    guard let from = address.from else {
      throw InvalidInput(
        field: "addressFrom", problem: "a new address needs the date the child moved",
        fix: "Give the date the child moved there")
    }
    for i in addresses.indices where addresses[i].to == nil {
      if let start = addresses[i].from, start >= from {
        throw InvalidInput(
          field: "addressFrom", problem: "\(from) is not after the current address's start, \(start)",
          fix: "Give the day the child moved")
      }
      addresses[i].to = from.adding(days: -1)
    }
    addresses.append(address)
  }

  /// The record without the special-category details that only those who
  /// need them see: gender identity, sexual orientation, religion and
  /// disability (health). Ethnicity and SEN provision stay: the rating and
  /// the casework rest on them.
  public func withoutSpecialCategoryDetails() -> Child {
    var c = self
    c.genderIdentity = nil
    c.sexualOrientation = nil
    c.religion = nil
    c.disability = nil
    return c
  }

  /// Records whether the child is looked after; a child no longer looked
  /// after has no care authority.
  public mutating func setLookedAfter(_ lookedAfter: Bool) {
    self.lookedAfter = lookedAfter
    if !lookedAfter { careAuthority = nil }
  }

  /// Replaces the UPN, keeping the old one as a former UPN.
  public mutating func replaceUPN(with upn: UPN) {
    if let old = self.upn, old != upn, !formerUPNs.contains(old) { formerUPNs.append(old) }
    formerUPNs.removeAll { $0 == upn }
    self.upn = upn
  }
}
