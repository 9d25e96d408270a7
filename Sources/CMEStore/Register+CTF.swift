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
  public func importCTF(path: String, by actor: String, today: LocalDate) throws -> ImportSummary {
    guard let stream = InputStream(fileAtPath: path), FileManager.default.isReadableFile(atPath: path) else {
      throw InvalidInput(
        field: "FILE", problem: "cannot read \(path)", fix: "Check the path and that the file is readable")
    }
    let digest = try Register.fileDigest(path)
    try useBulkPageCache()
    return try write(as: actor, needs: .writeCases) { db, audit in
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
        action: "intake.file", entity: "importFile", entityId: String(fileId), reason: path,
        after: ["digest": digest, "kind": "ctf"])
      let box = AuditBox(audit)
      let matcher = ChildMatcher(db: db)
      let references = ReferenceCounter(db: db)
      let calendar = try Register.calendar(in: db).calendar
      let settings = try Register.settings(in: db)
      try CTFFile.read(stream: stream, file: path, today: today) { pupil in
        summary.rowsRead += 1
        try Register.importPupil(
          pupil, file: path, fileId: fileId, today: today, in: db, matcher: matcher, references: references,
          settings: settings, calendar: calendar, audit: box, summary: &summary)
      }
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
    _ p: TransferredPupil, file: String, fileId: Int64, today: LocalDate, in db: Database, matcher: ChildMatcher,
    references: ReferenceCounter, settings: LocalSettings, calendar: SchoolCalendar, audit box: AuditBox,
    summary: inout ImportSummary
  ) throws {
    let header = p.header
    let number = p.number
    let rowDigest = Digest.sha256(Array(p.canonical.utf8)).hex
    if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM importRow WHERE rowDigest = ?"), arguments: [rowDigest])
      != nil
    {
      summary.repeated += 1
      return
    }
    let offered = p.child
    let matches = try matcher.match(
      upn: offered.upn, forename: offered.legalForename, surname: offered.legalSurname,
      dateOfBirth: offered.dateOfBirth)
    guard matches.count <= 1 else {
      summary.ambiguous.append(
        "\(file): pupil \(number), \(offered.legalForename) \(offered.legalSurname), born \(offered.dateOfBirth), fits children \(matches.map(String.init).joined(separator: ", ")); not imported"
      )
      return
    }
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
    if let reason = p.caseReason {
      if let open = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT id, reference FROM cmeCase WHERE childId = ? AND status = 'open'"),
        arguments: [childId])
      {
        outcome = "open-case-exists"
        caseId = open["id"]
        reference = open["reference"]
      } else {
        let ref = try references.next(year: today.year)
        var c = CMECase(
          reference: ref.description, childId: childId, openedOn: today, referralSource: .schoolReferral,
          reason: reason,
          lastAttended: p.lastAttended, whereaboutsKnown: false)
        try openImportedCase(
          &c, child: try child(id: childId, in: db), note: p.caseNote, today: today, settings: settings,
          calendar: calendar,
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
      action: "intake.ctf", entity: "child", entityId: String(childId), childId: childId, caseId: caseId,
      reason: "\(file) pupil \(number)",
      after: [
        "outcome": outcome, "from": "\(header.sourceLA)/\(header.sourceEstab)",
        "to": "\(header.destLA)/\(header.destEstab)", "version": header.version, "case": reference ?? "",
      ])
    summary.rows.append(
      .init(line: number, outcome: outcome, child: childId, caseReference: reference, flags: differences))
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
        action: "child.update", entity: "child", entityId: String(id), childId: id,
        reason: "filled in from \(file) pupil \(pupil): \(enrichment.filled.joined(separator: ", "))", before: before,
        after: enrichment.child)
    }
    return enrichment.differences
  }
}
