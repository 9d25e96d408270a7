import CMEDomain
import Foundation
import GRDB

/// A child's full record with a line for each of their cases.
public struct ChildRecord: Sendable, Codable {
  public var child: Child
  public var cases: [CaseSummary]
  /// Set when this record was merged into another as a duplicate.
  public var mergedInto: Int64?
}

/// One line of a case list.
public struct CaseSummary: Sendable, Codable, Hashable {
  public var id: Int64
  public var reference: String
  public var childId: Int64
  public var childName: String
  public var dateOfBirth: LocalDate
  public var status: CaseStatus
  public var reason: CaseReason
  public var rag: RAG?
  public var openedOn: LocalDate
  public var closedOn: LocalDate?
  public var outcome: ClosureOutcome?
  public var whereaboutsKnown: Bool
  public var leadCaseworker: String?
}

/// One line of a child search.
public struct ChildSummary: Sendable, Codable, Hashable {
  public var id: Int64
  public var name: String
  public var dateOfBirth: LocalDate
  public var upn: String?
  public var openCase: String?
}

extension Register {
  /// Adds a child and returns its id.
  public func addChild(_ child: Child, by session: Session, today: LocalDate) throws -> Int64 {
    try child.validate(today: today)
    return try write(as: session, needs: .writeCases) { db, audit in
      if let upn = child.upn,
        let other = try Int64.fetchOne(
          db, sql: "SELECT id FROM child WHERE upn = ? UNION SELECT childId FROM childFormerUpn WHERE upn = ?",
          arguments: [upn.value, upn.value])
      {
        throw StoreError.conflict(
          "UPN \(upn) already belongs to child \(other)", next: .showChild(other))
      }
      let id = try Register.insert(child, in: db, auditSeq: audit.nextSequence, at: audit.at)
      var stored = child
      stored.id = id
      try audit.append(action: .childAdd, entity: "child", entityId: String(id), childId: id, after: stored)
      return id
    }
  }

  /// Writes a child and its former names, UPNs, concerns, addresses and carers.
  static func insert(_ c: Child, in db: Database, auditSeq: Int64, at: String) throws -> Int64 {
    try db.cachedStatement(
      sql: """
        INSERT INTO child (legalSurname, legalForename, middleNames, preferredSurname, preferredForename,
          dateOfBirth, sex, genderIdentity, upn, ethnicity, firstLanguage, religion, senProvision,
          disability, lookedAfter, careAuthority, childProtectionPlan, childInNeed, youthJustice,
          freeSchoolMeals, sexualOrientation, circumstances, lastSchool, createdAt, auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      c.legalSurname, c.legalForename, c.middleNames, c.preferredSurname, c.preferredForename,
      c.dateOfBirth.description, c.sex.rawValue, c.genderIdentity, c.upn?.value, c.ethnicity?.code,
      c.firstLanguage?.code, c.religion, c.senProvision?.rawValue, c.disability, c.lookedAfter,
      c.careAuthority, c.childProtectionPlan, c.childInNeed, c.youthJustice, c.freeSchoolMeals,
      c.sexualOrientation, c.circumstances, c.lastSchool?.storageKey, at, auditSeq,
    ])
    let id = db.lastInsertedRowID
    try insertLists(of: c, id: id, in: db, auditSeq: auditSeq)
    return id
  }

  /// Writes a child's former names, former UPNs, concerns, addresses and carers.
  private static func insertLists(of c: Child, id: Int64, in db: Database, auditSeq: Int64) throws {
    for name in c.formerNames {
      try db.cachedStatement(sql: "INSERT INTO childFormerName (childId, name, auditSeq) VALUES (?, ?, ?)")
        .execute(arguments: [id, name, auditSeq])
    }
    for upn in c.formerUPNs {
      try db.cachedStatement(sql: "INSERT INTO childFormerUpn (childId, upn, auditSeq) VALUES (?, ?, ?)")
        .execute(arguments: [id, upn.value, auditSeq])
    }
    for concern in c.concerns.sorted(by: { $0.rawValue < $1.rawValue }) {
      try db.cachedStatement(sql: "INSERT INTO childConcern (childId, concern, auditSeq) VALUES (?, ?, ?)")
        .execute(arguments: [id, concern.rawValue, auditSeq])
    }
    for a in c.addresses {
      try db.cachedStatement(
        sql: "INSERT INTO childAddress (childId, text, postcode, fromDate, toDate, auditSeq) VALUES (?, ?, ?, ?, ?, ?)"
      )
      .execute(arguments: [id, a.text, a.postcode, a.from?.description, a.to?.description, auditSeq])
    }
    for p in c.carers {
      try db.cachedStatement(
        sql: """
          INSERT INTO carer (childId, name, relationship, phone, livesWithChild, parentalResponsibility, auditSeq)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """
      ).execute(arguments: [id, p.name, p.relationship, p.phone, p.livesWithChild, p.parentalResponsibility, auditSeq])
    }
  }

  /// Reads a child, or throws ``StoreError/notFound(what:key:)``.
  static func child(id: Int64, in db: Database) throws -> Child {
    guard let r = try Row.fetchOne(db, sql: "SELECT * FROM child WHERE id = ?", arguments: [id]) else {
      throw StoreError.notFound(what: "child", key: String(id))
    }
    var c = Child(
      legalSurname: r["legalSurname"], legalForename: r["legalForename"],
      dateOfBirth: try Register.storedDate(r["dateOfBirth"]))
    c.id = id
    c.middleNames = r["middleNames"]
    c.preferredSurname = r["preferredSurname"]
    c.preferredForename = r["preferredForename"]
    c.sex = try Sex.stored(r["sex"])
    c.genderIdentity = r["genderIdentity"]
    c.upn = (r["upn"] as String?).flatMap { try? UPN.validate($0).get() }
    c.ethnicity = (r["ethnicity"] as String?).map(Ethnicity.init(checked:))
    c.firstLanguage = (r["firstLanguage"] as String?).map(LanguageCode.init(checked:))
    c.religion = r["religion"]
    c.senProvision = (r["senProvision"] as String?).flatMap(SENProvision.init(rawValue:))
    c.disability = r["disability"]
    c.lookedAfter = r["lookedAfter"]
    c.careAuthority = r["careAuthority"]
    c.childProtectionPlan = r["childProtectionPlan"]
    c.childInNeed = r["childInNeed"]
    c.youthJustice = r["youthJustice"]
    c.freeSchoolMeals = r["freeSchoolMeals"]
    c.sexualOrientation = r["sexualOrientation"]
    c.circumstances = r["circumstances"]
    c.lastSchool = (r["lastSchool"] as String?).flatMap(SchoolRef.init(storageKey:))
    c.formerNames = try String.fetchAll(
      db, sql: "SELECT name FROM childFormerName WHERE childId = ? ORDER BY id", arguments: [id])
    c.formerUPNs = try String.fetchAll(
      db, sql: "SELECT upn FROM childFormerUpn WHERE childId = ? ORDER BY upn", arguments: [id]
    ).compactMap { try? UPN.validate($0).get() }
    c.concerns = Set(
      try String.fetchAll(db, sql: "SELECT concern FROM childConcern WHERE childId = ?", arguments: [id])
        .compactMap(SafeguardingConcern.init(rawValue:)))
    c.addresses = try Row.fetchAll(
      db, sql: "SELECT * FROM childAddress WHERE childId = ? ORDER BY fromDate, id", arguments: [id]
    ).map { Address(text: $0["text"], postcode: $0["postcode"], from: date($0["fromDate"]), to: date($0["toDate"])) }
    c.carers = try Row.fetchAll(db, sql: "SELECT * FROM carer WHERE childId = ? ORDER BY id", arguments: [id]).map {
      Carer(
        name: $0["name"], relationship: $0["relationship"], phone: $0["phone"],
        livesWithChild: $0["livesWithChild"], parentalResponsibility: $0["parentalResponsibility"])
    }
    return c
  }

  /// A child's full record. The viewing is logged: who looked at which child.
  public func childRecord(id: Int64, viewedBy session: Session) throws -> ChildRecord {
    try write(as: session, needs: .readRegister) { db, audit in
      let child = try Register.child(id: id, in: db)
      let cases = try Register.caseSummaries(in: db, where: "c.childId = ?", arguments: [id])
      try audit.append(action: .childView, entity: "child", entityId: String(id), childId: id)
      let into = try Int64.fetchOne(db, sql: "SELECT keptId FROM childMerge WHERE mergedId = ?", arguments: [id])
      return ChildRecord(child: child, cases: cases, mergedInto: into)
    }
  }

  /// Children whose names (legal, preferred or former), UPN (current or
  /// former) or date of birth match every word of `text`. The search is logged.
  public func findChildren(_ text: String, by session: Session, limit: Int = 200) throws -> [ChildSummary] {
    let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
    guard !words.isEmpty else {
      throw InvalidInput(
        field: "TEXT", problem: "nothing to search for", fix: "Give part of a name, a UPN or a date of birth")
    }
    return try write(as: session, needs: .readRegister) { db, audit in
      var clauses: [String] = []
      var args: [any DatabaseValueConvertible] = []
      for w in words {
        let like = "%\(w.replacingOccurrences(of: "%", with: ""))%"
        clauses.append(
          """
          (ch.legalSurname LIKE ? OR ch.legalForename LIKE ? OR ch.preferredSurname LIKE ?
           OR ch.preferredForename LIKE ? OR ch.middleNames LIKE ? OR ch.upn = upper(?) OR ch.dateOfBirth = ?
           OR EXISTS (SELECT 1 FROM childFormerName f WHERE f.childId = ch.id AND f.name LIKE ?)
           OR EXISTS (SELECT 1 FROM childFormerUpn u WHERE u.childId = ch.id AND u.upn = upper(?)))
          """)
        args += [like, like, like, like, like, w, w, like, w]
      }
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT ch.id, ch.legalForename, ch.legalSurname, ch.preferredForename, ch.preferredSurname,
            ch.dateOfBirth, ch.upn,
            (SELECT reference FROM cmeCase c WHERE c.childId = ch.id AND c.status = 'open') AS openCase
          FROM child ch WHERE ch.id NOT IN (SELECT mergedId FROM childMerge) AND \(clauses.joined(separator: " AND "))
          ORDER BY ch.legalSurname, ch.legalForename, ch.id LIMIT \(limit)
          """, arguments: StatementArguments(args))
      let found = try rows.map { r in
        ChildSummary(
          id: r["id"],
          name:
            "\(r["preferredForename"] as String? ?? r["legalForename"]) \(r["preferredSurname"] as String? ?? r["legalSurname"])",
          dateOfBirth: try Register.storedDate(r["dateOfBirth"]),
          upn: r["upn"], openCase: r["openCase"])
      }
      try audit.append(
        action: .childSearch, entity: "child", entityId: "*", after: ["query": text, "found": String(found.count)])
      return found
    }
  }
}

extension Register {
  /// Changes a child's record. `change` edits a copy; the result is checked
  /// like a new child and written whole, with the record before and after in
  /// the audit entry.
  public func updateChild(
    id: Int64, reason: String, by session: Session, today: LocalDate, _ change: (inout Child) throws -> Void
  ) throws -> Child {
    let reason = try requireText(reason, field: "reason", what: "the reason")
    return try write(as: session, needs: .writeCases) { db, audit in
      let before = try Register.child(id: id, in: db)
      var after = before
      try change(&after)
      try after.validate(today: today)
      guard after != before else {
        throw InvalidInput(
          field: "CHILD", problem: "nothing to change",
          fix: "Give at least one field to change", next: .updateChild(id))
      }
      if let upn = after.upn, upn != before.upn, let other = try Register.holder(of: upn, otherThan: id, in: db) {
        throw StoreError.conflict(
          "UPN \(upn) already belongs to child \(other)", next: .showChild(other))
      }
      try Register.rewrite(after, id: id, in: db, auditSeq: audit.nextSequence)
      try audit.append(
        action: .childUpdate, entity: "child", entityId: String(id), childId: id, reason: reason, before: before,
        after: after)
      return after
    }
  }

  /// Writes a child's record over what is stored: the row, and its lists
  /// whole. The caller's audit entry (numbered `auditSeq`) keeps the record
  /// as it was.
  static func rewrite(_ c: Child, id: Int64, in db: Database, auditSeq seq: Int64) throws {
    try db.cachedStatement(
      sql: """
        UPDATE child SET legalSurname = ?, legalForename = ?, middleNames = ?, preferredSurname = ?, preferredForename = ?,
          dateOfBirth = ?, sex = ?, genderIdentity = ?, upn = ?, ethnicity = ?, firstLanguage = ?, religion = ?, senProvision = ?,
          disability = ?, lookedAfter = ?, careAuthority = ?, childProtectionPlan = ?, childInNeed = ?, youthJustice = ?,
          freeSchoolMeals = ?, sexualOrientation = ?, circumstances = ?, lastSchool = ?, auditSeq = ?
        WHERE id = ?
        """
    ).execute(arguments: [
      c.legalSurname, c.legalForename, c.middleNames, c.preferredSurname, c.preferredForename,
      c.dateOfBirth.description,
      c.sex.rawValue, c.genderIdentity, c.upn?.value, c.ethnicity?.code, c.firstLanguage?.code, c.religion,
      c.senProvision?.rawValue, c.disability, c.lookedAfter, c.careAuthority, c.childProtectionPlan, c.childInNeed,
      c.youthJustice, c.freeSchoolMeals, c.sexualOrientation, c.circumstances, c.lastSchool?.storageKey, seq, id,
    ])
    // The lists are written whole; the audit entry keeps what they were.
    for table in ["childFormerName", "childFormerUpn", "childConcern", "childAddress", "carer"] {
      try db.execute(sql: "DELETE FROM \(table) WHERE childId = ?", arguments: [id])
    }
    try insertLists(of: c, id: id, in: db, auditSeq: seq)
  }

  /// The other child who holds `upn`, now or formerly, if any.
  static func holder(of upn: UPN, otherThan id: Int64, in db: Database) throws -> Int64? {
    try Int64.fetchOne(
      db,
      sql:
        "SELECT id FROM child WHERE upn = ? AND id <> ? UNION SELECT childId FROM childFormerUpn WHERE upn = ? AND childId <> ?",
      arguments: [upn.value, id, upn.value, id])
  }
}
