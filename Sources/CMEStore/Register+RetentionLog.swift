import CMEDomain
import Foundation
import GRDB

extension Register {
  /// The log's entries that a disposal leaves in the chain untouched: its own history.
  static let historyList = logHistoryActions.map { "'\($0.rawValue)'" }.joined(separator: ", ")

  /// What names a child in the log's entries that are not filed under them:
  /// their full names (legal and former) and UPNs (current and former)
  /// anywhere in an entry's payload; any part of a name in a search's.
  struct NameTrace {
    var names: [String] = []
    var parts: [String] = []
  }

  static func nameTrace(of childId: Int64, in db: Database) throws -> NameTrace {
    var trace = NameTrace()
    if let ch = try Row.fetchOne(
      db, sql: "SELECT legalForename, legalSurname, preferredForename, preferredSurname, upn FROM child WHERE id = ?",
      arguments: [childId])
    {
      trace.names.append("\(ch["legalForename"] as String) \(ch["legalSurname"] as String)")
      trace.parts += [ch["legalForename"], ch["legalSurname"], ch["preferredForename"], ch["preferredSurname"]]
        .compactMap { $0 as String? }
      if let upn = ch["upn"] as String? { trace.names.append(upn) }
    }
    let former = try String.fetchAll(
      db, sql: "SELECT name FROM childFormerName WHERE childId = ?", arguments: [childId])
    trace.names += former
    trace.parts += former.flatMap { $0.split(separator: " ").map(String.init) }
    trace.names += try String.fetchAll(
      db, sql: "SELECT upn FROM childFormerUpn WHERE childId = ?", arguments: [childId])
    trace.names = trace.names.map(matchable).filter { $0.count >= 3 }
    trace.parts = Array(Set(trace.parts.map(matchable).filter { $0.count >= 3 }))
    return trace
  }

  /// Text as names are matched in the log: without format characters (a
  /// zero-width joiner after a name made it another word), accents folded
  /// as the search folds them (a search for "Jane" with an accent typed on
  /// it finds Jane), in lower case. Both the names and the log's texts are
  /// read this way.
  static func matchable(_ text: String) -> String {
    NameVariants.fold(NameVariants.withoutFormatCharacters(text)).lowercased()
  }

  /// The words of a text, as matched (``matchable(_:)``): what the one pass
  /// over the log keys on.
  static func words(_ text: String) -> [Substring] {
    matchable(text).split { !$0.isLetter && !$0.isNumber }
  }

  /// For each of `children`, the entries not filed under a child or case that
  /// name them (``NameTrace``), found in one pass over the log for the whole
  /// batch: each entry's words are looked up in an index of the children's
  /// names, and only the children found there are matched exactly.
  static func entriesNaming(_ children: [Int64], in db: Database) throws -> [Int64: [Int64]] {
    guard !children.isEmpty else { return [:] }
    var traces: [Int64: NameTrace] = [:]
    var byWord: [Substring: Set<Int64>] = [:]
    for id in children {
      let trace = try nameTrace(of: id, in: db)
      traces[id] = trace
      for text in trace.names + trace.parts {
        for word in words(text) { byWord[word, default: []].insert(id) }
      }
    }
    var found: [Int64: [Int64]] = [:]
    let cursor = try Row.fetchCursor(
      db,
      sql: """
        SELECT seq, action, before, after, CASE WHEN rowsDigest IS NOT NULL THEN reason END AS reason
        FROM auditEntry WHERE redacted = 0 AND childId IS NULL AND caseId IS NULL AND action NOT IN (\(historyList))
        """)
    while let r = try cursor.next() {
      let raw = [r["before"], r["after"], r["reason"]].compactMap { $0 as String? }
      guard !raw.isEmpty else { continue }
      var candidates = Set<Int64>()
      for text in raw { for word in words(text) { candidates.formUnion(byWord[word] ?? []) } }
      guard !candidates.isEmpty else { continue }
      let texts = raw.map(matchable)
      let isSearch = (r["action"] as String) == AuditAction.childSearch.rawValue
      let after = (r["after"] as String?).map(matchable) ?? ""
      for id in candidates {
        let trace = traces[id]!
        if trace.names.contains(where: { name in texts.contains { $0.contains(name) } })
          || (isSearch && trace.parts.contains { after.contains($0) })
        {
          found[id, default: []].append(r["seq"])
        }
      }
    }
    return found
  }
}
