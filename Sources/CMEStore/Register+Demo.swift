import CMEDomain
import Foundation
import GRDB

/// What `cme demo` made.
public struct DemoSummary: Sendable, Codable {
  /// Children made.
  public var children: Int
  /// Cases made, open and closed.
  public var cases: Int
  /// Cases still open.
  public var openCases: Int
  /// Open cases already checked in the cycle under way.
  public var checkedInCycle: Int
  /// The demo users besides the admin.
  public var users: [String]
}

extension Register {
  /// The users of a demo register besides the one running the demo.
  public static let demoCaseworkers = ["a.khan", "b.okafor", "c.murphy", "d.nowak", "e.smith"]

  /// Creates a register filled with synthetic data at `path`.
  ///
  /// An earlier demo register at the same path is replaced; a real register
  /// is never touched. The person running the demo (`manager`) becomes a
  /// manager of it, so commands work straight away. All the data is written
  /// in one transaction under one audit entry, `demo.generate`, which
  /// records the seed and the size.
  ///
  /// The new register is built in a hidden file beside `path` and renamed
  /// over it only once complete, so a failure or a kill at any moment
  /// leaves the earlier demo (or no file) exactly as it was.
  public static func createDemo(
    at path: String, children: Int, seed: UInt64, asOf: LocalDate, manager: String, via channel: Channel,
    clock: @escaping @Sendable () -> Date = { Date() }, progress: WorkProgress = .silent
  ) throws -> (Register, DemoSummary) {
    let manager = try User.validName(manager, field: "user")
    if ServingLock.isHeld(for: path) {
      throw StoreError.conflict("the web server is serving \(path); stop it before making a new demo there")
    }
    if FileManager.default.fileExists(atPath: path) {
      let existing = try Register(path: path, clock: clock)
      let kind = try existing.meta("kind")
      guard try kind == "demo" || existing.isEmpty() else {
        throw StoreError.conflict(
          "\(path) holds a real register; the demo never overwrites one; choose another file for the demo")
      }
      // A register made to say it is a demo, outside cme, is still not one.
      if kind == "demo",
        try existing.read({ db in
          try RowRecords.isAsRecorded(RowRecords.byName["meta"]!, key: "kind".databaseValue, in: db)
        })
          == false
      {
        throw StoreError.conflict(
          "\(path) says it is a demo, but its log did not record that: it was changed outside cme, and the demo never overwrites it; verify its audit log"
        )
      }
    }
    let folder = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    let building = (folder.isEmpty ? "" : folder + "/") + ".\(name).demo-\(UUID().uuidString.prefix(8))"
    removeDemoLeftovers(of: path)
    defer {
      for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: building + suffix) }
    }
    let summary: DemoSummary
    do {
      // The register is closed at the end of this scope, its log folded
      // into the file, before the file is renamed into place.
      var register = try Register(path: building, clock: clock)
      register.progress = progress
      let admin = manager == "cme-admin" ? "cme-admin-1" : "cme-admin"
      _ = try register.initialize(
        admin: admin, channel: channel, kind: "demo", authority: "Demo County Council (synthetic data)")
      summary = try register.fillDemo(
        DemoRegister(children: children, seed: seed, asOf: asOf, caseworkers: demoCaseworkers, manager: manager),
        admin: try register.session(for: admin, channel: channel))
      try register.setting(pragma: "PRAGMA wal_checkpoint(TRUNCATE)")
    }
    for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    guard rename(building, path) == 0 else {
      throw StoreError.conflict(
        "the demo register could not be put in place at \(path): \(String(cString: strerror(errno)))")
    }
    return (try Register(path: path, clock: clock), summary)
  }

  /// Removes the hidden files an interrupted demo may have left beside `path`.
  static func removeDemoLeftovers(of path: String) {
    let folder = (path as NSString).deletingLastPathComponent
    let prefix = ".\((path as NSString).lastPathComponent).demo-"
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
    for entry in entries where entry.hasPrefix(prefix) {
      try? FileManager.default.removeItem(atPath: (folder.isEmpty ? "" : folder + "/") + entry)
    }
  }

  func fillDemo(_ demo: DemoRegister, admin: Session) throws -> DemoSummary {
    try useBulkPageCache()
    // The demo writes a whole new register in one transaction. In WAL mode
    // every page would go to the log first, and once the log holds gigabytes
    // each page read searches it; a rollback journal writes the pages in
    // place and journals only the few that existed before. A kill still
    // rolls back (the journal is "hot" on the next open). The file is put
    // back in WAL mode afterwards, and every open sets WAL anyway.
    try setting(pragma: "PRAGMA journal_mode = DELETE")
    defer { try? setting(pragma: "PRAGMA journal_mode = WAL") }
    return try write(as: admin, needs: .manageUsers, recordingRowsInBulk: true) { db, audit in
      // Bulk load: the explicit secondary indexes are dropped and rebuilt from
      // their own SQL at the end, in the same transaction (a sorted build is
      // several times faster than maintaining them row by row).
      let indexes = try Row.fetchAll(
        db,
        sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name <> 'auditEntry'"
      ).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
      for index in indexes { try db.execute(sql: "DROP INDEX \(index.name)") }
      // The name index and each case's kept casework likewise: their triggers
      // are dropped, and each is filled in one statement at the end (row by
      // row the name index doubled the demo's time).
      let nameTriggers = try Row.fetchAll(
        db,
        sql:
          "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND (name LIKE '%nameIndex%' OR name LIKE '%caseWork%')"
      ).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
      for trigger in nameTriggers { try db.execute(sql: "DROP TRIGGER \(trigger.name)") }
      let seq = audit.nextSequence
      let at = audit.at
      var userIds: [String: Int64] = [:]
      var names =
        [(demo.manager, Role.manager), ("s.director", .board)] + demo.caseworkers.map { ($0, Role.caseworker) }
      names = names.filter { $0.0 != admin.name }
      for (name, role) in names where userIds[name] == nil {
        userIds[name] = try UserRow.insert(name: name, role: role, at: at, auditSeq: seq, in: db).id
      }
      func stamp(_ day: LocalDate, _ minute: Int) -> String {
        "\(day)T\(pad(9 + minute / 60 % 8, 2)):\(pad(minute % 60, 2)):00.000Z"
      }
      let managerId = userIds[demo.manager]!
      let cycleId = try RegisterCycleTable.start(
        by: managerId, on: demo.cycleStart, at: stamp(demo.cycleStart, 0), auditSeq: seq, in: db)

      var numberByYear: [Int: Int] = [:]
      var summary = DemoSummary(children: 0, cases: 0, openCases: 0, checkedInCycle: 0, users: names.map(\.0))
      var minute = 0
      for entry in demo {
        if summary.children % 1000 == 0 { progress.report("Writing children", summary.children, of: demo.children) }
        let childId = try ChildTable.insert(
          entry.child, createdAt: stamp(entry.cases[0].record.openedOn, 0), auditSeq: seq, in: db)
        summary.children += 1
        for var dc in entry.cases {
          minute += 7
          let c = dc.record
          let year = c.openedOn.year
          numberByYear[year, default: 0] += 1
          dc.record.reference = CaseReference(year: year, number: numberByYear[year]!).description
          let leadId = userIds[c.leadCaseworker ?? ""]
          let caseId = try CaseTable.insert(dc.record, childId: childId, leadId: leadId, auditSeq: seq, in: db)
          summary.cases += 1
          try CaseStatusTable.insert(
            caseId: caseId, kind: .opened, effectiveOn: c.openedOn, byUserId: leadId, at: stamp(c.openedOn, minute),
            auditSeq: seq, in: db)
          for v in dc.visits {
            _ = try VisitTable.insert(
              v, caseId: caseId, byUserId: leadId, at: "\(v.date)T\(v.time ?? "09:00"):00.000Z", auditSeq: seq, in: db)
          }
          for e in dc.enquiries {
            try EnquiryTable.record(
              caseId: caseId, item: e.item, doneOn: e.on, result: e.on == nil ? nil : e.text,
              reason: e.on == nil ? e.text : nil, byUserId: leadId, at: stamp(e.on ?? c.openedOn, minute + 3),
              auditSeq: seq, isNew: true, in: db)
          }
          for (a, history) in dc.actions {
            let actionId = try ActionTable.insert(
              caseId: caseId, agency: a.agency, description: a.description, dueOn: a.dueOn, owner: a.owner,
              state: a.state, note: a.note, raisedById: leadId, raisedOn: a.raisedOn, auditSeq: seq, in: db)
            for h in history {
              try ActionTable.insertEvent(
                actionId: actionId, state: h.state, note: h.note, byUserId: leadId, at: stamp(h.on, minute + 4),
                auditSeq: seq, in: db)
            }
          }
          if let referred = dc.fairAccessReferred {
            try MilestoneTable.set(
              .fairAccessReferred, on: referred, caseId: caseId, byUserId: leadId, at: stamp(referred, minute),
              auditSeq: seq, in: db)
          }
          if let closedOn = c.closedOn {
            let change = try CaseStatusTable.insert(
              caseId: caseId, kind: .closed, effectiveOn: closedOn, outcome: c.outcome, note: c.outcomeEvidence,
              byUserId: leadId, at: stamp(closedOn, minute), auditSeq: seq, in: db)
            if let e = dc.closureEvidence {
              try CaseStatusTable.insertEvidence(e, statusChangeId: change, auditSeq: seq, in: db)
            }
          } else {
            summary.openCases += 1
          }
          for r in dc.ratings {
            try RAGRatingTable.insert(
              caseId: caseId, rating: r.rating, suggested: r.suggestion.rating,
              reasons: r.suggestion.reasons.map(\.description), rationale: r.rationale, byUserId: userIds[r.by],
              at: stamp(r.on, minute + 1), auditSeq: seq, in: db)
          }
          if let check = dc.currentCheck {
            let day = demo.cycleStart.adding(days: 1 + minute % 8)
            try RegisterCheckRow(
              cycleId: cycleId, caseId: caseId, checkedById: managerId, checkedAt: stamp(day, minute + 2),
              ragBefore: c.rag, ragAfter: c.rag ?? .amber, satisfactoryExplanation: check.satisfactory,
              outcome: check.outcome, note: check.note, auditSeq: seq
            ).insert(db)
            summary.checkedInCycle += 1
          }
        }
      }
      progress.report("Writing children", summary.children, of: demo.children)
      progress.report("Building the indexes")
      for index in indexes { try db.execute(sql: index.sql) }
      try db.execute(sql: "DELETE FROM childNameIndex")
      try db.execute(sql: Schema.nameIndexFill)
      try db.execute(sql: "DELETE FROM caseWork")
      try db.execute(sql: Schema.caseWorkFill)
      for trigger in nameTriggers { try db.execute(sql: trigger.sql) }
      try BaselineTable.replace(with: demo.populationBaseline.counts, auditSeq: seq, in: db)
      // Its rows are recorded for the log in one pass, not row by row.
      progress.report("Recording every row in the log")
      let rows = try RowRecords.recordAll(entry: seq, writtenBy: seq, in: db)
      try audit.append(
        action: .demoGenerate, entity: "register", entityId: "*",
        reason: "synthetic demonstration data",
        after: [
          "children": String(demo.children), "seed": String(demo.seed), "asOf": demo.asOf.description,
          "manager": demo.manager,
        ], rowsDigest: rows)
      return summary
    }
  }
}
