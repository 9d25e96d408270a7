import CMEDomain
import GRDB

extension Register {
  /// A record's version: the sequence of the audit entry that last changed
  /// its row (every row names it in `auditSeq`). A form carries the version
  /// it was made from, so an edit made over someone else's is refused.
  static func version(of table: String, id: Int64, in db: Database) throws -> Int64 {
    try Int64.fetchOne(db, sql: "SELECT auditSeq FROM \(table) WHERE id = ?", arguments: [id]) ?? 0
  }

  /// Refuses a change made from `expected` when the record has changed since,
  /// naming who changed it, when and how.
  static func requireVersion(
    _ expected: Int64?, of table: String, id: Int64, record: String, in db: Database
  ) throws {
    guard let expected else { return }
    let current = try version(of: table, id: id, in: db)
    guard current != expected else { return }
    let by = try Row.fetchOne(db, sql: "SELECT actor, at, action FROM auditEntry WHERE seq = ?", arguments: [current])
    let who = by.map { "\($0["actor"] as String) (\($0["action"] as String), \($0["at"] as String))" } ?? "someone"
    throw StoreError.conflict(
      "\(record) was changed by \(who) after you opened it (version \(current), yours \(expected)); nothing was saved. Open it again to see the change, then make yours"
    )
  }
}
