import Foundation

/// A pupil of a Common Transfer File in the register's terms: checked, and
/// mapped to the child the file describes and to what the transfer calls for.
public struct TransferredPupil: Sendable {
  /// The pupil's place in the file (1 for the first), as the import lists it.
  public var number: Int
  /// The line of the file where the pupil starts.
  public var line: Int
  /// Who sent the file, to whom.
  public var header: CTFHeader
  /// The child as the file describes them (never with an identifier).
  public var child: Child
  /// The last day at the source school (its leaving date, not after today).
  public var lastAttended: LocalDate?

  /// Checks a pupil as read and maps it: surname, forename and date of birth
  /// are required; a UPN must pass the DfE check. Other values the register
  /// cannot use (an unknown code, an unreadable phone number) are left out.
  public init(_ p: CTFPupil, header: CTFHeader, number: Int, file: String, today: LocalDate) throws(CTFProblem) {
    func bad(_ what: String) -> CTFProblem {
      CTFProblem(
        file: file, line: p.line, column: p.column,
        message: "pupil \(number) (\(TextRules.visible(p.forename)) \(TextRules.visible(p.surname))): \(what)")
    }
    guard !p.surname.isEmpty, !p.forename.isEmpty else { throw bad("Surname and Forename are required") }
    let dob: LocalDate
    do { dob = try LocalDate.parse(p.dateOfBirth, field: "DOB") } catch { throw bad(error.description) }
    var upn: UPN?
    if let text = p.upn {
      switch UPN.validate(text) {
      case .success(let u): upn = u
      case .failure(let problem): throw bad("UPN \(text): \(problem)")
      }
    }
    self.number = number
    self.line = p.line
    self.header = header
    self.child = Self.child(from: p, header: header, dateOfBirth: dob, upn: upn, today: today)
    do { try child.validateText() } catch { throw bad(error.description) }
    self.lastAttended = p.lastSchool?.leaving.flatMap { LocalDate(iso: $0) }.map { Swift.min($0, today) }
  }

  /// The pupil's content, for recognising the same pupil on the same route
  /// in this file or a later one.
  public var canonical: String {
    [
      "ctf", header.sourceLA, header.sourceEstab, header.destLA, header.destEstab, child.upn?.value ?? "",
      child.legalSurname.lowercased(), child.legalForename.lowercased(), child.dateOfBirth.description,
    ]
    .joined(separator: "|")
  }

  /// The case the destination calls for: whereabouts unknown for a CTF to
  /// `XXX`, believed moved out of the country for one to `MMM`; nil (the
  /// pupil is logged) for one to a school.
  public var caseReason: CaseReason? {
    if header.isLostPupil { return .whereaboutsUnknown }
    if header.isMovedAbroad { return .believedMovedOutOfCountry }
    return nil
  }

  /// What the case's opening says about where it came from.
  public var caseNote: String {
    let from = "\(header.sourceLA)/\(header.sourceEstab)"
    return header.isLostPupil
      ? "CTF to XXX (destination unknown) from \(from)" : "CTF to MMM (moved abroad) from \(from)"
  }

  /// The child as a transfer file describes them.
  static func child(from p: CTFPupil, header: CTFHeader, dateOfBirth dob: LocalDate, upn: UPN?, today: LocalDate)
    -> Child
  {
    var c = Child(legalSurname: p.surname, legalForename: p.forename, dateOfBirth: dob)
    c.preferredSurname = p.preferredSurname
    c.preferredForename = p.preferredForename
    c.sex = p.sex.flatMap { Sex(rawValue: $0.uppercased()) } ?? .unknown
    c.upn = upn
    c.formerUPNs = p.formerUPNs.compactMap { try? UPN.validate($0).get() }.filter { $0 != upn }
    c.ethnicity = p.ethnicity.flatMap { try? Ethnicity.parse($0, field: "Ethnicity") }
    c.firstLanguage = p.language.flatMap { try? LanguageCode.parse($0, field: "Language") }
    c.senProvision = p.senProvision.flatMap { SENProvision(rawValue: $0.uppercased()) }
    if p.inCare == true {
      c.lookedAfter = true
      c.careAuthority = p.careAuthority
    }
    c.freeSchoolMeals = p.eligibleForFreeMeals(on: today)
    // The periods as the school recorded them (a period with an unreadable
    // date is left out; the yes/no above still says what the file says).
    // (Overlapping periods, or one before the date of birth, are left out:
    // the record keeps one consistent history.)
    c.fsmPeriods = p.fsmPeriods.compactMap { period -> FSMPeriod? in
      guard let start = LocalDate(iso: period.start), start <= today else { return nil }
      let end = period.end.flatMap { LocalDate(iso: $0) }
      if let end, end < start { return nil }
      let country = period.country.flatMap { FSMPeriod.countries.contains($0) ? $0 : nil } ?? "ENG"
      return FSMPeriod(start: start, end: end, country: country)
    }
    .filter { $0.start >= c.dateOfBirth }.sorted { $0.start < $1.start }.reduce(into: [FSMPeriod]()) { kept, next in
      if let last = kept.last, last.end.map({ $0 >= next.start }) ?? true { return }
      kept.append(next)
    }
    // A contact without an address of their own is taken to live at the pupil's.
    c.carers = p.contacts.filter { !($0.forename + $0.surname).isEmpty }.map { contact in
      Carer(
        name: [contact.forename, contact.surname].filter { !$0.isEmpty }.joined(separator: " "),
        relationship: contact.relationshipInWords,
        phone: contact.phone.flatMap { try? Carer.parsePhone($0, field: "PhoneNo") },
        livesWithChild: !contact.hasOwnAddress,
        parentalResponsibility: contact.parentalResponsibility ?? false)
    }
    if !p.addressLines.isEmpty || p.postcode != nil {
      c.addresses = [
        Address(
          text: p.addressLines.isEmpty ? "(address not given)" : p.addressLines.joined(separator: ", "),
          postcode: p.postcode.flatMap { try? Address.parsePostcode($0, field: "PostCode") })
      ]
    }
    if let s = p.lastSchool, s.la.count == 3, s.estab.count == 4 {
      c.lastSchool = .laEstablishment(la: s.la, establishment: s.estab)
    } else if header.sourceLA.count == 3, header.sourceEstab.count == 4 {
      c.lastSchool = .laEstablishment(la: header.sourceLA, establishment: header.sourceEstab)
    }
    return c
  }
}

/// A Common Transfer File: reading it pupil by pupil.
public enum CTFFile {
  /// Refuses, before it is opened, a path that is not a regular file (a
  /// folder, a device such as `/dev/zero`, a FIFO) or is larger than the
  /// reader reads (``CTFReader/Limits/fileBytes``). A path that cannot be
  /// read is left to opening it.
  public static func check(path: String) throws(CTFProblem) {
    do { try InputFile.check(path, limit: CTFReader.Limits.standard.fileBytes) } catch {
      throw CTFProblem(file: error.file, line: error.line, column: 1, message: error.message)
    }
  }

  /// Streams the file and hands over each pupil, checked and mapped, as it
  /// is read. Bytes refused (not UTF-8, NUL, too many, nested too deep),
  /// malformed XML, an unsupported version, a bad value or a pupil given
  /// twice throws ``CTFProblem`` with the line and column, in words (and
  /// `body` may have seen some pupils already: callers keep nothing until
  /// this returns). It never crashes and never hangs, whatever the bytes.
  public static func read(
    stream: InputStream, file: String, today: LocalDate, _ body: (TransferredPupil) throws -> Void
  ) throws {
    var number = 0
    var seen: [String: Int] = [:]
    try withoutActuallyEscaping(body) { body in
      let reader = CTFReader(file: file) { p, header in
        number += 1
        let pupil = try TransferredPupil(p, header: header, number: number, file: file, today: today)
        // As in a school return, the same pupil twice in one file is a fault in the file.
        if let first = seen[pupil.canonical] {
          throw CTFProblem(
            file: file, line: p.line, column: p.column,
            message: "pupil \(number) repeats pupil \(first) (same pupil, from and to the same schools)")
        }
        seen[pupil.canonical] = number
        try body(pupil)
      }
      try reader.read(stream: stream)
    }
  }
}
