import CMEDomain
import GRDB

/// `user`: the people who use the register. Every write of the table is here.
struct UserRow: Codable, FetchableRecord, TableRecord {
  static let databaseTableName = "user"

  var id: Int64?
  var name: String
  var role: Role
  var active: Bool
  var createdAt: String
  var auditSeq: Int64

  enum Columns {
    static let id = Column(CodingKeys.id)
    static let name = Column(CodingKeys.name)
    static let role = Column(CodingKeys.role)
    static let active = Column(CodingKeys.active)
  }

  init(name: String, role: Role, createdAt: String, auditSeq: Int64) {
    self.name = name
    self.role = role
    self.active = true
    self.createdAt = createdAt
    self.auditSeq = auditSeq
  }

  /// The user as the domain knows them.
  var user: User { User(id: id ?? 0, name: name, role: role) }

  /// Adds the user and returns them with their id.
  static func insert(name: String, role: Role, at: String, auditSeq: Int64, in db: Database) throws -> User {
    try db.cachedStatement(sql: "INSERT INTO user (name, role, createdAt, auditSeq) VALUES (?, ?, ?, ?)")
      .execute(arguments: [name, role, at, auditSeq])
    return User(id: db.lastInsertedRowID, name: name, role: role)
  }
}

extension DerivableRequest<UserRow> {
  /// The active users, by name.
  func active() -> Self { filter(UserRow.Columns.active == true) }
}

/// `meta`: facts about the register file itself (its kind, when it was made,
/// the authority). Written once, when the register is set up.
enum MetaTable {
  /// Records the register's kind (`register` or `demo`), creation time and authority.
  static func insert(kind: String, createdAt: String, authority: String, in db: Database) throws {
    try db.execute(
      sql: "INSERT INTO meta (key, value) VALUES ('kind', ?), ('createdAt', ?), ('authority', ?)",
      arguments: [kind, createdAt, authority])
  }

  /// Sets a fact, replacing an earlier value.
  static func set(_ key: String, to value: String, in db: Database) throws {
    try db.execute(
      sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      arguments: [key, value])
  }

  /// A value, if set.
  static func value(_ key: String, in db: Database) throws -> String? {
    try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
  }
}

/// `setting`: the values an authority has set, over the defaults.
enum SettingTable {
  /// Every stored setting.
  static func all(in db: Database) throws -> [String: String] {
    Dictionary(
      try Row.fetchAll(db, sql: "SELECT key, value FROM setting").map { ($0["key"] as String, $0["value"] as String) },
      uniquingKeysWith: { $1 })
  }

  /// Sets a value, replacing any earlier one.
  static func set(_ key: String, to value: String, auditSeq: Int64, in db: Database) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO setting (key, value, auditSeq) VALUES (?, ?, ?)
        ON CONFLICT(key) DO UPDATE SET value = excluded.value, auditSeq = excluded.auditSeq
        """
    )
    .execute(arguments: [key, value, auditSeq])
  }
}

/// `calendarPeriod`: the authority's school terms and closures.
struct CalendarPeriodRow: Codable, FetchableRecord, TableRecord {
  static let databaseTableName = "calendarPeriod"

  var kind: SchoolCalendar.Kind
  var startDate: LocalDate
  var endDate: LocalDate
  var description: String
  var school: String?

  enum Columns {
    static let id = Column("id")
    static let startDate = Column(CodingKeys.startDate)
    static let school = Column(CodingKeys.school)
  }

  /// The authority's calendar (or, with `school`, that school's own), in
  /// order, or nil when none was imported.
  static func calendar(in db: Database, school: SchoolRef? = nil) throws -> SchoolCalendar? {
    let rows = try CalendarPeriodRow.filter(Columns.school == school?.storageKey)
      .order(Columns.startDate, Columns.id).fetchAll(db)
    guard !rows.isEmpty else { return nil }
    return SchoolCalendar(
      periods: rows.map { .init(kind: $0.kind, start: $0.startDate, end: $0.endDate, description: $0.description) })
  }

  /// Every school's own calendar, by the school's stored key.
  static func schoolCalendars(in db: Database) throws -> [String: SchoolCalendar] {
    let rows = try CalendarPeriodRow.filter(Columns.school != nil).order(Columns.school, Columns.startDate, Columns.id)
      .fetchAll(db)
    return Dictionary(grouping: rows, by: { $0.school! }).mapValues { rows in
      SchoolCalendar(
        periods: rows.map { .init(kind: $0.kind, start: $0.startDate, end: $0.endDate, description: $0.description) })
    }
  }

  /// Replaces every period of the authority's calendar (or `school`'s) with the calendar's.
  static func replace(with calendar: SchoolCalendar, school: SchoolRef? = nil, auditSeq: Int64, in db: Database)
    throws
  {
    try db.execute(sql: "DELETE FROM calendarPeriod WHERE school IS ?", arguments: [school?.storageKey])
    for p in calendar.periods {
      try db.cachedStatement(
        sql:
          "INSERT INTO calendarPeriod (kind, startDate, endDate, description, school, auditSeq) VALUES (?, ?, ?, ?, ?, ?)"
      ).execute(arguments: [p.kind, p.start, p.end, p.description, school?.storageKey, auditSeq])
    }
  }
}

/// The sign-in columns of `user` and its other changes after creation.
enum UserTable {
  static func setPassword(of id: Int64, hash: String, mustChange: Bool, auditSeq: Int64, in db: Database) throws {
    try db.execute(
      sql: "UPDATE user SET passwordHash = ?, passwordMustChange = ?, auditSeq = ? WHERE id = ?",
      arguments: [hash, mustChange, auditSeq, id])
  }

  static func passwordHash(of id: Int64, in db: Database) throws -> String? {
    try String.fetchOne(db, sql: "SELECT passwordHash FROM user WHERE id = ?", arguments: [id])
  }

  static func mustChange(of id: Int64, in db: Database) throws -> Bool {
    try Bool.fetchOne(db, sql: "SELECT passwordMustChange FROM user WHERE id = ?", arguments: [id]) ?? false
  }

  static func deactivate(_ id: Int64, auditSeq: Int64, in db: Database) throws {
    try db.execute(sql: "UPDATE user SET active = 0, auditSeq = ? WHERE id = ?", arguments: [auditSeq, id])
  }

  static func setRole(of id: Int64, to role: Role, auditSeq: Int64, in db: Database) throws {
    try db.execute(sql: "UPDATE user SET role = ?, auditSeq = ? WHERE id = ?", arguments: [role, auditSeq, id])
  }

  static func totpSecret(of id: Int64, in db: Database) throws -> String? {
    try String.fetchOne(db, sql: "SELECT totpSecret FROM user WHERE id = ?", arguments: [id])
  }

  static func setTOTPSecret(of id: Int64, to secret: String?, auditSeq: Int64, in db: Database) throws {
    try db.execute(
      sql: "UPDATE user SET totpSecret = ?, auditSeq = ? WHERE id = ?", arguments: [secret, auditSeq, id])
  }

  static func setAccount(of id: Int64, to account: String?, in db: Database) throws {
    try db.execute(sql: "UPDATE user SET account = ? WHERE id = ?", arguments: [account, id])
  }
}

/// `webSession`: signed-in web sessions, known by the SHA-256 of their
/// cookie's secret. Every write of the table is here.
enum WebSessionTable {
  struct Live {
    var id: String
    var userId: Int64
    var csrf: String
    var createdAt: String
    var lastSeenAt: String
    var factorPending: Bool
  }

  static func insert(
    id: String, tokenHash: String, userId: Int64, csrf: String, address: String, factorPending: Bool, at: String,
    in db: Database
  ) throws {
    try db.execute(
      sql: """
        INSERT INTO webSession (id, tokenHash, userId, csrf, address, createdAt, lastSeenAt, factorPending)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """, arguments: [id, tokenHash, userId, csrf, address, at, at, factorPending])
  }

  static func live(tokenHash: String, in db: Database) throws -> Live? {
    try Row.fetchOne(
      db,
      sql: """
        SELECT id, userId, csrf, createdAt, lastSeenAt, factorPending FROM webSession
        WHERE tokenHash = ? AND endedAt IS NULL
        """,
      arguments: [tokenHash]
    ).map {
      Live(
        id: $0["id"], userId: $0["userId"], csrf: $0["csrf"], createdAt: $0["createdAt"],
        lastSeenAt: $0["lastSeenAt"], factorPending: $0["factorPending"])
    }
  }

  static func factorDone(_ id: String, in db: Database) throws {
    try db.execute(sql: "UPDATE webSession SET factorPending = 0 WHERE id = ?", arguments: [id])
  }

  static func touch(_ id: String, at: String, in db: Database) throws {
    try db.execute(sql: "UPDATE webSession SET lastSeenAt = ? WHERE id = ?", arguments: [at, id])
  }

  static func end(_ id: String, reason: String, at: String, in db: Database) throws {
    try db.execute(
      sql: "UPDATE webSession SET endedAt = ?, endReason = ? WHERE id = ? AND endedAt IS NULL",
      arguments: [at, reason, id])
  }

  static func endAll(of userId: Int64, reason: String, at: String, in db: Database) throws {
    try db.execute(
      sql: "UPDATE webSession SET endedAt = ?, endReason = ? WHERE userId = ? AND endedAt IS NULL",
      arguments: [at, reason, userId])
  }

  /// When the user's sign-in before `session` started, if any.
  static func previousSignIn(of userId: Int64, before session: String, in db: Database) throws -> String? {
    try String.fetchOne(
      db,
      sql: """
        SELECT max(createdAt) FROM webSession
        WHERE userId = ? AND createdAt < (SELECT createdAt FROM webSession WHERE id = ?)
        """, arguments: [userId, session])
  }
}
