import CMEDomain
import Foundation
import GRDB

/// A child's full record with a line for each of their cases.
public struct ChildRecord: Sendable, Codable {
  /// The child as recorded.
  public var child: Child
  /// The child's cases, newest first.
  public var cases: [CaseSummary]
  /// Set when this record was merged into another as a duplicate.
  public var mergedInto: Int64?
  /// The record's version (the entry that last changed it): an edit made
  /// from an older version is refused (``Register/updateChild(id:reason:ifVersion:by:today:_:)``).
  public var version: Int64 = 0
  /// The professionals around the child, current first.
  public var professionals: [Professional] = []
}

/// One line of a case list.
public struct CaseSummary: Sendable, Codable, Hashable {
  /// The case's row id.
  public var id: Int64
  /// The case reference, e.g. `CME-2026-00042`.
  public var reference: String
  /// The child's id.
  public var childId: Int64
  /// The child's name as used (preferred names where recorded).
  public var childName: String
  /// The child's date of birth.
  public var dateOfBirth: LocalDate
  /// Open or closed.
  public var status: CaseStatus
  /// Why the child is missing education.
  public var reason: CaseReason
  /// The current rating, if rated.
  public var rag: RAG?
  /// The day the case opened.
  public var openedOn: LocalDate
  /// The day it closed, if closed.
  public var closedOn: LocalDate?
  /// How it closed, if closed.
  public var outcome: ClosureOutcome?
  /// Whether the child's whereabouts are known.
  public var whereaboutsKnown: Bool
  /// The lead caseworker's user name.
  public var leadCaseworker: String?
}

/// One line of a child search.
public struct ChildSummary: Sendable, Codable, Hashable {
  /// The child's id.
  public var id: Int64
  /// The child's name as used.
  public var name: String
  /// The child's date of birth.
  public var dateOfBirth: LocalDate
  /// The current UPN, if known.
  public var upn: String?
  /// The reference of the child's open case, if any.
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
      let id = try ChildTable.insert(child, createdAt: audit.at, auditSeq: audit.nextSequence, in: db)
      var stored = child
      stored.id = id
      try audit.append(action: .childAdd, entity: "child", entityId: String(id), childId: id, after: stored)
      return id
    }
  }

  /// Reads a child, or throws ``StoreError/notFound(what:key:)``.
  static func child(id: Int64, in db: Database) throws -> Child {
    guard let c = try ChildTable.read(id, in: db) else { throw StoreError.notFound(what: "child", key: String(id)) }
    return c
  }

  /// A child's full record. The viewing is logged: who looked at which child.
  /// Special-category details are shown to managers and to the lead
  /// caseworker of one of the child's cases (``needToKnow(_:of:in:)``).
  public func childRecord(id: Int64, viewedBy session: Session) throws -> ChildRecord {
    try write(as: session, needs: .readRegister) { db, audit in
      let child = try Register.needToKnow(audit.actor, of: try Register.child(id: id, in: db), in: db)
      let cases = try Register.caseSummaries(in: db, where: "c.childId = ?", arguments: [id])
      let version = try Register.version(of: "child", id: id, in: db)
      try audit.append(action: .childView, entity: "child", entityId: String(id), childId: id)
      let into = try ChildMergeTable.keptId(for: id, in: db)
      return ChildRecord(
        child: child, cases: cases, mergedInto: into, version: version,
        professionals: try Register.professionals(ofChild: id, in: db))
    }
  }

  /// The child as `user` may see them: whole for a manager, or for the
  /// lead caseworker of one of the child's cases; otherwise without the
  /// special-category details. (Other casework on the case does not open
  /// them: a caseworker could record some only to see them.)
  static func needToKnow(_ user: User, of child: Child, in db: Database) throws -> Child {
    if user.role == .manager { return child }
    let leads = try Int64.fetchOne(
      db, sql: "SELECT count(*) FROM cmeCase WHERE childId = ? AND leadCaseworkerId = ?",
      arguments: [child.id, user.id])
    return (leads ?? 0) > 0 ? child : child.withoutSpecialCategoryDetails()
  }

  /// The most words a search for a child takes.
  public static let searchWords = 8

  /// Children whose names (legal, preferred or former), UPN (current or
  /// former) or date of birth match every word of `text`, or, when `text` is
  /// a postcode, who have lived at it. A word of a name also finds its other
  /// spellings (``NameVariants``: accents, O'Brien and OBrien, Kowalska and
  /// Kowalski, Mohammed and Muhammad). The search is logged.
  public func findChildren(_ text: String, by session: Session, limit: Int = 200) throws -> [ChildSummary] {
    let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
    guard !words.isEmpty else {
      throw InvalidInput(
        field: "TEXT", problem: "nothing to search for",
        fix: "Give part of a name, a UPN, a date of birth or a postcode")
    }
    // Each word becomes a look-up for each of its spellings: a bound keeps
    // the query within what SQLite takes and what a search needs.
    guard words.count <= Register.searchWords else {
      throw InvalidInput(
        field: "TEXT", problem: "\(words.count) words are more than a search takes (\(Register.searchWords))",
        fix: "Give a name, a UPN, a date of birth or a postcode")
    }
    // The search reads alongside everyone else; only its log entry takes
    // the write lock, and the results are returned once it is written.
    // Names (legal, middle, preferred, former) are matched in their trigram
    // index (`childNameIndex`), one look-up per spelling; former UPNs as one
    // set; a postcode in the index of addresses. The open case is looked up
    // for the children shown only, not for every match.
    let found = try read(as: session, needs: .readRegister) { db in
      var clauses: [String] = []
      var args: [any DatabaseValueConvertible] = []
      if let postcode = try? Address.parsePostcode(text, field: "TEXT") {
        clauses.append("ch.id IN (SELECT a.childId FROM childAddress a WHERE a.postcode = ?)")
        args.append(postcode)
      } else {
        for w in words {
          let spellings = NameVariants.of(w).map { "%\($0.replacingOccurrences(of: "%", with: ""))%" }
          let names = spellings.map { _ in "SELECT rowid FROM childNameIndex WHERE names LIKE ?" }
          clauses.append(
            """
            (ch.id IN (\(names.joined(separator: " UNION ALL ")))
             OR ch.upn = upper(?) OR ch.dateOfBirth = ?
             OR ch.id IN (SELECT u.childId FROM childFormerUpn u WHERE u.upn = upper(?)))
            """)
          args += spellings
          args += [w, w, w]
        }
      }
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT s.*, (SELECT reference FROM cmeCase c WHERE c.childId = s.id AND c.status = 'open') AS openCase
          FROM (
            SELECT ch.id, ch.legalForename, ch.legalSurname, ch.preferredForename, ch.preferredSurname,
              ch.dateOfBirth, ch.upn
            FROM child ch WHERE ch.id NOT IN (SELECT mergedId FROM childMerge) AND \(clauses.joined(separator: " AND "))
            ORDER BY ch.legalSurname, ch.legalForename, ch.id LIMIT \(limit)
          ) s ORDER BY s.legalSurname, s.legalForename, s.id
          """, arguments: StatementArguments(args))
      return try rows.map { r in
        ChildSummary(
          id: r["id"],
          name:
            "\(r["preferredForename"] as String? ?? r["legalForename"]) \(r["preferredSurname"] as String? ?? r["legalSurname"])",
          dateOfBirth: try Register.storedDate(r["dateOfBirth"]),
          upn: r["upn"], openCase: r["openCase"])
      }
    }
    _ = try write(as: session, needs: .readRegister) { _, audit in
      try audit.append(
        action: .childSearch, entity: "child", entityId: "*", after: ["query": text, "found": String(found.count)])
    }
    return found
  }
}

extension Register {
  /// Changes a child's record. `change` edits a copy; the result is checked
  /// like a new child and written whole, with the record before and after in
  /// the audit entry. With `ifVersion`, only if no one has changed the
  /// record since that version (else refused naming who did, how and when).
  public func updateChild(
    id: Int64, reason: String, ifVersion: Int64? = nil, by session: Session, today: LocalDate,
    _ change: (inout Child) throws -> Void
  ) throws -> Child {
    let reason = try requireText(reason, field: "reason", what: "the reason")
    return try write(as: session, needs: .writeCases) { db, audit in
      let before = try Register.child(id: id, in: db)
      try Register.requireVersion(ifVersion, of: "child", id: id, record: "child \(id)", in: db)
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
      try ChildTable.rewrite(after, id: id, auditSeq: audit.nextSequence, in: db)
      // A marker or concern recorded while a case is open is referred at once.
      if let open = try CaseTable.openCase(ofChild: id, in: db) {
        let c = try Register.fetchCase(try CaseReference.parse(open.reference, field: "case"), in: db)
        _ = try Register.raiseReferrals(for: after, on: c, today: today, in: db, audit: audit)
      }
      try audit.append(
        action: .childUpdate, entity: "child", entityId: String(id), childId: id, reason: reason, before: before,
        after: after)
      return after
    }
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
