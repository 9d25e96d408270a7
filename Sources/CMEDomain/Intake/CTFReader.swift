import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// One pupil of a Common Transfer File.
public struct CTFPupil: Sendable {
  /// The line of the file where the pupil starts.
  public var line = 0
  public var upn: String?
  public var formerUPNs: [String] = []
  public var surname = ""
  public var forename = ""
  public var preferredSurname: String?
  public var preferredForename: String?
  public var dateOfBirth: String = ""
  public var sex: String?
  public var ethnicity: String?
  public var language: String?
  public var senProvision: String?
  public var inCare: Bool?
  public var careAuthority: String?
  public var postcode: String?
  public var addressLines: [String] = []
  public var lastSchool: (la: String, estab: String, name: String?, leaving: String?)?
  /// Free-school-meal eligibility periods (`FSMhistory/FSMinstance`), dates as written.
  public var fsmPeriods: [(start: String, end: String?)] = []
  /// The pupil's contacts, in the order the school gave them.
  public var contacts: [CTFContact] = []

  public init() {}

  /// Whether the pupil is eligible for free school meals on `date`: a
  /// period that has started and not ended. Nil when the file gives no
  /// FSM history at all (unknown, not "no").
  public func eligibleForFreeMeals(on date: LocalDate) -> Bool? {
    guard !fsmPeriods.isEmpty else { return nil }
    return fsmPeriods.contains { period in
      guard let start = LocalDate(iso: period.start), start <= date else { return false }
      guard let endText = period.end, !endText.isEmpty else { return true }
      return LocalDate(iso: endText).map { $0 >= date } ?? true
    }
  }
}

/// A parent or other contact of a pupil in a CTF (`Contacts/Contact`).
public struct CTFContact: Sendable, Equatable {
  public var forename = ""
  public var surname = ""
  /// The relationship code as given (e.g. `PAR`).
  public var relationship: String?
  public var parentalResponsibility: Bool?
  /// The first phone number given.
  public var phone: String?
  /// Whether the contact has an address of their own in the file.
  public var hasOwnAddress = false

  public init() {}

  /// The relationship in words, for the register's carer list.
  public var relationshipInWords: String {
    switch relationship?.uppercased() {
    case "PAR": "parent"
    case "CAR": "carer"
    case "FOS": "foster carer"
    case "STP": "step-parent"
    case "REL": "relative"
    case "FAM": "family member"
    case "SWR": "social worker"
    case "DOC": "doctor"
    case "CHM": "childminder"
    case "OTH", nil: "contact"
    case let code?: code.lowercased()
    }
  }
}

/// The header of a CTF: who sent it, to whom.
public struct CTFHeader: Sendable {
  public var version = ""
  public var sourceLA = ""
  public var sourceEstab = ""
  public var sourceName: String?
  public var destLA = ""
  public var destEstab = ""

  public init() {}

  /// `XXX`/`XXXX`: destination unknown (the lost-pupil database).
  public var isLostPupil: Bool { destLA.uppercased() == "XXX" || destEstab.uppercased() == "XXXX" }
  /// `MMM`/`MMMM`: moved abroad or out of the maintained sector.
  public var isMovedAbroad: Bool { destLA.uppercased() == "MMM" || destEstab.uppercased() == "MMMM" }
}

/// A problem in a CTF file, with its line.
public struct CTFProblem: Error, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var message: String

  public init(file: String, line: Int, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  public var description: String { "\(file):\(line): \(message)" }
}

/// Reads a CTF (versions 24 and 25) with a streaming XML parser: pupils are
/// handed over one at a time, so a large file never has to fit in memory.
/// ``CTFFile/read(stream:file:today:_:)`` checks and maps each pupil it reads.
public final class CTFReader: NSObject, XMLParserDelegate {
  private let file: String
  private var path: [String] = []
  private var text = ""
  public private(set) var header = CTFHeader()
  private var pupil: CTFPupil?
  private var school: (la: String, estab: String, name: String?, leaving: String?)?
  private var contact: CTFContact?
  private var fsm: (start: String, end: String?)?
  private var onPupil: (CTFPupil, CTFHeader) throws -> Void
  private var failure: (any Error)?
  private var parser: XMLParser?
  /// Set when the root element closes: a file cut short never closes it.
  private var finished = false

  public init(file: String, onPupil: @escaping (CTFPupil, CTFHeader) throws -> Void) {
    self.file = file
    self.onPupil = onPupil
  }

  /// Streams the file; throws `CTFProblem` for malformed XML or an unsupported version.
  public func read(stream: InputStream) throws {
    let parser = XMLParser(stream: stream)
    self.parser = parser
    parser.delegate = self
    let ok = parser.parse()
    if let failure { throw failure }
    if !ok {
      let err = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "the XML is malformed"
      throw CTFProblem(
        file: file, line: parser.lineNumber,
        message: "the XML is malformed (\(err)); check the file was not cut short or edited by hand")
    }
    if !finished {
      throw CTFProblem(
        file: file, line: parser.lineNumber,
        message: "the XML is malformed (the file ends before </CTfile>); check the file was not cut short")
    }
    if header.version.isEmpty {
      throw CTFProblem(
        file: file, line: parser.lineNumber,
        message: "no CTF header with a CTFversion; this is not a Common Transfer File")
    }
  }

  private func fail(_ message: String) {
    failure = CTFProblem(file: file, line: parser?.lineNumber ?? 0, message: message)
    parser?.abortParsing()
  }

  public func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    path.append(name)
    text = ""
    if name == "Pupil" && path.contains("CTFpupilData") {
      guard !header.version.isEmpty else { return fail("a Pupil before the Header's CTFversion") }
      pupil = CTFPupil()
      pupil?.line = parser.lineNumber
    }
    if name == "School" && path.contains("SchoolHistory") { school = ("", "", nil, nil) }
    if name == "Contact" && path.contains("Contacts") && pupil != nil { contact = CTFContact() }
    if name == "FSMinstance" && pupil != nil { fsm = ("", nil) }
  }

  public func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

  public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let parent = path.dropLast().last ?? ""
    defer {
      path.removeLast()
      text = ""
      if path.isEmpty && name == "CTfile" { finished = true }
    }
    if path.contains("Header") {
      switch (parent, name) {
      case (_, "CTFversion"), (_, "CTFVersion"):
        header.version = value
        let major = value.split(separator: ".").first.flatMap { Int($0) } ?? 0
        if ![24, 25].contains(major) { fail("CTF version \(value) is not supported; cme reads versions 24 and 25") }
      case ("SourceSchool", "LEA"): header.sourceLA = value
      case ("SourceSchool", "Estab"): header.sourceEstab = value
      case ("SourceSchool", "SchoolName"): header.sourceName = value
      case ("DestSchool", "LEA"): header.destLA = value
      case ("DestSchool", "Estab"): header.destEstab = value
      default: break
      }
      return
    }
    if name == "School", var s = school, pupil != nil {
      if s.la.isEmpty { s.la = header.sourceLA }
      pupil?.lastSchool = s
      school = nil
      return
    }
    if school != nil {
      switch name {
      case "LEA": school?.la = value
      case "Estab": school?.estab = value
      case "SchoolName": school?.name = value
      case "LeavingDate": school?.leaving = value
      default: break
      }
      return
    }
    if contact != nil {
      switch (parent, name) {
      case (_, "Contact"):
        if let c = contact { pupil?.contacts.append(c) }
        contact = nil
      case ("Contact", "Forename"): contact?.forename = value
      case ("Contact", "Surname"): contact?.surname = value
      case ("Contact", "Relationship"): contact?.relationship = value.isEmpty ? nil : value
      case ("Contact", "Responsibility"): contact?.parentalResponsibility = value.lowercased() == "true"
      case (_, "PhoneNo"): if contact?.phone == nil, !value.isEmpty { contact?.phone = value }
      case ("Contact", "Address"): contact?.hasOwnAddress = true
      default: break
      }
      return
    }
    if fsm != nil {
      switch name {
      case "FSMinstance":
        if let f = fsm, !f.start.isEmpty { pupil?.fsmPeriods.append(f) }
        fsm = nil
      case "FSMstartDate": fsm?.start = value
      case "FSMendDate": fsm?.end = value.isEmpty ? nil : value
      default: break
      }
      return
    }
    guard pupil != nil else { return }
    switch (parent, name) {
    case ("Pupil", "UPN"): pupil?.upn = value.isEmpty ? nil : value
    case ("Pupil", "Surname"): pupil?.surname = value
    case ("Pupil", "Forename"): pupil?.forename = value
    case ("Pupil", "DOB"): pupil?.dateOfBirth = value
    case ("Pupil", "Sex"), ("Pupil", "Gender"): pupil?.sex = value
    case (_, "FormerUPN"): if !value.isEmpty { pupil?.formerUPNs.append(value) }
    case ("BasicDetails", "PreferredSurname"): pupil?.preferredSurname = value.isEmpty ? nil : value
    case ("BasicDetails", "PreferredForename"): pupil?.preferredForename = value.isEmpty ? nil : value
    case ("BasicDetails", "Ethnicity"): pupil?.ethnicity = value.isEmpty ? nil : value
    case ("Languages", "Type"), ("Language", "Type"):
      if pupil?.language == nil, !value.isEmpty { pupil?.language = value }
    case ("LookedAfter", "InCare"): pupil?.inCare = value.lowercased() == "true"
    case ("LookedAfter", "CareAuthority"): pupil?.careAuthority = value.isEmpty ? nil : value
    case ("SEN", "SENprovision"): pupil?.senProvision = value
    case (_, "PostCode"), (_, "Postcode"): pupil?.postcode = value
    case ("BS7666Address", _), ("Address", "AddressLine1"), ("Address", "AddressLine2"), ("Address", "Town"):
      if !value.isEmpty, !["PostCode", "Postcode", "UPRN", "Easting", "Northing"].contains(name) {
        pupil?.addressLines.append(value)
      }
    case (_, "Pupil"):
      if let p = pupil {
        do { try onPupil(p, header) } catch {
          failure = error
          parser.abortParsing()
        }
      }
      pupil = nil
    default: break
    }
  }
}
