import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// One pupil of a Common Transfer File.
public struct CTFPupil: Sendable {
  /// The line of the file where the pupil starts.
  public var line = 0
  /// The column where the parser read the pupil's start tag.
  public var column = 0
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
  public var fsmPeriods: [(start: String, end: String?, country: String?)] = []
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

/// A problem in a CTF file, where it is and what it is: `FILE:LINE:COLUMN: message`.
public struct CTFProblem: Error, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int
  /// The column, counted in characters.
  public var column: Int
  public var message: String

  public init(file: String, line: Int, column: Int = 1, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Reads a CTF (versions 24 and 25) with a streaming XML parser: pupils are
/// handed over one at a time, so a large file never has to fit in memory.
/// ``CTFFile/read(stream:file:today:_:)`` checks and maps each pupil it reads.
///
/// Whatever the bytes, it never crashes and never hangs: each byte is checked
/// before the parser sees it (``CTFByteCheck``: UTF-8 without NUL, and the
/// ``Limits``: size, nesting, attributes; no DOCTYPE and no processing
/// instruction), and after the first error the parser finds it is given no
/// more. Every refusal is a ``CTFProblem`` in words.
public final class CTFReader: NSObject, XMLParserDelegate {
  /// What the reader accepts: beyond these a file is refused before the
  /// parser sees the bytes.
  public struct Limits: Sendable, Equatable {
    /// The largest file: 64 MiB. A CTF for a whole school of 2,000 pupils
    /// is a few MB; one for a lost pupil a few KB.
    public var fileBytes: Int
    /// The deepest nesting of elements: 64. A CTF nests seven or eight deep.
    public var depth: Int
    /// The most attributes one element may have: 32. A CTF's elements have
    /// none, or a namespace or two.
    public var attributes: Int

    public init(fileBytes: Int = 64 << 20, depth: Int = 64, attributes: Int = 32) {
      self.fileBytes = fileBytes
      self.depth = depth
      self.attributes = attributes
    }

    /// The limits the import uses.
    public static let standard = Limits()
  }

  private let file: String
  private let limits: Limits
  private var path: [String] = []
  private var text = ""
  public private(set) var header = CTFHeader()
  private var pupil: CTFPupil?
  private var school: (la: String, estab: String, name: String?, leaving: String?)?
  private var contact: CTFContact?
  private var fsm: (start: String, end: String?, country: String?)?
  private var onPupil: (CTFPupil, CTFHeader) throws -> Void
  /// The first problem: a pupil's, the reader's or the parser's.
  private var failure: (any Error)?
  private var parser: XMLParser?
  private var stream: CheckedCTFStream?
  /// Whether the parser has been told to stop.
  private var stopped = false
  /// Set when the root element closes: a file cut short never closes it.
  private var finished = false

  public init(file: String, limits: Limits = .standard, onPupil: @escaping (CTFPupil, CTFHeader) throws -> Void) {
    self.file = file
    self.limits = limits
    self.onPupil = onPupil
  }

  /// Streams the file; throws `CTFProblem` for bytes refused, malformed XML
  /// or an unsupported version, or what `onPupil` throws.
  public func read(stream: InputStream) throws {
    let checked = CheckedCTFStream(stream, check: CTFByteCheck(limits: limits))
    let parser = XMLParser(stream: checked)
    self.parser = parser
    self.stream = checked
    parser.delegate = self
    let ok = parser.parse()
    if let failure { throw failure }
    if let refused = checked.check.problem {
      throw CTFProblem(file: file, line: refused.line, column: refused.column, message: refused.message)
    }
    if !ok {
      let code = (parser.parserError as NSError?)?.code ?? 0
      throw problem(Self.words(forParserError: code, openElement: path.last))
    }
    if !finished {
      throw problem(
        path.last.map { "the XML is malformed: the file ends before <\($0)> is closed; check it was not cut short" }
          ?? "the XML is malformed: the file ends before </CTfile>; check it was not cut short")
    }
    if header.version.isEmpty {
      throw problem("no CTF header with a CTFversion; this is not a Common Transfer File")
    }
  }

  /// A problem where the parser is (line 1, column 1 before it has begun).
  private func problem(_ message: String) -> CTFProblem {
    CTFProblem(
      file: file, line: max(1, parser?.lineNumber ?? 1), column: max(1, parser?.columnNumber ?? 1), message: message)
  }

  /// Keeps the first problem and stops the parser: only from an element's
  /// start or end, where libxml2 expects to be stopped.
  private func fail(_ message: String) {
    record(problem(message))
    if let parser { stop(parser) }
  }

  private func stop(_ parser: XMLParser) {
    guard !stopped else { return }
    stopped = true
    parser.abortParsing()
  }

  /// Keeps the first problem; the parser is given no more bytes and every
  /// later callback is ignored.
  private func record(_ error: any Error) {
    guard failure == nil else { return }
    failure = error
    stream?.stop()
  }

  /// The parser's warnings (libxml2's `XML_WAR_*`), which leave the document
  /// readable; so do its namespace errors (`XML_NS_ERR_*`, 200 to 299).
  private static let warnings: Set<Int> = [27, 93, 97, 98, 99, 100, 102, 106, 107]

  public func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
    let code = (parseError as NSError).code
    guard !Self.warnings.contains(code), !(200..<300).contains(code) else { return }
    // The first error is the one to report. The parser is not stopped here:
    // libxml2 raises some errors midway through work it then finishes, and
    // stopping it frees what that work uses (found by fuzzing: a crash). It
    // is given no more bytes, and is stopped at the next element.
    record(problem(Self.words(forParserError: code, openElement: path.last)))
  }

  /// A parser error in words (the codes are libxml2's `xmlParserErrors`):
  /// what is wrong where the parser stopped, never a number alone.
  public static func words(forParserError code: Int, openElement open: String?) -> String {
    let what: String
    switch code {
    case 4: what = "the file is empty"
    case 3: what = "the file does not start with an element ('<' expected); this is not a CTF"
    case 5, 74, 77, 85:
      what =
        open.map { "the file ends before <\($0)> is closed; check it was not cut short" }
        ?? "text after the end of the document (after </CTfile>)"
    case 86: what = "text after the end of the document (after </CTfile>)"
    case 76:
      what =
        open.map {
          "an end tag does not match <\($0)>, the element open here: an element is not closed, or a tag is misspelt"
        }
        ?? "an end tag that matches no open element"
    case 73: what = "a tag is not closed with '>'"
    case 68, 72: what = "a '<' that starts no tag: write '<' in text as &lt;"
    case 22, 23, 14: what = "an '&' that starts no reference such as &amp;: write '&' in text as &amp;"
    case 26, 28, 29, 30, 89:
      what = "an unknown entity (&name;): a CTF uses only &amp;, &lt;, &gt;, &quot;, &apos; and character references"
    case 6, 7, 8, 10: what = "a character reference (&#…;) to no character XML allows"
    case 9: what = "a character XML does not allow (a control character)"
    case 33, 34, 39, 40, 41, 43, 44: what = "an attribute's value is not in quotes, or its quotes are not closed"
    case 38: what = "a '<' inside an attribute's value"
    case 42: what = "an attribute given twice in one element"
    case 65: what = "a space is missing (between attributes, or in the XML declaration)"
    case 75: what = "an attribute without '=' and a value"
    case 45: what = "a comment is not closed with '-->'"
    case 80: what = "'--' inside a comment"
    case 46, 47: what = "a processing instruction is not closed with '?>'"
    case 56, 57, 96, 108, 109: what = "the XML declaration (<?xml …?>) is malformed"
    case 64: what = "an XML declaration (<?xml …?>) that is not at the start of the file"
    case 62: what = "']]>' in text: write it as ]]&gt;"
    case 63: what = "a CDATA section is not closed with ']]>'"
    case 31, 32, 79, 81, 101, 6000..<6100: what = "the text or its declared encoding is not UTF-8"
    case 110: what = "a name longer than the parser allows"
    case 1, 2: what = "the parser could not go on here (an internal error or too little memory)"
    default: return "the XML is malformed here; check the file was not edited by hand or damaged"
    }
    return "the XML is malformed: " + what
  }

  public func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    guard failure == nil else { return stop(parser) }
    if path.isEmpty && name != "CTfile" {
      return fail("the document is <\(name)>, not <CTfile>: this is not a Common Transfer File")
    }
    path.append(name)
    text = ""
    // The byte check refuses deeper nesting before the parser sees it; this is a second guard.
    guard path.count <= limits.depth else { return fail("elements nested more than \(limits.depth) deep") }
    if name == "Pupil" && path.contains("CTFpupilData") {
      guard !header.version.isEmpty else { return fail("a Pupil before the Header's CTFversion") }
      pupil = CTFPupil()
      pupil?.line = parser.lineNumber
      pupil?.column = parser.columnNumber
    }
    if name == "School" && path.contains("SchoolHistory") { school = ("", "", nil, nil) }
    if name == "Contact" && path.contains("Contacts") && pupil != nil { contact = CTFContact() }
    if name == "FSMinstance" && pupil != nil { fsm = ("", nil, nil) }
  }

  public func parser(_ parser: XMLParser, foundCharacters string: String) {
    if failure == nil { text += string }
  }

  public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    guard failure == nil else { return stop(parser) }
    guard !path.isEmpty else { return }
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
      case "UKcountry": fsm?.country = value.isEmpty ? nil : value.uppercased()
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
          record(error)
          stop(parser)
        }
      }
      pupil = nil
    default: break
    }
  }
}
