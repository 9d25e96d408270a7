import CMEAudit
import CMEDomain
import Foundation
import GRDB

/// What an import did, row by row and in total.
public struct ImportSummary: Sendable, Codable {
  public struct Row: Sendable, Codable {
    public var line: Int
    public var outcome: String
    public var child: Int64?
    public var caseReference: String?
    public var flags: [String]
  }

  public var file: String
  public var digest: String
  public var dryRun: Bool
  public var alreadyImported: Bool
  public var rowsRead = 0
  public var childrenMatched = 0
  public var childrenCreated = 0
  public var casesOpened = 0
  public var loggedOnly = 0
  public var eheTeam = 0
  public var repeated = 0
  public var ambiguous: [String] = []
  public var flagsRaised = 0
  public var rows: [Row] = []

  /// How a row's flags are kept in `importRow.flags`: one per line, since a
  /// flag's own text may hold "; ".
  static let flagSeparator = "\n"
}

/// Thrown to roll back a dry run, carrying what it would have done.
struct DryRun: Error { var summary: ImportSummary }

extension Register {
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
    let insertCase = try db.cachedStatement(
      sql: """
        INSERT INTO cmeCase (reference, childId, openedOn, referralSource, reason, groundRegime, ground, lastAttended,
          whereaboutsKnown, status, rag, auditSeq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
        """)
    try insertCase.execute(arguments: [
      c.reference, c.childId, c.openedOn.description, c.referralSource.rawValue, c.reason.rawValue,
      c.deletionGround?.regime.rawValue,
      c.deletionGround?.letter, c.lastAttended?.description, c.whereaboutsKnown, suggestion.rating.rawValue, seq,
    ])
    c.id = db.lastInsertedRowID
    let insertOpened = try db.cachedStatement(
      sql:
        "INSERT INTO caseStatusChange (caseId, kind, effectiveOn, note, byUserId, at, auditSeq) VALUES (?, 'opened', ?, ?, ?, ?, ?)"
    )
    try insertOpened.execute(arguments: [c.id, c.openedOn.description, note, audit.actor.id, audit.at, seq])
    try insertRating(
      caseId: c.id!, rating: suggestion.rating, suggestion: suggestion,
      rationale: "suggested when the case opened: \(suggestion.summary)",
      in: db, audit: audit)
  }

  /// Imports a school new-registration return: where a child on the
  /// register with an open case has started at a school, the case is
  /// proposed for closure as "on roll", with the school and start date as
  /// its evidence; the caseworker confirms with `cme case close`.
  public func importNewPupils(csv data: [UInt8], file: String, by actor: String, today: LocalDate) throws
    -> ImportSummary
  {
    let rows = try NewPupilFile.read(csv: data, file: file, today: today)
    let digest = Digest.sha256(data).hex
    try useBulkPageCache()
    return try write(as: actor, needs: .writeCases) { db, audit in
      var summary = ImportSummary(file: file, digest: digest, dryRun: false, alreadyImported: false)
      summary.rowsRead = rows.count
      if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM importFile WHERE digest = ?"), arguments: [digest])
        != nil
      {
        summary.alreadyImported = true
        summary.repeated = rows.count
        return summary
      }
      try db.cachedStatement(
        sql:
          "INSERT INTO importFile (kind, name, digest, rows, byUserId, at, auditSeq) VALUES ('new-pupils', ?, ?, ?, ?, ?, ?)"
      )
      .execute(arguments: [file, digest, rows.count, audit.actor.id, audit.at, audit.nextSequence])
      let fileId = db.lastInsertedRowID
      try audit.append(
        action: "intake.file", entity: "importFile", entityId: String(fileId), reason: file,
        after: ["digest": digest, "rows": String(rows.count)])
      let matcher = ChildMatcher(db: db)
      for r in rows {
        let rowDigest = Digest.sha256(Array(r.canonical.utf8)).hex
        if try Bool.fetchOne(
          db.cachedStatement(sql: "SELECT 1 FROM importRow WHERE rowDigest = ?"), arguments: [rowDigest]) != nil
        {
          summary.repeated += 1
          continue
        }
        let matches = try matcher.match(
          upn: r.upn, forename: r.forename, surname: r.surname, dateOfBirth: r.dateOfBirth)
        guard matches.count <= 1 else {
          summary.ambiguous.append(
            "\(file):\(r.line): \(r.forename) \(r.surname), born \(r.dateOfBirth), fits children \(matches.map(String.init).joined(separator: ", ")); not imported"
          )
          continue
        }
        let seq = audit.nextSequence
        var outcome = "not-on-register"
        var caseId: Int64?
        var reference: String?
        if let childId = matches.first {
          summary.childrenMatched += 1
          if let open = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, reference FROM cmeCase WHERE childId = ? AND status = 'open'"),
            arguments: [childId])
          {
            caseId = open["id"]
            reference = open["reference"]
            outcome = "closure-proposed"
            try db.cachedStatement(
              sql:
                "INSERT INTO closureProposal (caseId, outcome, school, startDate, source, at, auditSeq) VALUES (?, 'on-roll-la-school', ?, ?, ?, ?, ?)"
            )
            .execute(arguments: [
              caseId, r.school.storageKey, r.startDate.description, "\(file) line \(r.line)", audit.at, seq,
            ])
          } else {
            outcome = "no-open-case"
          }
        }
        try db.cachedStatement(
          sql:
            "INSERT INTO importRow (rowDigest, fileId, line, outcome, childId, caseId, flags, auditSeq) VALUES (?, ?, ?, ?, ?, ?, '', ?)"
        )
        .execute(arguments: [rowDigest, fileId, r.line, outcome, matches.first, caseId, seq])
        try audit.append(
          action: "intake.new-pupil", entity: "child", entityId: matches.first.map(String.init) ?? "-",
          childId: matches.first, caseId: caseId,
          reason: "\(file) line \(r.line)",
          after: [
            "outcome": outcome, "school": r.school.storageKey, "startDate": r.startDate.description,
            "case": reference ?? "",
          ])
        summary.rows.append(
          .init(line: r.line, outcome: outcome, child: matches.first, caseReference: reference, flags: []))
      }
      return summary
    }
  }

  /// Imports a school deletion-return file.
  ///
  /// The whole file is checked first (every problem listed, nothing
  /// written). Each row is matched to a child (UPN first, then names and
  /// date of birth) or creates one; its ground decides whether a case opens;
  /// each is checked for signs of off-rolling. Rows already imported, from
  /// this file or another, create nothing new. One transaction; an audit
  /// entry per row. With `dryRun` nothing is kept.
  public func importDeletionReturns(csv data: [UInt8], file: String, dryRun: Bool, by actor: String, today: LocalDate)
    throws -> ImportSummary
  {
    let rows = try DeletionReturnFile.read(csv: data, file: file, today: today)
    let digest = Digest.sha256(data).hex
    try useBulkPageCache()
    do {
      return try write(as: actor, needs: .writeCases) { db, audit in
        var summary = ImportSummary(file: file, digest: digest, dryRun: dryRun, alreadyImported: false)
        summary.rowsRead = rows.count
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM importFile WHERE digest = ?"), arguments: [digest])
          != nil
        {
          summary.alreadyImported = true
          summary.repeated = rows.count
          return summary
        }
        let calendar = try Register.calendar(in: db).calendar
        let settings = try Register.settings(in: db)
        let matcher = ChildMatcher(db: db)
        let references = ReferenceCounter(db: db)
        try db.cachedStatement(
          sql:
            "INSERT INTO importFile (kind, name, digest, rows, byUserId, at, auditSeq) VALUES ('deletion-returns', ?, ?, ?, ?, ?, ?)"
        )
        .execute(arguments: [file, digest, rows.count, audit.actor.id, audit.at, audit.nextSequence])
        let fileId = db.lastInsertedRowID
        try audit.append(
          action: "intake.file", entity: "importFile", entityId: String(fileId), reason: file,
          after: ["digest": digest, "rows": String(rows.count)])
        for r in rows {
          let rowDigest = Digest.sha256(Array(r.canonical.utf8)).hex
          if try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM importRow WHERE rowDigest = ?"), arguments: [rowDigest]) != nil
          {
            summary.repeated += 1
            summary.rows.append(
              .init(line: r.line, outcome: "already imported", child: nil, caseReference: nil, flags: []))
            continue
          }
          let matches = try matcher.match(
            upn: r.upn, forename: r.forename, surname: r.surname, dateOfBirth: r.dateOfBirth)
          guard matches.count <= 1 else {
            summary.ambiguous.append(
              "\(file):\(r.line): \(r.forename) \(r.surname), born \(r.dateOfBirth), fits children \(matches.map(String.init).joined(separator: ", ")); not imported — resolve the duplicate and import again"
            )
            continue
          }
          let seq = audit.nextSequence
          var childId: Int64
          var child: Child?
          if let id = matches.first {
            childId = id
            summary.childrenMatched += 1
          } else {
            var c = Child(legalSurname: r.surname, legalForename: r.forename, dateOfBirth: r.dateOfBirth)
            c.sex = r.sex
            c.upn = r.upn
            c.lastSchool = r.school
            if let a = r.address { c.addresses = [Address(text: a, postcode: r.postcode)] }
            c.carers = [Carer(name: r.parentName, relationship: "parent", phone: r.emergencyPhone)]
            childId = try Register.insert(c, in: db, auditSeq: seq, at: audit.at)
            try matcher.added(childId, c)
            child = c
            summary.childrenCreated += 1
          }
          let flags = offRollingFlags(r, calendar: calendar, groundISchoolDays: settings.clocks.groundISchoolDays)
          summary.flagsRaised += flags.count
          var outcome: String
          var caseId: Int64?
          var reference: String?
          switch GroundAction.decide(r) {
          case .logOnly:
            outcome = "logged"
            summary.loggedOnly += 1
          case .eheTeam:
            outcome = "ehe-team"
            summary.eheTeam += 1
          case .openCase(let reason):
            if let open = try Row.fetchOne(
              db.cachedStatement(sql: "SELECT id, reference FROM cmeCase WHERE childId = ? AND status = 'open'"),
              arguments: [childId])
            {
              outcome = "open-case-exists"
              caseId = open["id"]
              reference = open["reference"]
            } else {
              let opened = Swift.min(r.deletionDate, today)
              let ref = try references.next(year: opened.year)
              var c = CMECase(
                reference: ref.description, childId: childId, openedOn: opened, referralSource: .schoolDeletionReturn,
                reason: reason,
                deletionGround: r.ground, lastAttended: r.lastAttended, whereaboutsKnown: false)
              try Register.openImportedCase(
                &c, child: try child ?? Register.child(id: childId, in: db),
                note: "deletion return \(file) line \(r.line)", today: today,
                settings: settings, calendar: calendar, in: db, audit: audit, auditSeq: seq)
              outcome = "case-opened"
              caseId = c.id
              reference = c.reference
              summary.casesOpened += 1
            }
          }
          try db.cachedStatement(
            sql:
              "INSERT INTO importRow (rowDigest, fileId, line, outcome, childId, caseId, flags, auditSeq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
          )
          .execute(arguments: [
            rowDigest, fileId, r.line, outcome, childId, caseId, flags.joined(separator: ImportSummary.flagSeparator),
            seq,
          ])
          try audit.append(
            action: "intake.deletion-return", entity: "child", entityId: String(childId), childId: childId,
            caseId: caseId,
            reason: "\(file) line \(r.line)",
            after: [
              "outcome": outcome, "ground": r.ground.description, "school": r.school.storageKey,
              "deletionDate": r.deletionDate.description,
              "case": reference ?? "", "flags": flags.joined(separator: "; "),
            ])
          summary.rows.append(
            .init(line: r.line, outcome: outcome, child: childId, caseReference: reference, flags: flags))
        }
        if dryRun { throw DryRun(summary: summary) }
        return summary
      }
    } catch let dry as DryRun {
      return dry.summary
    }
  }
}
