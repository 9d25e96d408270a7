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

extension CaseSummary {
  /// The line of a case read with its child (as far as the line shows the child).
  init(case c: CMECase, child: Child) {
    self.init(
      id: c.id ?? 0, reference: c.reference, childId: c.childId, childName: child.displayName,
      dateOfBirth: child.dateOfBirth, status: c.status, reason: c.reason, rag: c.rag, openedOn: c.openedOn,
      closedOn: c.closedOn, outcome: c.outcome, whereaboutsKnown: c.whereaboutsKnown, leadCaseworker: c.leadCaseworker)
  }
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
    try write(as: session, needs: .readRegister, entriesOnly: true) { db, audit in
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

  /// The most combinations of spellings a search looks up in the name index
  /// at once; the spellings of further words are checked on each match.
  static let searchCombinations = 32

  /// The most children a search returns when asked for a number of them.
  static let searchLimitBound = 1_000_000

  /// Children whose names (legal, preferred or former), UPN (current or
  /// former) or date of birth match every word of `text`, or, when `text` is
  /// a postcode, who have lived at it. A word of a name also finds its other
  /// spellings (``NameVariants``: accents, O'Brien and OBrien, Kowalska and
  /// Kowalski, Mohammed and Muhammad). The search is logged.
  ///
  /// At most `limit` children are returned (all with `nil`), by name. When
  /// more match, those returned are the first `limit` on the register (the
  /// lowest ids) and ``ChildSearch/more`` says so: the search stops there
  /// rather than read every one of 40,000 Smiths to sort them, and the
  /// caseworker narrows it.
  public func findChildren(_ text: String, by session: Session, limit: Int? = 200) throws -> ChildSearch {
    // No control characters (a NUL would cut the pattern SQLite is given)
    // and no bidirectional overrides.
    try TextRules.check(text, field: "TEXT", kind: .line)
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
    if let long = words.first(where: { $0.count > TextKind.name.limit }) {
      throw InvalidInput(
        field: "TEXT",
        problem: "a word of \(long.count) characters is longer than any name (\(TextKind.name.limit) at most)",
        fix: "Give part of a name, a UPN, a date of birth or a postcode")
    }
    let limit = limit.map { min(max(1, $0), Register.searchLimitBound) }
    // The search reads alongside everyone else; only its log entry takes
    // the write lock, and the results are returned once it is written.
    let found = try read(as: session, needs: .readRegister) { db in
      let (sql, args) = Register.childSearchSQL(words: words, text: text)
      // The matches stream in id order from every branch, so the first
      // `limit` (and one more, to know there are more) end the search.
      let ids = try Int64.fetchAll(
        db,
        sql: """
          SELECT id FROM (\(sql) ORDER BY 1) WHERE id NOT IN (SELECT mergedId FROM childMerge)
          LIMIT \(limit.map { $0 + 1 } ?? -1)
          """, arguments: StatementArguments(args))
      let shown = ids.prefix(limit ?? ids.count)
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT ch.id, ch.legalForename, ch.legalSurname, ch.preferredForename, ch.preferredSurname,
            ch.dateOfBirth, ch.upn,
            (SELECT reference FROM cmeCase c WHERE c.childId = ch.id AND c.status = 'open') AS openCase
          FROM child ch WHERE ch.id IN (SELECT value FROM json_each(?))
          ORDER BY ch.legalSurname, ch.legalForename, ch.id
          """, arguments: ["[" + shown.map(String.init).joined(separator: ",") + "]"])
      let children = try rows.map { r in
        ChildSummary(
          id: r["id"],
          name:
            "\(r["preferredForename"] as String? ?? r["legalForename"]) \(r["preferredSurname"] as String? ?? r["legalSurname"])",
          dateOfBirth: try Register.storedDate(r["dateOfBirth"]),
          upn: r["upn"], openCase: r["openCase"])
      }
      return ChildSearch(children: children, more: ids.count > shown.count)
    }
    _ = try write(as: session, needs: .readRegister, entriesOnly: true) { _, audit in
      try audit.append(
        action: .childSearch, entity: "child", entityId: "*",
        after: [
          "query": text, "found": found.more ? "more than \(found.children.count)" : String(found.children.count),
        ])
    }
    return found
  }

  /// The search's query: a compound `SELECT` of child ids, each branch in id
  /// order, so SQLite merges them as they stream.
  ///
  /// A postcode is looked up in the index of addresses. Otherwise a child
  /// matches when every word matches one of their names (one of its
  /// spellings, anywhere in the text of the trigram index) or is their UPN,
  /// former UPN or date of birth. Names are matched by the index itself, all
  /// words in one look-up (one per combination of spellings, up to
  /// ``searchCombinations``; the words beyond are checked on each match).
  /// Matches of a word by UPN or date of birth are few: one more branch per
  /// word starts from them and checks the other words on each.
  static func childSearchSQL(words: [String], text: String) -> (sql: String, arguments: [String]) {
    if let postcode = try? Address.parsePostcode(text, field: "TEXT") {
      // A child may have lived at the same postcode twice: each once.
      return ("SELECT DISTINCT a.childId AS id FROM childAddress a WHERE a.postcode = ?", [postcode])
    }
    let variants = words.map { w in NameVariants.of(w).map { $0.replacingScalars(["%": ""]) } }
    let spellings = variants.map { $0.map { "%\($0)%" } }
    // The index answers spellings of three letters or more. A shorter one
    // is checked on each match, never given to the index with another:
    // SQLite 3.40's trigram index fails on such a pair (a crash).
    // (Counted in scalars: "_" after a prepended mark is one Character.)
    let indexable = variants.map {
      $0.allSatisfy { v in v.unicodeScalars.count >= 3 && !v.unicodeScalars.contains("_") }
    }
    var joined: [Int] = []
    var combinations = 1
    for i in spellings.indices.sorted(by: { spellings[$0].count < spellings[$1].count })
    where indexable[i] && combinations * spellings[i].count <= searchCombinations {
      joined.append(i)
      combinations *= spellings[i].count
    }
    let rest = spellings.indices.filter { !joined.contains($0) }
    // `+x.names` is checked on the row, not given to the index.
    func anySpelling(_ i: Int) -> String {
      "(" + spellings[i].map { _ in "+x.names LIKE ?" }.joined(separator: " OR ") + ")"
    }
    var branches: [String] = []
    var args: [String] = []
    // Every word by name: each combination of the joined words' spellings.
    var choice = Array(repeating: 0, count: joined.count)
    for _ in 0..<combinations {
      let conditions = Array(repeating: "x.names LIKE ?", count: joined.count) + rest.map(anySpelling)
      branches.append("SELECT x.rowid AS id FROM childNameIndex x WHERE " + conditions.joined(separator: " AND "))
      args += zip(joined, choice).map { spellings[$0][$1] } + rest.flatMap { spellings[$0] }
      for k in choice.indices {
        choice[k] += 1
        if choice[k] < spellings[joined[k]].count { break }
        choice[k] = 0
      }
    }
    // A word as a UPN, a former UPN or a date of birth, the others as anything.
    for i in words.indices {
      let w = words[i]
      var conditions = [
        """
        c.id IN (SELECT id FROM child WHERE upn = upper(?) UNION SELECT id FROM child WHERE dateOfBirth = ?
          UNION SELECT childId FROM childFormerUpn WHERE upn = upper(?))
        """
      ]
      args += [w, w, w]
      for j in words.indices where j != i {
        conditions.append(
          "(\(anySpelling(j)) OR c.upn = upper(?) OR c.dateOfBirth = ?"
            + " OR c.id IN (SELECT u.childId FROM childFormerUpn u WHERE u.upn = upper(?)))")
        args += spellings[j] + [words[j], words[j], words[j]]
      }
      branches.append(
        "SELECT c.id AS id FROM child c JOIN childNameIndex x ON x.rowid = c.id WHERE "
          + conditions.joined(separator: " AND "))
    }
    return (branches.joined(separator: " UNION "), args)
  }
}

/// What a search for children found.
public struct ChildSearch: Sendable, Hashable {
  /// The children found, by name (surname, then forename).
  public var children: [ChildSummary]
  /// Whether more children match than were returned.
  public var more: Bool

  public init(children: [ChildSummary], more: Bool) {
    self.children = children
    self.more = more
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
