import CMEAudit
import CMEDomain
import Foundation
import GRDB
import GRDBSQLite

/// A CME register: one SQLite file.
///
/// Every method that changes the register runs in one transaction that also
/// appends its audit entry, so an error, a crash or a kill leaves the file as
/// it was. Methods take the acting user's name and check their role first.
public struct Register: Sendable {
  /// The register file.
  public let path: String
  /// One connection for the command line; a pool for the server, whose
  /// reads run side by side with each other and with one writer (WAL).
  let dbQueue: any DatabaseWriter
  let clock: @Sendable () -> Date
  /// bcrypt's cost for passwords set from now on. Only the package's tests
  /// lower it, to keep them quick; a hash records its own cost, so a
  /// password set at any cost still verifies.
  public var passwordCost: UInt8 = WebSessionLimits.bcryptCost
  /// Where long work reports how far it has got (silent unless set).
  public var progress = WorkProgress.silent

  /// Opens the register at `path`, upgrading an older one; with `creating`,
  /// creates it first if it does not exist.
  ///
  /// A new register is private to the account: the file is created mode
  /// 0600 (SQLite gives its `-wal` and `-shm` the same mode) and a folder
  /// made for it 0700. Without `creating`, a path where no file exists is
  /// refused and nothing is created. A file that is not a register (not
  /// SQLite, another program's database, one from a newer `cme`) is refused
  /// before SQLite writes to it, so it is left byte for byte as it was.
  ///
  /// - Parameters:
  ///   - clock: where "now" comes from for timestamps.
  ///   - concurrentReads: open a pool of connections, for a server whose
  ///     requests read at the same time.
  public init(
    path: String, creating: Bool = true, concurrentReads: Bool = false,
    clock: @escaping @Sendable () -> Date = { Date() }
  ) throws {
    self.path = path
    self.clock = clock
    try RegisterFile.prepare(path, creating: creating)
    var config = Configuration()
    config.foreignKeysEnabled = true
    config.busyMode = .timeout(10)
    config.prepareDatabase { db in
      try db.execute(sql: "PRAGMA journal_mode = WAL")
      // FULL: a commit is on disk before it returns, so no checkpoint signed
      // after it can name an entry a power cut then loses.
      try db.execute(sql: "PRAGMA synchronous = FULL")
      for pragma in Register.readingPragmas { try db.execute(sql: pragma) }
    }
    do {
      if concurrentReads {
        let queue = try DatabaseQueue(path: path, configuration: config)
        try Register.migrate(queue, path: path)
        try queue.close()
        config.maximumReaderCount = 4
        dbQueue = try DatabasePool(path: path, configuration: config)
      } else {
        let queue = try DatabaseQueue(path: path, configuration: config)
        try Register.migrate(queue, path: path)
        dbQueue = queue
      }
    } catch let e as DatabaseError {
      if case .database(let words) = StoreError.from(e) {
        throw StoreError.notARegister(path: path, detail: words)
      }
      throw StoreError.notARegister(path: path, detail: "SQLite refused to open it")
    }
  }

  /// Reports read large parts of a big register at random: map the file
  /// (no read system call per page) and keep a larger page cache. Every
  /// connection, including those reading ahead (``readAhead(_:file:in:readers:beforeReaders:produce:consume:)``).
  static let readingPragmas = ["PRAGMA mmap_size = 4294967296", "PRAGMA cache_size = -65536"]

  /// Creates the schema in an empty file, or applies the migrations a file lacks.
  ///
  /// - Parameters:
  ///   - schema: the SQL of a new register (``Schema/sql``).
  ///   - version: the version that SQL declares (``Schema/version``).
  ///   - migrations: the steps from each older version (``Schema/migrations``).
  static func migrate(
    _ dbQueue: DatabaseQueue, path: String, schema: String = Schema.sql, version latest: Int = Schema.version,
    migrations: @autoclosure () -> [(version: Int, sql: String)] = Schema.migrations
  ) throws {
    try dbQueue.writeWithoutTransaction { db in
      let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
      if version == 0 {
        let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
        guard tables == 0 else {
          throw StoreError.notARegister(path: path, detail: "it holds other tables and no cme schema version")
        }
        try db.inTransaction {
          try db.execute(sql: schema)
          return .commit
        }
        return
      }
      // A register at the latest version (every command, nearly always)
      // needs no migration: the schema's sections are not even read.
      if version == latest { return }
      guard version <= latest else {
        throw StoreError.notARegister(
          path: path,
          detail: "its schema version \(version) is newer than this cme understands (\(latest)); use a newer cme")
      }
      // Foreign keys off while a migration rebuilds a table (SQLite's own
      // procedure for a change ALTER TABLE cannot make), and every key
      // checked before the migration commits.
      try db.execute(sql: "PRAGMA foreign_keys = OFF")
      defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
      for m in migrations() where m.version > version {
        try db.inTransaction {
          try db.execute(sql: m.sql)
          if let broken = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
            let table: String = broken[0]
            let parent: String = broken[2]
            throw StoreError.notARegister(
              path: path,
              detail:
                "schema version \(m.version) was not applied: a row of \(table) names a \(parent) that is not there; nothing was changed"
            )
          }
          try db.execute(sql: "PRAGMA user_version = \(m.version)")
          return .commit
        }
      }
    }
  }

  /// The current time as the register stores it.
  var now: String { Timestamp.iso(clock()) }

  /// Runs a read, translating SQLite's errors.
  func read<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try dbQueue.read(body)
    } catch let e as DatabaseError {
      throw StoreError.from(e)
    } catch is RowDecodingError {
      throw StoreError.undecodable
    }
  }

  /// Runs `body` in one read transaction as `session`'s user, who must hold
  /// `permission` (checked inside the same transaction, against the user's
  /// role as the register holds it now).
  func read<T>(as session: Session, needs permission: Permission?, _ body: (Database) throws -> T) throws -> T {
    try read { db in
      let user = try Register.current(session, in: db)
      if let permission { try user.require(permission) }
      return try body(db)
    }
  }

  /// Runs `body` in one write transaction as `session`'s user, who must hold
  /// `permission`.
  ///
  /// The user is read again inside the transaction: one deactivated, or
  /// given another role, since the session was made is held to what the
  /// register says now. `body` appends its audit entries through the
  /// ``AuditWriter`` it is given. Anything thrown rolls back the data and
  /// the entries together.
  ///
  /// With `recordingRowsInBulk`, the rows the transaction changes are not
  /// noted one by one: `body` records them itself
  /// (``RowRecords/recordAll(entry:writtenBy:in:)``) and gives the digest to
  /// its entry. For a bulk load that writes millions of rows under one
  /// entry, on a connection of its own (one that has never noted rows: the
  /// demo's new file).
  ///
  /// With `entriesOnly`, `body` changes no row: it only appends entries (a
  /// case viewed, a search, an export logged). The rows are then not noted
  /// (a command line's connection is spared making the triggers that note
  /// them), and SQLite's count of the rows the transaction changed must equal
  /// the entries appended, or it rolls back.
  func write<T>(
    as session: Session, needs permission: Permission?, recordingRowsInBulk: Bool = false,
    entriesOnly: Bool = false, _ body: (Database, inout AuditWriter) throws -> T
  ) throws -> T {
    do {
      let result = try dbQueue.write { db in
        let user = try Register.current(session, in: db)
        if let permission { try user.require(permission) }
        var audit = try AuditWriter(
          db: db, actor: user, channel: session.channel, at: now,
          noting: recordingRowsInBulk ? .bulk : entriesOnly ? .entriesOnly : .eachRow)
        let result = try body(db, &audit)
        try audit.finish()
        return result
      }
      // Committed: leave a signed checkpoint with the witness, if one is set.
      try? witness()
      return result
    } catch let e as DatabaseError {
      throw StoreError.from(e)
    } catch is RowDecodingError {
      // GRDB's message quotes the whole row: a child's data stays out of it.
      throw StoreError.undecodable
    }
  }

  /// The session's user as the register holds them now, or
  /// ``AccessDenied/unknownUser(_:)`` if they are no longer an active user.
  static func current(_ session: Session, in db: Database) throws -> User {
    guard let row = try UserRow.filter(UserRow.Columns.id == session.user.id).active().fetchOne(db) else {
      throw AccessDenied.unknownUser(session.user.name)
    }
    return row.user
  }

  /// Resolves the user called `name`, coming through `channel`, into the
  /// session that every other method of the register takes.
  ///
  /// - Throws: ``AccessDenied/unknownUser(_:)`` when no active user has that name.
  package func session(for name: String, channel: Channel) throws -> Session {
    Session(user: try read { db in try Register.user(named: name, in: db) }, channel: channel)
  }

  /// Bulk writes (the demo, imports) keep more of the file in memory: a
  /// 256 MiB page cache instead of 64 MiB, for this connection.
  func useBulkPageCache() throws {
    try setting(pragma: "PRAGMA cache_size = -262144")
  }

  /// Runs a statement that changes how this connection works (a `PRAGMA`),
  /// outside any transaction, translating SQLite's errors.
  func setting(pragma sql: String) throws {
    do {
      try dbQueue.writeWithoutTransaction { try $0.execute(sql: sql) }
    } catch let e as DatabaseError {
      throw StoreError.from(e)
    }
  }

  static func user(named name: String, in db: Database) throws -> User {
    guard let row = try UserRow.filter(UserRow.Columns.name == name).active().fetchOne(db) else {
      throw AccessDenied.unknownUser(name)
    }
    return row.user
  }

  /// A value from the `meta` table.
  public func meta(_ key: String) throws -> String? {
    try read { db in try MetaTable.value(key, in: db) }
  }

  /// True when the register holds no users yet (`cme init` has not run).
  public func isEmpty() throws -> Bool {
    try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM user") == 0 }
  }
}

/// Appends audit entries inside a write transaction.
///
/// Rows written in the transaction name ``nextSequence`` in their `auditSeq`
/// column: the entry that the next ``append(action:entity:entityId:childId:caseId:reason:before:after:)``
/// writes.
struct AuditWriter {
  let db: Database
  let actor: User
  let channel: Channel
  let at: String
  private(set) var nextSequence: Int64
  private var head: Digest
  /// How the rows the transaction changes are recorded.
  let noting: RowNoting
  /// SQLite's count of rows changed by the connection, and the entries
  /// appended, when the entries alone began (``RowNoting/entriesOnly``).
  private var changesAtStart: Int64 = 0
  private var appended: Int64 = 0

  /// How a write transaction's changed rows reach the log's records.
  enum RowNoting {
    /// Temporary triggers note each row changed; the next entry records them.
    case eachRow
    /// A bulk load records its rows itself and gives each entry their digest.
    case bulk
    /// No row changes: the transaction appends entries only, each recording
    /// no row. Checked at the end against SQLite's count of changes.
    case entriesOnly
  }

  /// Starts the log's part of a write transaction: from here, every row the
  /// transaction changes in a recorded table is noted, and recorded by the
  /// next entry appended (``RowRecords``).
  ///
  /// A register whose last entry records no rows was made before the log
  /// recorded them: its rows as they are now are first recorded by an entry
  /// of their own (`audit.rowsRecorded`), once.
  init(db: Database, actor: User, channel: Channel, at: String, noting: RowNoting = .eachRow) throws {
    self.db = db
    self.actor = actor
    self.channel = channel
    self.at = at
    self.noting = noting
    if noting == .eachRow { try RowRecords.installCapture(in: db) }
    if let row = try Row.fetchOne(db, sql: "SELECT seq, hash, rowsDigest FROM auditEntry ORDER BY seq DESC LIMIT 1") {
      nextSequence = (row["seq"] as Int64) + 1
      head = Digest(hex: row["hash"]) ?? .zero
      if row["rowsDigest"] as String? == nil {
        let count = try RowRecords.tables.reduce(0) {
          $0 + (try Int.fetchOne(db, sql: "SELECT count(*) FROM \($1.name)") ?? 0)
        }
        let rows = try RowRecords.recordAll(entry: nextSequence, writtenBy: nil, in: db)
        try append(
          action: .rowsRecorded, entity: "register", entityId: "-",
          reason: "the register's \(count) rows as they were when cme first recorded rows", rowsDigest: rows)
      }
    } else {
      nextSequence = 1
      head = .zero
    }
    changesAtStart = Self.totalChanges(db)
    appended = 0
  }

  /// Checks, at the end of the transaction, that every row it changed was
  /// recorded by an entry; refuses (rolling back) otherwise.
  func finish() throws {
    if noting == .entriesOnly {
      if Self.totalChanges(db) - changesAtStart != appended {
        throw StoreError.unrecorded("a write that records no row changed rows")
      }
      return
    }
    guard noting == .eachRow else { return }
    let left = try RowRecords.unrecorded(in: db)
    if !left.isEmpty {
      throw StoreError.unrecorded("no entry follows the change to " + left.joined(separator: ", "))
    }
  }

  /// Rows the connection has inserted, updated or deleted since it opened,
  /// triggers' changes included (64 bits: a server's connection lives long).
  static func totalChanges(_ db: Database) -> Int64 {
    sqlite3_total_changes64(db.sqliteConnection)
  }

  static let encoder: JSONEncoder = {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return e
  }()

  static func json(_ value: (any Encodable)?) throws -> String? {
    guard let value else { return nil }
    if let flat = value as? [String: String] { return flatJSON(flat) }
    if let flat = value as? [String: AuditValue] { return flatJSON(flat) }
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  /// A flat object of texts as ``encoder`` writes it (keys sorted, slashes
  /// as they are), built directly: most entries are such objects, and bulk
  /// imports write one per row.
  static func flatJSON(_ object: [String: String]) -> String {
    var out: [UInt8] = [UInt8(ascii: "{")]
    for (i, key) in JSONText.sortedKeys(Array(object.keys)).enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      JSONText.appendString(key, to: &out)
      out.append(UInt8(ascii: ":"))
      JSONText.appendString(object[key]!, to: &out)
    }
    out.append(UInt8(ascii: "}"))
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends one entry, sealed onto the chain, with the records of the rows
  /// changed since the last one (or, from a bulk load, `rowsDigest` of the
  /// records it made itself).
  @discardableResult
  mutating func append(
    action: AuditAction, entity: String, entityId: String, childId: Int64? = nil, caseId: Int64? = nil,
    reason: String? = nil, before: (any Encodable)? = nil, after: (any Encodable)? = nil, rowsDigest: Digest? = nil
  ) throws -> Int64 {
    let noted: Digest? =
      switch noting {
      case .eachRow: try RowRecords.record(entry: nextSequence, in: db)
      case .entriesOnly: RowRecords.noRecords
      case .bulk: nil
      }
    guard let rows = rowsDigest ?? noted else {
      throw StoreError.unrecorded("a bulk write's entry came without the records of its rows")
    }
    let entry = AuditEntry(
      sequence: nextSequence, at: at, actor: actor.name, action: action.rawValue, entity: entity,
      entityId: entityId, childId: childId, caseId: caseId, reason: reason,
      before: try Self.json(before), after: try Self.json(after), channel: channel.description, rowsDigest: rows)
    let sealed = AuditChain.seal(entry, after: head)
    let insert = try db.cachedStatement(
      sql: """
        INSERT INTO auditEntry (seq, at, actor, action, entity, entityId, childId, caseId, reason,
          before, after, payloadDigest, hash, channel, rowsDigest)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    try insert.execute(
      arguments: [
        entry.sequence, entry.at, entry.actor, entry.action, entry.entity, entry.entityId,
        entry.childId, entry.caseId, entry.reason, entry.before, entry.after,
        sealed.payloadDigest.hex, sealed.hash.hex, entry.channel, rows.hex,
      ])
    head = sealed.hash
    nextSequence += 1
    appended += 1
    return entry.sequence
  }
}
