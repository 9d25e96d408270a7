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
  private var byBirth: [String: [(id: Int64, names: [(forename: String, surname: String)])]] = [:]
  private let db: Database

  init(db: Database) { self.db = db }

  func match(upn: UPN?, forename: String, surname: String, dateOfBirth: LocalDate) throws -> [Int64] {
    if let upn {
      let byUPN = try Int64.fetchAll(
        db.cachedStatement(
          sql: "SELECT id FROM child WHERE upn = ? UNION SELECT childId FROM childFormerUpn WHERE upn = ?"),
        arguments: [upn.value, upn.value])
      if !byUPN.isEmpty { return byUPN }
    }
    let f = NameMatch.key(forename)
    let s = NameMatch.key(surname)
    return try bucket(dateOfBirth).filter { NameMatch.fits(forenameKey: f, surnameKey: s, names: $0.names) }.map(\.id)
  }

  /// Records a child the import created.
  func added(_ id: Int64, _ c: Child) throws {
    _ = try bucket(c.dateOfBirth)
    byBirth[c.dateOfBirth.description, default: []].append((id, NameMatch.keys(of: c)))
  }

  private func bucket(_ dateOfBirth: LocalDate) throws -> [(id: Int64, names: [(forename: String, surname: String)])] {
    let dob = dateOfBirth.description
    if let b = byBirth[dob] { return b }
    var former: [Int64: [String]] = [:]
    for r in try Row.fetchAll(
      db.cachedStatement(
        sql: "SELECT f.childId, f.name FROM childFormerName f JOIN child c ON c.id = f.childId WHERE c.dateOfBirth = ?"),
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
    ).map { r -> (id: Int64, names: [(forename: String, surname: String)]) in
      var c = Child(legalSurname: r["legalSurname"], legalForename: r["legalForename"], dateOfBirth: dateOfBirth)
      c.preferredForename = r["preferredForename"]
      c.preferredSurname = r["preferredSurname"]
      let id: Int64 = r["id"]
      c.formerNames = former[id] ?? []
      return (id, NameMatch.keys(of: c))
    }
    byBirth[dob] = b
    return b
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
