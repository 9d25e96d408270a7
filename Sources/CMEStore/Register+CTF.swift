import CMEAudit
import CMEDomain
import Foundation
import GRDB

/// The audit writer, shared with the streaming parser's callbacks.
private final class AuditBox {
  var writer: AuditWriter
  init(_ writer: AuditWriter) { self.writer = writer }
}

extension Register {
  /// Imports a Common Transfer File, pupil by pupil as the file is streamed.
  ///
  /// A CTF addressed to `XXX`/`XXXX` (destination unknown) opens a
  /// whereabouts-unknown case; one addressed to `MMM`/`MMMM` (moved abroad or
  /// out of the maintained sector) opens a believed-moved-abroad case; one to
  /// a school is logged. Children are matched as for school returns, or
  /// created from the file. One transaction: malformed XML, an unsupported
  /// version or a bad value anywhere imports nothing.
  public func importCTF(path: String, by session: Session, today: LocalDate) throws -> ImportSummary {
    guard let stream = InputStream(fileAtPath: path), FileManager.default.isReadableFile(atPath: path) else {
      throw InvalidInput(
        field: "FILE", problem: "cannot read \(path)", fix: "Check the path and that the file is readable")
    }
    let digest = try Register.fileDigest(path)
    try useBulkPageCache()
    return try write(as: session, needs: .writeCases) { db, audit in
      var summary = ImportSummary(file: path, digest: digest, dryRun: false, alreadyImported: false)
      if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM importFile WHERE digest = ?"), arguments: [digest])
        != nil
      {
        summary.alreadyImported = true
        return summary
      }
      try db.cachedStatement(
        sql:
          "INSERT INTO importFile (kind, name, digest, rows, byUserId, at, auditSeq) VALUES ('ctf', ?, ?, 0, ?, ?, ?)"
      )
      .execute(arguments: [path, digest, audit.actor.id, audit.at, audit.nextSequence])
      let fileId = db.lastInsertedRowID
      try audit.append(
        action: .intakeFile, entity: "importFile", entityId: String(fileId), reason: path,
        after: ["digest": digest, "kind": "ctf"])
      let box = AuditBox(audit)
      let matcher = ChildMatcher(db: db)
      let references = ReferenceCounter(db: db)
      let calendar = try Register.calendar(in: db).calendar
      let settings = try Register.settings(in: db)
      var line = 0
      let reader = CTFReader(file: path) { p, header in
        line += 1
        summary.rowsRead += 1
        try Register.importPupil(
          p, header: header, number: line, file: path, fileId: fileId, today: today, in: db, matcher: matcher,
          references: references, settings: settings, calendar: calendar, audit: box, summary: &summary)
      }
      try reader.read(stream: stream)
      try db.cachedStatement(sql: "UPDATE importFile SET rows = ? WHERE id = ?").execute(arguments: [
        summary.rowsRead, fileId,
      ])
      audit = box.writer
      return summary
    }
  }

  static func fileDigest(_ path: String) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw InvalidInput(field: "FILE", problem: "cannot read \(path)", fix: "Check the path")
    }
    defer { try? handle.close() }
    var hasher = IncrementalDigest()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(Array(chunk)) }
    return hasher.finish().hex
  }

  private static func importPupil(
    _ p: CTFPupil, header: CTFHeader, number: Int, file: String, fileId: Int64, today: LocalDate, in db: Database,
    matcher: ChildMatcher,
    references: ReferenceCounter, settings: LocalSettings, calendar: SchoolCalendar, audit box: AuditBox,
    summary: inout ImportSummary
  ) throws {
    func bad(_ what: String) -> CTFProblem {
      CTFProblem(file: file, line: 0, message: "pupil \(number) (\(p.forename) \(p.surname)): \(what)")
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
    let canonical = [
      "ctf", header.sourceLA, header.sourceEstab, header.destLA, header.destEstab, p.upn ?? "", p.surname.lowercased(),
      p.forename.lowercased(), dob.description,
    ]
    .joined(separator: "|")
    let rowDigest = Digest.sha256(Array(canonical.utf8)).hex
    if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM importRow WHERE rowDigest = ?"), arguments: [rowDigest])
      != nil
    {
      summary.repeated += 1
      return
    }
    let matches = try matcher.match(upn: upn, forename: p.forename, surname: p.surname, dateOfBirth: dob)
    guard matches.count <= 1 else {
      summary.ambiguous.append(
        "\(file): pupil \(number), \(p.forename) \(p.surname), born \(dob), fits children \(matches.map(String.init).joined(separator: ", ")); not imported"
      )
      return
    }
    let offered = Register.child(from: p, header: header, dateOfBirth: dob, upn: upn, today: today)
    let childId: Int64
    var differences: [String] = []
    if let id = matches.first {
      childId = id
      summary.childrenMatched += 1
      differences = try Register.fillIn(id, from: offered, file: file, pupil: number, in: db, audit: box)
    } else {
      childId = try Register.insert(offered, in: db, auditSeq: box.writer.nextSequence, at: box.writer.at)
      try matcher.added(childId, offered)
      summary.childrenCreated += 1
    }
    let seq = box.writer.nextSequence
    var outcome = "logged"
    var caseId: Int64?
    var reference: String?
    if header.isLostPupil || header.isMovedAbroad {
      let reason: CaseReason = header.isLostPupil ? .whereaboutsUnknown : .believedMovedOutOfCountry
      if let open = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT id, reference FROM cmeCase WHERE childId = ? AND status = 'open'"),
        arguments: [childId])
      {
        outcome = "open-case-exists"
        caseId = open["id"]
        reference = open["reference"]
      } else {
        let lastDay = p.lastSchool?.leaving.flatMap { LocalDate(iso: $0) }.map { Swift.min($0, today) }
        let ref = try references.next(year: today.year)
        var c = CMECase(
          reference: ref.description, childId: childId, openedOn: today, referralSource: .schoolReferral,
          reason: reason,
          lastAttended: lastDay, whereaboutsKnown: false)
        let note =
          header.isLostPupil
          ? "CTF to XXX (destination unknown) from \(header.sourceLA)/\(header.sourceEstab)"
          : "CTF to MMM (moved abroad) from \(header.sourceLA)/\(header.sourceEstab)"
        try openImportedCase(
          &c, child: try child(id: childId, in: db), note: note, today: today, settings: settings, calendar: calendar,
          in: db, audit: box.writer,
          auditSeq: seq)
        outcome = "case-opened"
        caseId = c.id
        reference = c.reference
        summary.casesOpened += 1
      }
    } else {
      summary.loggedOnly += 1
    }
    summary.flagsRaised += differences.count
    try db.cachedStatement(
      sql:
        "INSERT INTO importRow (rowDigest, fileId, line, outcome, childId, caseId, flags, auditSeq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    .execute(arguments: [
      rowDigest, fileId, number, outcome, childId, caseId, differences.joined(separator: ImportSummary.flagSeparator),
      seq,
    ])
    try box.writer.append(
      action: .intakeCTF, entity: "child", entityId: String(childId), childId: childId, caseId: caseId,
      reason: "\(file) pupil \(number)",
      after: [
        "outcome": outcome, "from": "\(header.sourceLA)/\(header.sourceEstab)",
        "to": "\(header.destLA)/\(header.destEstab)", "version": header.version, "case": reference ?? "",
      ])
    summary.rows.append(
      .init(line: number, outcome: outcome, child: childId, caseReference: reference, flags: differences))
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

  /// Fills the gaps in a matched child's record from a transfer file, with an
  /// audit entry of its own, and returns the differences left for a caseworker.
  fileprivate static func fillIn(
    _ id: Int64, from offered: Child, file: String, pupil: Int, in db: Database, audit box: AuditBox
  ) throws -> [String] {
    let before = try Register.child(id: id, in: db)
    var enrichment = ChildEnrichment(existing: before, offered: offered)
    if enrichment.filled.contains("upn"), let upn = enrichment.child.upn,
      let other = try holder(of: upn, otherThan: id, in: db)
    {
      enrichment.child.upn = nil
      enrichment.filled.removeAll { $0 == "upn" }
      enrichment.differences.append(
        "upn: the file gives \(upn), which the register holds for child \(other); not filled in")
    }
    if enrichment.child != before {
      try rewrite(enrichment.child, id: id, in: db, auditSeq: box.writer.nextSequence)
      try box.writer.append(
        action: .childUpdate, entity: "child", entityId: String(id), childId: id,
        reason: "filled in from \(file) pupil \(pupil): \(enrichment.filled.joined(separator: ", "))", before: before,
        after: enrichment.child)
    }
    return enrichment.differences
  }
}
