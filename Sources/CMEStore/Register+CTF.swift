import CMEAudit
import CMEDomain
import Foundation
import GRDB

extension Register {
  /// Imports a Common Transfer File, pupil by pupil as the file is streamed.
  ///
  /// Reading, checking and mapping each pupil to a child is the domain's
  /// (``CTFFile``); here each is matched and written. A CTF addressed to
  /// `XXX`/`XXXX` (destination unknown) opens a whereabouts-unknown case; one
  /// addressed to `MMM`/`MMMM` (moved abroad or out of the maintained sector)
  /// opens a believed-moved-abroad case; one to a school is logged. Children
  /// are matched as for school returns, or created from the file; a matched
  /// child's record is filled in. One transaction: malformed XML, an
  /// unsupported version or a bad value anywhere imports nothing. With
  /// `dryRun` nothing is kept.
  public func importCTF(path: String, dryRun: Bool = false, by session: Session, today: LocalDate) throws
    -> ImportSummary
  {
    try CTFFile.check(path: path)
    guard let stream = InputStream(fileAtPath: path), FileManager.default.isReadableFile(atPath: path) else {
      throw InvalidInput(
        field: "FILE", problem: "cannot read \(path)", fix: "Check the path and that the file is readable")
    }
    return try runImport(
      .ctf, file: path, digest: try Register.fileDigest(path), rows: nil, dryRun: dryRun, by: session, today: today
    ) { run in
      try CTFFile.read(stream: stream, file: path, today: today) { pupil in
        run.summary.rowsRead += 1
        try Register.importPupil(pupil, run: run)
      }
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

  private static func importPupil(_ p: TransferredPupil, run: ImportRun) throws {
    let rowDigest = Digest.sha256(Array(p.canonical.utf8)).hex
    if try run.importedBefore(rowDigest, line: p.number) { return }
    let offered = p.child
    let childId: Int64
    var created: Child?
    var differences: [String] = []
    switch try run.match(
      line: p.number, upn: offered.upn, forename: offered.legalForename, surname: offered.legalSurname,
      dateOfBirth: offered.dateOfBirth)
    {
    case .ambiguous: return
    case .child(let id):
      childId = id
      differences = try fillIn(id, from: offered, pupil: p.number, run: run)
    case .noChild:
      childId = try run.create(offered)
      created = offered
    }
    var outcome = ImportOutcome.logged
    var linked: ImportedCase?
    if let reason = p.caseReason {
      (outcome, linked) = try run.openCase(
        for: childId, child: created, reason: reason, source: .schoolReferral, openedOn: run.today,
        lastAttended: p.lastAttended, note: p.caseNote)
    }
    let header = p.header
    try run.record(
      rowDigest, line: p.number, outcome: outcome, child: childId, case: linked, flags: differences,
      action: .intakeCTF,
      details: [
        "from": "\(header.sourceLA)/\(header.sourceEstab)", "to": "\(header.destLA)/\(header.destEstab)",
        "version": header.version,
      ])
  }

  /// Fills the gaps in a matched child's record from a transfer file, with an
  /// audit entry of its own, and returns the differences left for a caseworker.
  private static func fillIn(_ id: Int64, from offered: Child, pupil: Int, run: ImportRun) throws -> [String] {
    let before = try Register.child(id: id, in: run.db)
    var enrichment = ChildEnrichment(existing: before, offered: offered)
    if enrichment.filled.contains("upn"), let upn = enrichment.child.upn,
      let other = try holder(of: upn, otherThan: id, in: run.db)
    {
      enrichment.child.upn = nil
      enrichment.filled.removeAll { $0 == "upn" }
      enrichment.differences.append(
        "upn: the file gives \(upn), which the register holds for child \(other); not filled in")
    }
    if enrichment.child != before {
      try ChildTable.rewrite(enrichment.child, id: id, auditSeq: run.audit.nextSequence, in: run.db)
      try run.audit.append(
        action: .childUpdate, entity: "child", entityId: String(id), childId: id,
        reason: "filled in from \(run.place(pupil)): \(enrichment.filled.joined(separator: ", "))", before: before,
        after: enrichment.child)
    }
    return enrichment.differences
  }
}
