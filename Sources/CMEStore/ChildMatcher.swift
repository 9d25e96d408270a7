import CMEDomain
import Foundation
import GRDB

/// Matches pupils in an import to children on the register, quickly.
///
/// Names are reduced to keys (case, accents, hyphens and spaces removed)
/// once per date of birth and kept for the rest of the import, so each row
/// costs a dictionary look-up instead of reading every child born that day.
/// Children created by the import are added as they are created.
final class ChildMatcher {
  private var byBirth: [String: [(id: Int64, pairs: [(String, String)])]] = [:]
  private let db: Database

  init(db: Database) { self.db = db }

  func match(upn: UPN?, forename: String, surname: String, dateOfBirth: LocalDate) throws -> [Int64] {
    if let upn {
      let byUPN = try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM child WHERE upn = ? UNION SELECT childId FROM childFormerUpn WHERE upn = ?"),
        arguments: [upn.value, upn.value])
      if !byUPN.isEmpty { return byUPN }
    }
    let f = NameMatch.key(forename), s = NameMatch.key(surname)
    return try bucket(dateOfBirth.description).filter { c in c.pairs.contains { ($0.0 == f && $0.1 == s) || ($0.0 == s && $0.1 == f) } }.map(\.id)
  }

  /// Records a child the import created.
  func added(_ id: Int64, _ c: Child) throws {
    _ = try bucket(c.dateOfBirth.description)
    byBirth[c.dateOfBirth.description, default: []].append((id, ChildMatcher.pairs(c.legalForename, c.legalSurname, c.preferredForename, c.preferredSurname, c.formerNames)))
  }

  private func bucket(_ dob: String) throws -> [(id: Int64, pairs: [(String, String)])] {
    if let b = byBirth[dob] { return b }
    var former: [Int64: [String]] = [:]
    for r in try Row.fetchAll(db.cachedStatement(sql: "SELECT f.childId, f.name FROM childFormerName f JOIN child c ON c.id = f.childId WHERE c.dateOfBirth = ?"),
      arguments: [dob])
    {
      former[r["childId"], default: []].append(r["name"])
    }
    let b = try Row.fetchAll(
      db,
      sql: """
        SELECT id, legalForename, legalSurname, preferredForename, preferredSurname FROM child
        WHERE dateOfBirth = ? AND id NOT IN (SELECT mergedId FROM childMerge)
        """, arguments: [dob]
    ).map { r -> (id: Int64, pairs: [(String, String)]) in
      let id: Int64 = r["id"]
      return (id, ChildMatcher.pairs(r["legalForename"], r["legalSurname"], r["preferredForename"], r["preferredSurname"], former[id] ?? []))
    }
    byBirth[dob] = b
    return b
  }

  static func pairs(_ f: String, _ s: String, _ pf: String?, _ ps: String?, _ former: [String]) -> [(String, String)] {
    var p = [(NameMatch.key(f), NameMatch.key(s)), (NameMatch.key(pf ?? f), NameMatch.key(ps ?? s))]
    for name in former {
      let parts = name.split(separator: " ")
      if parts.count >= 2 { p.append((NameMatch.key(String(parts[0])), NameMatch.key(parts.dropFirst().joined(separator: " ")))) }
    }
    return p
  }
}

/// Hands out case references within one bulk import without asking the
/// database each time.
final class ReferenceCounter {
  private var last: [Int: Int] = [:]
  private let db: Database

  init(db: Database) { self.db = db }

  func next(year: Int) throws -> CaseReference {
    let n = try last[year] ?? (Register.nextReference(year: year, in: db).number - 1)
    last[year] = n + 1
    return CaseReference(year: year, number: n + 1)
  }
}
