import CMEAudit
import CMEDomain
import Foundation
import GRDB
import GRDBSQLite

/// The result of checking the audit log.
public struct AuditVerification: Sendable, Codable {
  /// Entries whose chain was checked before any problem.
  public var entriesChecked: Int
  /// The last entry's sequence number.
  public var headSequence: Int64
  /// The last entry's hash, hex.
  public var headHash: String
  /// Entries whose payload was redacted.
  public var redacted: Int
  /// The first problem found, naming the entry; nil when the log is intact.
  public var problem: String?
  /// The sequence number of the first bad entry, when there is one.
  public var badSequence: Int64?
  /// Signed checkpoints checked and found to hold.
  public var checkpointsChecked = 0
  /// Whether the log records rows (false only for a register made before it
  /// did, until its first change).
  public var rowsRecorded = false
  /// Rows of the register compared with the log's records of them.
  public var rowsChecked = 0
  /// Every problem found once the chain verified (values the schema forbids,
  /// missing triggers, broken references, rows that disagree with the log),
  /// the first 20 in words; the first is also ``problem``.
  public var problems: [String] = []
  /// How many problems were found in all.
  public var problemCount = 0

  /// True when no problem was found.
  public var isIntact: Bool { problem == nil }
}

extension Register {
  /// Tables whose rows name, in `auditSeq`, the entry that last changed them.
  /// The triggers `schema.sql` makes, which `verify` requires.
  static let requiredTriggers = [
    "auditEntry_noUpdate", "auditEntry_noDelete", "auditRow_noUpdate", "auditRow_noDelete", "cmeCase_datesOnInsert",
    "cmeCase_datesOnUpdate",
  ]

  /// The schema version that added the register check's tally.
  static let tallySchemaVersion = 26

  /// The triggers that keep each register-check cycle's tally of its progress.
  static let tallyTriggers = [
    "registerCycle_tallyStart", "registerCheck_tallyFirst", "registerCheck_tallyAgain", "cmeCase_tallyInsert",
    "cmeCase_tallyStatus", "cmeCase_tallyDelete", "registerCheck_tallyChange", "registerCheck_tallyDelete",
    "registerCycle_tallyChange", "registerCycle_tallyReopen", "registerCycle_tallyDelete",
  ]

  /// The schema version that added each case's kept casework, `caseWork`.
  static let caseWorkSchemaVersion = 27

  /// The triggers that keep `caseWork`: for each table of casework, a row
  /// added, changed or removed.
  static let caseWorkTriggers = ["visit", "caseAction", "enquiry", "illnessSpell", "caseMilestone"].flatMap { table in
    ["Insert", "Update", "Delete"].map { "\(table)_caseWork\($0)" }
  }

  /// Entries read, and their digests computed, at a time by `verify`.
  static let verifyBatch = 4096

  /// A batch's digests, computed on other threads while the caller goes on.
  final class DigestsInFlight: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var digests: BatchDigests?

    init(_ batch: EntryBatch) {
      DispatchQueue.global().async {
        self.digests = batch.digests()
        self.done.signal()
      }
    }

    func wait() -> BatchDigests {
      done.wait()
      return digests!
    }
  }

  /// Every one of them (a test checks the list against `schema.sql`).
  package static let auditedTables = RowRecords.tables.filter(\.hasAuditSeq).map(\.name)

  /// Recomputes the chain and checks that no record names a missing entry.
  ///
  /// With signed checkpoints, also checks each one's signature (by the
  /// register's own key), that it is of this register, that the entry it
  /// names is still in the log with the same hash, and that the log is not
  /// shorter than the newest of them (an older copy of the file).
  ///
  /// With `chainOnly`, the chain alone: every entry's hash, redactions,
  /// actors and the log's tail, not SQLite's check of the file, the
  /// references between tables or the rows (a quick check, for often).
  public func verifyAudit(by session: Session, checkpoints: [AuditCheckpoint] = [], chainOnly: Bool = false) throws
    -> AuditVerification
  {
    return try read(as: session, needs: .verifyAuditLog) { db in
      var result = try Register.verifyLog(in: db, chainOnly: chainOnly, progress: progress)
      if result.problem == nil, let problem = try Register.checkCheckpoints(checkpoints, against: result, in: db) {
        result.problem = problem.text
        result.badSequence = problem.sequence
      }
      result.checkpointsChecked = result.problem == nil ? checkpoints.count : 0
      return result
    }
  }

  /// Recomputes the chain of the log in `db` and checks that no record names
  /// a missing entry. With `chainOnly`, the chain alone (every entry's hash,
  /// redactions, actors, the log's append-only triggers and its tail), without
  /// SQLite's check of the file, the references between tables or the rows.
  static func verifyLog(in db: Database, chainOnly: Bool = false, progress: WorkProgress = .silent) throws
    -> AuditVerification
  {
    var result = AuditVerification(entriesChecked: 0, headSequence: 0, headHash: Digest.zero.hex, redacted: 0)
    // The file itself first: SQLite's own check. Damaged pages stop here; a
    // value the schema forbids (written with its checks switched off) is one
    // more problem, and the rest is still checked.
    if !chainOnly { progress.report("Checking the file (SQLite's quick_check)") }
    let quick = chainOnly ? ["ok"] : try String.fetchAll(db, sql: "PRAGMA quick_check")
    let forbidden = quick.filter { $0.contains("constraint failed") || $0.hasPrefix("NULL value in") }
    if quick != ["ok"] && forbidden.count != quick.count {
      result.problem = "SQLite finds it damaged (" + quick.prefix(3).joined(separator: "; ") + ")"
      return result
    }
    let users = Set(try String.fetchAll(db, sql: "SELECT name FROM user"))
    // The entries approved redactions and disposals say they removed the
    // payloads of, gathered as the log is read: a redaction comes after the
    // entry it covers, so each redacted entry is checked once all are read.
    var covered = Set<Int64>()
    // Each redacted entry, and whether the entries before it recorded rows.
    var redactedEntries: [(seq: Int64, rowsRecordedBefore: Bool)] = []
    let redacting = Register.redactingActions.map { (action: $0, bytes: Array($0.rawValue.utf8)) }
    var verifier = ChainVerifier()
    // Actors who are not users: each named once, with their first entry.
    var strangers: [String: Int64] = [:]
    var strangerOrder: [String] = []
    // Read through SQLite's own interface, in place: this is every entry of the log.
    let statement = try db.makeStatement(
      sql: """
        SELECT seq, redacted, actor, action, at, entity, entityId, childId, caseId, reason, before, after,
          payloadDigest, hash, channel, rowsDigest
        FROM auditEntry ORDER BY seq
        """)
    let s = statement.sqliteStatement
    defer { sqlite3_reset(s) }
    func text(_ i: Int32) -> UnsafeBufferPointer<UInt8>? {
      guard sqlite3_column_type(s, i) != SQLITE_NULL, let p = sqlite3_column_text(s, i) else { return nil }
      return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s, i)))
    }
    func column(_ c: EntryBatch.Column) -> UnsafeBufferPointer<UInt8>? {
      switch c {
      case .actor: text(2)
      case .action: text(3)
      case .at: text(4)
      case .entity: text(5)
      case .entityId: text(6)
      case .childId: text(7)
      case .caseId: text(8)
      case .reason: text(9)
      case .before: text(10)
      case .after: text(11)
      case .payloadDigest: text(12)
      case .hash: text(13)
      case .channel: text(14)
      case .rowsDigest: text(15)
      }
    }
    // Each entry's row records, read alongside in the same order.
    let records =
      chainOnly
      ? nil
      : try Row.fetchCursor(
        db, sql: "SELECT seq, tbl, k1, k2, op, digest FROM auditRow ORDER BY seq, tbl, k1, k2")
    var pendingRecord = try records?.next().map { (seq: $0[0] as Int64, record: try RowRecords.record(from: $0)) }
    // Entries are read in batches whose own digests are computed on every
    // core; the links between them, and everything else, in order.
    typealias Actors = [(actor: String, signInAttempt: Bool)]
    var more = true
    /// Reads the next entries into `batch`.
    func fill(_ batch: inout EntryBatch, _ actors: inout Actors) throws {
      batch.removeAll()
      actors.removeAll(keepingCapacity: true)
      while more && batch.count < Register.verifyBatch {
        let step = sqlite3_step(s)
        guard step == SQLITE_ROW else {
          guard step == SQLITE_DONE else {
            throw StoreError.database(String(cString: sqlite3_errmsg(sqlite3_db_handle(s))))
          }
          more = false
          break
        }
        batch.append(sequence: sqlite3_column_int64(s, 0), redacted: sqlite3_column_int64(s, 1) != 0, column: column)
        if let action = text(3), let redaction = redacting.first(where: { action.elementsEqual($0.bytes) }),
          let after = text(11)
        {
          // As the chain hashes it and the log's text is read elsewhere: up to its first NUL.
          let json = after.prefix { $0 != 0 }
          covered.formUnion(
            Register.entriesRedacted(by: redaction.action, after: String(decoding: json, as: UTF8.self)))
        }
        let actor = text(2).map { String(decoding: $0, as: UTF8.self) } ?? ""
        // A failed sign-in has no user; nor has the first record of an older
        // register's rows when a failed sign-in is its first change.
        let action = actor == "(sign-in)" ? text(3).map { String(decoding: $0, as: UTF8.self) } ?? "" : ""
        actors.append((actor, action.hasPrefix("signin.") || action == AuditAction.rowsRecorded.rawValue))
      }
    }
    // A pipeline: while one batch's digests are computed (on every core),
    // the next is read; then the batch is checked in order.
    var batch = EntryBatch()
    var actors: Actors = []
    var next = EntryBatch()
    var nextActors: Actors = []
    /// The first redacted entry read so far that no approved redaction
    /// covers, as the problem found. Until every entry is read (`readAll`),
    /// a problem stopped the reading, and the redactions are read from the
    /// whole log.
    func uncoveredRedaction(readAll: Bool) throws -> AuditVerification? {
      guard !redactedEntries.isEmpty else { return nil }
      let approved = readAll ? covered : try Register.redactionsCovering(in: db)
      guard let (seq, rowsRecordedBefore) = redactedEntries.first(where: { !approved.contains($0.seq) }) else {
        return nil
      }
      var problem = result
      // Every entry before it checked out.
      problem.entriesChecked = Int(seq) - 1
      problem.rowsRecorded = rowsRecordedBefore
      problem.problem =
        "entry \(seq): its payload was removed, but no approved redaction (audit.redact) covers it; the removal was made outside cme"
      problem.badSequence = seq
      return problem
    }
    let entries = Int(try Int64.fetchOne(db, sql: "SELECT max(seq) FROM auditEntry") ?? 0)
    try fill(&batch, &actors)
    // An error reading further on (a damaged page, a row record that cannot
    // be read) does not hide a bare redaction already read.
    do {
      while !batch.isEmpty {
        progress.report("Checking the chain of the log", verifier.count, of: entries)
        let hashing = DigestsInFlight(batch)
        try fill(&next, &nextActors)
        let digests = hashing.wait()
        defer {
          swap(&batch, &next)
          swap(&actors, &nextActors)
        }
        for i in 0..<batch.count {
          let seq = batch.sequence(i)
          if let problem = verifier.check(batch, entry: i, digests: digests) {
            result.entriesChecked = verifier.count
            result.problem = problem.description
            result.badSequence = problem.sequence
            return try uncoveredRedaction(readAll: false) ?? result
          }
          if batch.isRedacted(i) { redactedEntries.append((seq, result.rowsRecorded)) }
          let (actor, signInAttempt) = actors[i]
          if !users.contains(actor) && !signInAttempt && strangers[actor] == nil {
            strangers[actor] = seq
            strangerOrder.append(actor)
          }
          let storedRows = batch.rowsDigest(i, digests: digests)
          if storedRows != nil { result.rowsRecorded = true }
          guard let records else { continue }
          var rows = RowRecordsDigest()
          var recordCount = 0
          while let p = pendingRecord, p.seq <= seq {
            if p.seq < seq {
              result.problem = "entry \(p.seq): row records name it, but it is not in the log; they were forged"
              result.badSequence = p.seq
              return try uncoveredRedaction(readAll: false) ?? result
            }
            rows.add(p.record)
            recordCount += 1
            pendingRecord = try records.next().map { (seq: $0[0] as Int64, record: try RowRecords.record(from: $0)) }
          }
          let rowsProblem: String? =
            if let storedRows {
              rows.finish() == storedRows
                ? nil
                : "entry \(seq): the records of the rows it changed were altered (added, removed or edited) after it was written"
            } else if recordCount > 0 || result.rowsRecorded {
              "entry \(seq): it records no rows, though \(recordCount > 0 ? "row records name it" : "the entries before it do"); it was written outside cme"
            } else { nil }
          if let rowsProblem {
            result.entriesChecked = verifier.count - 1
            result.problem = rowsProblem
            result.badSequence = seq
            return try uncoveredRedaction(readAll: false) ?? result
          }
        }
      }
    } catch {
      if let problem = try uncoveredRedaction(readAll: false) { return problem }
      throw error
    }
    progress.report("Checking the chain of the log", verifier.count, of: entries)
    if let problem = try uncoveredRedaction(readAll: true) { return problem }
    if let p = pendingRecord {
      result.entriesChecked = verifier.count
      result.problem =
        "entry \(p.seq): missing — row records name it, but the log ends at entry \(verifier.lastSequence); entries were cut from the end"
      result.badSequence = verifier.lastSequence + 1
      return result
    }
    result.entriesChecked = verifier.count
    result.headSequence = verifier.lastSequence
    result.headHash = verifier.previousHash.hex
    result.redacted = verifier.redactedCount
    // A cut tail leaves a valid chain; the records still name the lost entries.
    for table in Register.auditedTables {
      if let r = try Row.fetchOne(
        db, sql: "SELECT rowid AS id, auditSeq FROM \(table) WHERE auditSeq > ? ORDER BY auditSeq DESC LIMIT 1",
        arguments: [verifier.lastSequence])
      {
        let seq: Int64 = r["auditSeq"]
        result.problem =
          "entry \(seq): missing — \(table) row \(r["id"] as Int64) was last changed by entry \(seq), but the log ends at entry \(verifier.lastSequence); entries were cut from the end"
        result.badSequence = verifier.lastSequence + 1
        return result
      }
    }
    // With the chain whole, everything else, each problem named.
    var found: [String] = []
    var count = 0
    func report(_ text: String) {
      count += 1
      if found.count < 20 { found.append(text) }
    }
    for actor in strangerOrder {
      report(
        "entry \(strangers[actor]!): its actor '\(actor)' is not a user of this register; the entry was forged, or the user's row was changed outside cme"
      )
    }
    if let first = strangerOrder.first { result.badSequence = strangers[first] }
    for line in forbidden {
      report(
        "it holds a value its schema forbids (\(line)); it was written outside cme with SQLite's checks switched off")
    }
    // The triggers that keep the log append-only.
    let triggers = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    for trigger in Register.requiredTriggers where !triggers.contains(trigger) {
      report(
        "the trigger \(trigger) is missing; it was dropped outside cme, which lets the log or the records be changed unnoticed"
      )
    }
    // The register check's tally came with schema 26: an older copy (a
    // backup checked before it is restored, read as it is) has none yet.
    let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
    let tallied = version >= Register.tallySchemaVersion
    for trigger in Register.tallyTriggers where tallied && !triggers.contains(trigger) {
      report(
        "the trigger \(trigger) is missing; it was dropped outside cme, and the register check's progress is no longer kept"
      )
    }
    // Each case's kept casework likewise came with schema 27.
    let caseWorkKept = version >= Register.caseWorkSchemaVersion
    for trigger in Register.caseWorkTriggers where caseWorkKept && !triggers.contains(trigger) {
      report(
        "the trigger \(trigger) is missing; it was dropped outside cme, and the casework that cases are assessed by is no longer kept"
      )
    }
    // The references between tables.
    for broken in chainOnly ? [] : try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").prefix(5) {
      report(
        "\(broken[0] as String) row \(broken[1] as Int64? ?? 0) refers to a \(broken[2] as String) that is not there; rows were deleted outside cme"
      )
    }
    // The register check's progress, kept by triggers, against a recount.
    if !chainOnly && tallied {
      for text in try Register.tallyProblems(in: db) { report(text) }
    }
    // Each case's casework, kept by triggers, against a count of its rows.
    if !chainOnly && caseWorkKept {
      for text in try Register.caseWorkProblems(in: db) { report(text) }
    }
    // Every row against the log's latest record of it.
    if result.rowsRecorded && !chainOnly {
      let check = try RowRecords.check(in: db, progress: progress)
      result.rowsChecked = check.rowsChecked
      for text in check.problems { report(text) }
      count += check.problemCount - check.problems.count
    }
    result.problems = found
    result.problemCount = count
    result.problem = found.first
    return result
  }
}
