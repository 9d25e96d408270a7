import CMEDomain
import Foundation
import GRDB

extension Register {
  /// Makes an empty register ready for use: its first user, an admin.
  ///
  /// The admin's own creation is the first entry of the audit log.
  ///
  /// `account` is the operating-system account the command line acts as
  /// this admin for; `channel` how the set-up was made.
  public func initialize(
    admin name: String, account: String? = nil, channel: Channel = .commandLine(account: "-"),
    kind: String = "register",
    authority: String = "Local authority"
  ) throws -> User {
    let name = try User.validName(name, field: "admin")
    do {
      return try dbQueue.write { db in
        guard try Int.fetchOne(db, sql: "SELECT count(*) FROM user") == 0 else {
          throw StoreError.conflict(
            "the register at \(path) is already set up; an admin adds its users", next: .addUser("NAME"))
        }
        let seq = try Int64.fetchOne(db, sql: "SELECT ifnull(max(seq), 0) + 1 FROM auditEntry") ?? 1
        let at = now
        let user = try UserRow.insert(name: name, role: .admin, at: at, auditSeq: seq, in: db)
        try UserTable.setAccount(of: user.id, to: account, in: db)
        try MetaTable.insert(kind: kind, createdAt: at, authority: authority, in: db)
        // The first entry records every row of the new register (its admin
        // and `meta`, including the identity the schema made).
        let rows = try RowRecords.recordAll(entry: seq, writtenBy: nil, in: db)
        var audit = try AuditWriter(db: db, actor: user, channel: channel, at: at, noting: .bulk)
        try audit.append(
          action: .registerInit, entity: "user", entityId: String(user.id),
          reason: "register \(try MetaTable.value("identity", in: db) ?? "")", after: user, rowsDigest: rows)
        try audit.finish()
        return user
      }
    } catch let e as DatabaseError {
      throw StoreError.from(e)
    }
  }

  /// Adds a user with a role. Admins only. `account` is the
  /// operating-system account the command line acts as them for, if any.
  public func addUser(name: String, role: Role, account: String? = nil, by session: Session) throws -> User {
    let name = try User.validName(name, field: "NAME")
    let account = try account.map { try User.validName($0, field: "account") }
    return try write(as: session, needs: .manageUsers) { db, audit in
      if try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE name = ?", arguments: [name]) != nil {
        throw StoreError.conflict("there is already a user called '\(name)'")
      }
      if let account, try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE account = ?", arguments: [account]) != nil {
        throw StoreError.conflict("the operating-system account '\(account)' is already another user's")
      }
      let user = try UserRow.insert(name: name, role: role, at: audit.at, auditSeq: audit.nextSequence, in: db)
      try UserTable.setAccount(of: user.id, to: account, in: db)
      try audit.append(action: .userAdd, entity: "user", entityId: String(user.id), after: user)
      return user
    }
  }

  /// Every user, by name.
  public func users(by session: Session) throws -> [User] {
    return try read(as: session, needs: nil) { db in
      try UserRow.all().active().order(UserRow.Columns.name).fetchAll(db).map(\.user)
    }
  }
}
