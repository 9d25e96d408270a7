import CMEAudit
import CMEDomain
import Foundation
import GRDB

/// The kinds of file the register imports, as `importFile.kind` names them.
public enum ImportKind: String, Sendable, Codable {
  case deletionReturns = "deletion-returns"
  case newPupils = "new-pupils"
  case ctf

  /// What one record of such a file is called in messages and the log.
  public var rowName: String { self == .ctf ? "pupil" : "line" }
}

/// What became of one row of an imported file: the one list for every kind
/// of file. The first seven are kept in `importRow.outcome`; a row imported
/// before, or one that fits several children, is listed but not kept, so
/// the second can be imported again once the duplicate is resolved.
public enum ImportOutcome: String, Sendable, Codable, CaseIterable {
  /// A case opened for the child.
  case caseOpened = "case-opened"
  /// The child already had an open case; the row is linked to it.
  case openCaseExists = "open-case-exists"
  /// Recorded; nothing more to do.
  case logged
  /// Recorded for the elective home education team (deletion ground F).
  case eheTeam = "ehe-team"
  /// The child's open case is proposed for closure as on roll (new-registration returns).
  case closureProposed = "closure-proposed"
  /// The child is on the register without an open case (new-registration returns).
  case noOpenCase = "no-open-case"
  /// No child on the register fits (new-registration returns).
  case notOnRegister = "not-on-register"
  /// The same row was imported before, from this file or another: nothing new.
  case alreadyImported = "already-imported"
  /// Several children fit: not imported; import the file again once the duplicate is resolved.
  case ambiguous
}

/// What an import did, row by row and in total.
public struct ImportSummary: Sendable, Codable {
  /// One row (or pupil) of the file and what became of it.
  public struct Row: Sendable, Codable {
    /// The row's line in a CSV file, or the pupil's place in a transfer file.
    public var line: Int
    /// What became of it.
    public var outcome: ImportOutcome
    /// The child matched or created.
    public var child: Int64?
    /// The case opened or linked.
    public var caseReference: String?
    /// What a caseworker should look at (possible off-rolling, differences).
    public var flags: [String]
  }

  /// What kind of file.
  public var kind: ImportKind
  /// The file as named.
  public var file: String
  /// The file's SHA-256.
  public var digest: String
  /// True when nothing was kept.
  public var dryRun: Bool
  /// The file itself was imported before: nothing was looked at again.
  public var alreadyImported: Bool
  /// Rows (or pupils) read.
  public var rowsRead = 0
  /// Rows matched to a child on the register.
  public var childrenMatched = 0
  /// Children added from the file.
  public var childrenCreated = 0
  /// Cases opened.
  public var casesOpened = 0
  /// Rows recorded without opening a case.
  public var loggedOnly = 0
  /// Rows for the elective home education team.
  public var eheTeam = 0
  /// Rows imported before (all the rows of a file imported before).
  public var repeated = 0
  /// A warning for each row that fits several children.
  public var ambiguous: [String] = []
  /// Flags raised.
  public var flagsRaised = 0
  /// Every row looked at, in file order, with its outcome.
  public var rows: [Row] = []

  /// How a row's flags are kept in `importRow.flags`: one per line, since a
  /// flag's own text may hold "; ".
  static let flagSeparator = "\n"

  /// A row's flags as `importRow.flags` keeps them.
  static func stored(_ flags: [String]) -> String { flags.joined(separator: flagSeparator) }

  /// A row's flags from `importRow.flags`.
  static func flags(stored text: String) -> [String] {
    text.isEmpty ? [] : text.components(separatedBy: flagSeparator)
  }
}

/// Thrown to roll back a dry run, carrying what it would have done.
struct DryRun: Error { var summary: ImportSummary }

/// A case an imported row opened or found open.
struct ImportedCase {
  var id: Int64
  var reference: String
}

/// One file being imported, inside the import's one transaction: the file's
/// record (`importFile`), the matcher, the case-reference counter and what
/// became of each row. Every kind of file goes through it, so they agree on
/// rows imported before, rows that fit several children, dry runs, and how
/// a row's outcome and flags are kept and logged.
///
/// Each row: ``importedBefore(_:line:)``, then ``match(line:upn:forename:surname:dateOfBirth:)``,
/// then what the row calls for (``create(_:)``, ``openCase(for:child:reason:source:openedOn:ground:lastAttended:note:)``),
/// then ``record(_:line:outcome:child:case:flags:action:details:)``.
final class ImportRun {
  let kind: ImportKind
  let file: String
  let today: LocalDate
  let db: Database
  /// The transaction's audit writer; the run appends every entry through it.
  var audit: AuditWriter
  let settings: LocalSettings
  let calendar: SchoolCalendar
  var summary: ImportSummary
  private let fileId: Int64
  private let rowsKnown: Bool
  private let matcher: ChildMatcher
  private let references: ReferenceCounter
  private let progress: WorkProgress
  /// Rows taken so far, for the progress report.
  private var rowsTaken = 0

  /// Records the file (`importFile`, with its `intake.file` entry). `rows`
  /// is nil when the file is streamed and its rows are counted as they come.
  init(
    _ kind: ImportKind, file: String, digest: String, rows: Int?, dryRun: Bool, today: LocalDate, db: Database,
    audit: AuditWriter, progress: WorkProgress = .silent
  ) throws {
    self.progress = progress
    self.kind = kind
    self.file = file
    self.today = today
    self.db = db
    self.audit = audit
    settings = try Register.settings(in: db)
    calendar = try Register.calendar(in: db).calendar
    matcher = ChildMatcher(db: db)
    references = ReferenceCounter(db: db)
    summary = ImportSummary(kind: kind, file: file, digest: digest, dryRun: dryRun, alreadyImported: false)
    summary.rowsRead = rows ?? 0
    rowsKnown = rows != nil
    try db.cachedStatement(
      sql: "INSERT INTO importFile (kind, name, digest, rows, byUserId, at, auditSeq) VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    .execute(arguments: [kind.rawValue, file, digest, rows ?? 0, audit.actor.id, audit.at, audit.nextSequence])
    fileId = db.lastInsertedRowID
    var after = ["kind": kind.rawValue, "digest": digest]
    if let rows { after["rows"] = String(rows) }
    try self.audit.append(
      action: .intakeFile, entity: "importFile", entityId: String(fileId), reason: file, after: after)
  }

  private var progressStage: String { "Importing \(file)'s \(kind == .ctf ? "pupils" : "rows")" }

  /// A row's place, as messages and the log name it: `returns.csv line 4`, `ctf.xml pupil 2`.
  func place(_ line: Int) -> String { "\(file) \(kind.rowName) \(line)" }

  /// True when a row with this content was imported before, from this file
  /// or another: it is listed as already imported, and nothing more is done.
  func importedBefore(_ rowDigest: String, line: Int) throws -> Bool {
    // Every row comes here first: the place to say how far the import is.
    if rowsKnown ? rowsTaken % 1000 == 0 : rowsTaken == 0 {
      progress.report(progressStage, rowsTaken, of: rowsKnown ? summary.rowsRead : 0)
    }
    rowsTaken += 1
    guard
      try Bool.fetchOne(
        db.cachedStatement(sql: "SELECT 1 FROM importRow WHERE rowDigest = ?"), arguments: [rowDigest]) != nil
    else { return false }
    summary.repeated += 1
    summary.rows.append(.init(line: line, outcome: .alreadyImported, child: nil, caseReference: nil, flags: []))
    return true
  }

  /// Whom a row is about.
  enum Match {
    /// The one child who fits.
    case child(Int64)
    /// No child on the register fits.
    case noChild
    /// Several fit: the row is listed as ambiguous, with a warning naming them, and left out.
    case ambiguous
  }

  /// Matches a row's pupil to the register: by UPN (current or former), then
  /// by date of birth and names as people write them.
  func match(line: Int, upn: UPN?, forename: String, surname: String, dateOfBirth: LocalDate) throws -> Match {
    let matches = try matcher.match(upn: upn, forename: forename, surname: surname, dateOfBirth: dateOfBirth)
    guard matches.count <= 1 else {
      summary.ambiguous.append(
        "\(place(line)): \(forename) \(surname), born \(dateOfBirth), fits children \(matches.map(String.init).joined(separator: ", ")); not imported — resolve the duplicate and import again"
      )
      summary.rows.append(.init(line: line, outcome: .ambiguous, child: nil, caseReference: nil, flags: []))
      return .ambiguous
    }
    guard let id = matches.first else { return .noChild }
    summary.childrenMatched += 1
    return .child(id)
  }

  /// Writes a child a row describes who is not on the register yet.
  func create(_ child: Child) throws -> Int64 {
    let id = try ChildTable.insert(child, createdAt: audit.at, auditSeq: audit.nextSequence, in: db)
    try matcher.added(id, child)
    summary.childrenCreated += 1
    return id
  }

  /// The child's open case, if they have one.
  func openCase(of childId: Int64) throws -> ImportedCase? {
    try CaseTable.openCase(ofChild: childId, in: db).map { ImportedCase(id: $0.id, reference: $0.reference) }
  }

  /// Opens the case a row calls for, with its first rating and its opening
  /// (`note`) in the history; a child who already has an open case is linked
  /// to it instead. `child` is the child's record when the caller holds it.
  func openCase(
    for childId: Int64, child: Child?, reason: CaseReason, source: ReferralSource, openedOn: LocalDate,
    ground: DeletionGround? = nil, deletionDate: LocalDate? = nil, lastAttended: LocalDate?, note: String
  ) throws -> (ImportOutcome, ImportedCase) {
    if let open = try openCase(of: childId) { return (.openCaseExists, open) }
    var c = CMECase(
      reference: try references.next(year: openedOn.year).description, childId: childId, openedOn: openedOn,
      referralSource: source, reason: reason, deletionGround: ground, lastAttended: lastAttended,
      whereaboutsKnown: false, deletionDate: deletionDate)
    let record = try child ?? Register.child(id: childId, in: db)
    try Register.openImportedCase(
      &c, child: record, note: note, today: today, settings: settings, calendar: calendar, in: db, audit: audit,
      auditSeq: audit.nextSequence)
    // A child at risk (a transfer file's "in care", say) is referred as the case opens, with the row's entry.
    _ = try Register.raiseReferrals(for: record, on: c, today: today, in: db, audit: audit)
    return (.caseOpened, ImportedCase(id: c.id!, reference: c.reference))
  }

  /// Records a school's deletion on the child's open case where the case
  /// has none yet: the ground and the deletion date (and the last day of
  /// attendance, if the case lacks it and it fits). Returns what was filled
  /// in, or why nothing was, for the row's entry and flags.
  func fillDeletion(
    _ linked: ImportedCase, ground: DeletionGround, on deletionDate: LocalDate, lastAttended: LocalDate?
  ) throws -> (filled: Bool, flag: String?) {
    let before = try Register.fetchCase(try CaseReference.parse(linked.reference, field: "case"), in: db)
    guard before.deletionGround == nil else { return (false, nil) }
    do {
      var after = try CaseRules.recordingDeletion(
        of: before, ground: DeletionGround.Written(regime: ground.regime, letter: ground.letter), on: deletionDate,
        today: today)
      try CaseTable.setDeletion(
        after.deletionGround!, on: deletionDate, caseId: linked.id, auditSeq: audit.nextSequence, in: db)
      if before.lastAttended == nil, let lastAttended {
        after.lastAttended = lastAttended
        if (try? CaseRules.validateDates(after, today: today)) != nil {
          try CaseTable.setLastAttended(lastAttended, caseId: linked.id, auditSeq: audit.nextSequence, in: db)
        }
      }
      return (true, nil)
    } catch let e as InvalidInput {
      return (false, "the open case \(linked.reference) was not given this deletion: \(e.problem)")
    }
  }

  /// Keeps what became of a row: its `importRow` (so it is not imported
  /// again), its audit entry `action` (the outcome, case and flags beside
  /// `details`), and its place in the summary.
  func record(
    _ rowDigest: String, line: Int, outcome: ImportOutcome, child: Int64?, case linked: ImportedCase?,
    flags: [String], action: AuditAction, details: [String: String]
  ) throws {
    try db.cachedStatement(
      sql:
        "INSERT INTO importRow (rowDigest, fileId, line, outcome, childId, caseId, flags, auditSeq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    .execute(arguments: [
      rowDigest, fileId, line, outcome.rawValue, child, linked?.id, ImportSummary.stored(flags), audit.nextSequence,
    ])
    var after = details.mapValues(AuditValue.text)
    after["outcome"] = .text(outcome.rawValue)
    after["case"] = .text(linked?.reference ?? "")
    after["flags"] = .list(flags)
    try audit.append(
      action: action, entity: "child", entityId: child.map(String.init) ?? "-", childId: child, caseId: linked?.id,
      reason: place(line), after: after)
    switch outcome {
    case .caseOpened: summary.casesOpened += 1
    case .logged: summary.loggedOnly += 1
    case .eheTeam: summary.eheTeam += 1
    default: break
    }
    summary.flagsRaised += flags.count
    summary.rows.append(
      .init(line: line, outcome: outcome, child: child, caseReference: linked?.reference, flags: flags))
  }

  /// Ends the run: the file's row count, if it was streamed; a dry run is rolled back.
  func finish() throws -> ImportSummary {
    if rowsKnown { progress.report(progressStage, rowsTaken, of: summary.rowsRead) }
    if !rowsKnown {
      // A streamed file's count is known at its end: the file's record is
      // changed, and logged, once more.
      try db.cachedStatement(sql: "UPDATE importFile SET rows = ?, auditSeq = ? WHERE id = ?").execute(arguments: [
        summary.rowsRead, audit.nextSequence, fileId,
      ])
      try audit.append(
        action: .intakeFile, entity: "importFile", entityId: String(fileId), reason: file,
        after: ["kind": kind.rawValue, "digest": summary.digest, "rows": String(summary.rowsRead)])
    }
    if summary.dryRun { throw DryRun(summary: summary) }
    return summary
  }
}

extension Register {
  /// Imports one file in one transaction as `actor`: a file imported before
  /// (the same bytes) changes nothing; otherwise `body` takes each row
  /// through the ``ImportRun``. An error anywhere, or a dry run, keeps
  /// nothing. Imports keep a larger page cache.
  func runImport(
    _ kind: ImportKind, file: String, digest: String, rows: Int?, dryRun: Bool, by session: Session, today: LocalDate,
    _ body: (ImportRun) throws -> Void
  ) throws -> ImportSummary {
    try useBulkPageCache()
    do {
      return try write(as: session, needs: .writeCases) { db, audit in
        if let earlier = try Int.fetchOne(
          db.cachedStatement(sql: "SELECT rows FROM importFile WHERE digest = ? ORDER BY id LIMIT 1"),
          arguments: [digest])
        {
          var summary = ImportSummary(kind: kind, file: file, digest: digest, dryRun: dryRun, alreadyImported: true)
          summary.rowsRead = earlier
          summary.repeated = earlier
          return summary
        }
        let run = try ImportRun(
          kind, file: file, digest: digest, rows: rows, dryRun: dryRun, today: today, db: db, audit: audit,
          progress: progress)
        let names = try NewChildrenNameIndex(in: db)
        try body(run)
        try names.fill(in: db)
        audit = run.audit
        return try run.finish()
      }
    } catch let dry as DryRun {
      return dry.summary
    }
  }

  /// The first rating of a case that has just opened: no visits, enquiries or
  /// actions yet, so the suggestion needs only the case, the child and the
  /// clocks (a pure computation, for bulk imports).
  static func firstRating(
    _ c: CMECase, child: Child, today: LocalDate, settings: LocalSettings, calendar: SchoolCalendar
  ) -> RAGSuggestion {
    assessCase(CaseFacts(caseRecord: c, child: child), today: today, calendar: calendar, settings: settings).suggestion
  }

  /// Opens a case that an imported file calls for: the case with its first
  /// rating (suggested, with reasons), and its opening in the status
  /// history. The caller's audit entry `auditSeq` records it.
  static func openImportedCase(
    _ c: inout CMECase, child: Child, note: String, today: LocalDate, settings: LocalSettings, calendar: SchoolCalendar,
    in db: Database,
    audit: AuditWriter, auditSeq seq: Int64
  ) throws {
    let suggestion = firstRating(c, child: child, today: today, settings: settings, calendar: calendar)
    c.status = .open
    c.rag = suggestion.rating
    c.id = try CaseTable.insert(c, childId: c.childId, leadId: nil, auditSeq: seq, in: db)
    try CaseStatusTable.insert(
      caseId: c.id!, kind: .opened, effectiveOn: c.openedOn, note: note, byUserId: audit.actor.id, at: audit.at,
      auditSeq: seq, in: db)
    try insertRating(
      caseId: c.id!, rating: suggestion.rating, suggestion: suggestion,
      rationale: "suggested when the case opened: \(suggestion.summary)",
      in: db, audit: audit)
  }
}

/// The children an import adds are put in the name index together at its
/// end, in one statement, rather than one by one as each is written: the
/// trigger that indexes a new child makes SQLite's trigram index write its
/// pending terms out at every statement (0.9 s against 0.2 s for 20,000
/// names here). The trigger is dropped inside the import's transaction and
/// made again from its own text before the end, so an error, a dry run or a
/// kill leaves it as it was, and no one else can write a child meanwhile
/// (the import holds the write lock). Changes to children already indexed
/// (their names, their former names) are indexed as they happen, by their
/// own triggers; for a child the import added they change nothing, and the
/// fill at the end reads every added child's names as they stand.
struct NewChildrenNameIndex {
  /// The trigger's text, as the schema made it; nil when the register has none.
  private let trigger: String?
  /// Children above this id were added by the import.
  private let after: Int64

  init(in db: Database) throws {
    trigger = try String.fetchOne(
      db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'child_nameIndexInsert'")
    after = try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) FROM child") ?? 0
    if trigger != nil { try db.execute(sql: "DROP TRIGGER child_nameIndexInsert") }
  }

  /// Indexes the children added since, and makes the trigger again.
  func fill(in db: Database) throws {
    guard let trigger else { return }
    try db.execute(sql: "DELETE FROM childNameIndex WHERE rowid > ?", arguments: [after])
    try db.execute(
      sql: "INSERT INTO childNameIndex (rowid, names) SELECT id, names FROM childNameText WHERE id > ?",
      arguments: [after])
    // One statement, as the schema made it.
    try db.makeStatement(sql: trigger).execute()
  }
}
