import CMEAudit
import CMEDomain
import Foundation
import GRDB

/// What a backup or a restore found when it checked the copy.
public struct CopyCheck: Sendable, Codable {
  /// The file checked.
  public var path: String
  /// `PRAGMA quick_check` said "ok".
  public var intact: Bool
  /// The audit log's length and head in the copy.
  public var entries: Int64
  public var headHash: String
  /// The first problem with the copy's log, if any.
  public var problem: String?
}

extension Register {
  /// Copies the register into `temporaryPath` while others keep working
  /// (SQLite's online backup: readers and the writer go on), checks the copy
  /// (`quick_check` and the whole audit chain), calls `deliver` to put the
  /// file in place, and only then commits a `register.backup` entry saying
  /// what was copied. A copy that does not check out is refused and nothing
  /// is logged.
  public func backup(to temporaryPath: String, by session: Session, deliver: () throws -> Void) throws -> CopyCheck {
    // Who may take a copy is checked before anything is copied.
    try read(as: session, needs: .backupRegister) { _ in }
    do {
      var config = Configuration()
      config.prepareDatabase { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
      let destination = try DatabaseQueue(path: temporaryPath, configuration: config)
      let progress = self.progress
      try dbQueue.backup(to: destination, pagesPerStep: 4096) { step in
        progress.report("Copying the register (pages)", step.completedPageCount, of: step.totalPageCount)
      }
      try destination.close()
    } catch let e as DatabaseError {
      throw StoreError.from(e)
    }
    let check = try Register.checkCopy(at: temporaryPath, progress: progress)
    if let problem = check.problem {
      throw StoreError.conflict("the copy did not check out, so it was not kept: \(problem)")
    }
    return try write(as: session, needs: .backupRegister) { db, audit in
      try deliver()
      try audit.append(
        action: .registerBackup, entity: "register", entityId: "backup",
        after: ["entries": String(check.entries), "head": check.headHash])
      return check
    }
  }

  /// Checks a copy of a register without changing it: SQLite's
  /// `quick_check`, then the audit chain from the first entry to the last.
  public static func checkCopy(at path: String, progress: WorkProgress = .silent) throws -> CopyCheck {
    guard FileManager.default.fileExists(atPath: path) else { throw StoreError.noRegister(path: path) }
    var config = Configuration()
    config.readonly = true
    do {
      let queue = try DatabaseQueue(path: path, configuration: config)
      defer { try? queue.close() }
      return try queue.read { db in
        guard try db.tableExists("auditEntry") else {
          return CopyCheck(path: path, intact: false, entries: 0, headHash: "", problem: "it is not a register")
        }
        // SQLite's quick_check, the chain, the triggers, the references and
        // every row against the log: what `cme audit verify` checks.
        let log = try Register.verifyLog(in: db, progress: progress)
        return CopyCheck(
          path: path, intact: log.problem == nil, entries: log.headSequence, headHash: log.headHash,
          problem: log.problem)
      }
    } catch let e as DatabaseError {
      throw StoreError.notARegister(path: path, detail: StoreError.from(e).description)
    }
  }

  /// Puts a backup in the register's place: the backup is checked first (a
  /// copy that does not check out is refused and nothing moves), the current
  /// file is kept beside as `keptPath`, the backup is copied in, and a
  /// `register.restore` entry records what was restored over what.
  ///
  /// `account` is the operating-system account restoring: it must be an
  /// admin or a manager in the backup (the register after the restore).
  public static func restore(
    from backupPath: String, to path: String, keepingCurrentAs keptPath: String, account: String
  )
    throws -> (Register, CopyCheck)
  {
    if ServingLock.isHeld(for: path) {
      throw StoreError.conflict(
        "the web server is serving \(path); stop it before restoring (a restore replaces the file under it)")
    }
    let check = try checkCopy(at: backupPath)
    if let problem = check.problem {
      throw StoreError.conflict("\(backupPath) does not check out, so nothing was restored: \(problem)")
    }
    // The current register's head, before it is replaced.
    var previous = (entries: Int64(0), head: "")
    let exists = FileManager.default.fileExists(atPath: path)
    if exists {
      let current = try DatabaseQueue(path: path)
      try current.writeWithoutTransaction { db in _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
      if let r = try current.read({ db in
        try Row.fetchOne(db, sql: "SELECT seq, hash FROM auditEntry ORDER BY seq DESC LIMIT 1")
      }) {
        previous = (r["seq"], r["hash"])
      }
      try current.close()
    }
    // The restored register is made complete beside the current one — the
    // backup's copy with its restore entry in it — and only then renamed over
    // it, in one step: a failure or a kill at any moment leaves the register
    // at `path` either as it was or restored, never neither.
    let folder = (path as NSString).deletingLastPathComponent
    let temporary =
      (folder.isEmpty ? "" : folder + "/")
      + ".\((path as NSString).lastPathComponent).restore-\(UUID().uuidString.prefix(8))"
    defer {
      for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
    }
    try copyDurably(backupPath, to: temporary)
    do {
      let restored = try Register(path: temporary, creating: false)
      let session = try restored.commandLineSession(account: account, requested: nil)
      _ = try restored.write(as: session, needs: .backupRegister) { _, audit in
        // An older copy is what a restore is for: it is not refused, and the
        // entry records how far the register had gone (the kept file holds
        // the entries after the copy's head).
        try audit.append(
          action: .registerRestore, entity: "register", entityId: "restore",
          after: [
            "from": backupPath, "restoredEntries": String(check.entries), "restoredHead": check.headHash,
            "previousKeptAs": previous.entries > 0 ? keptPath : "", "previousEntries": String(previous.entries),
            "previousHead": previous.head,
          ])
      }
      try restored.setting(pragma: "PRAGMA wal_checkpoint(TRUNCATE)")
    }
    // The current file keeps a second name (a hard link: nothing is copied
    // and nothing moves), then the restored one takes its place.
    if exists {
      guard link(path, keptPath) == 0 else {
        throw StoreError.conflict(
          "the current register could not be kept as \(keptPath): \(String(cString: strerror(errno)))")
      }
    }
    for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    guard rename(temporary, path) == 0 else {
      throw StoreError.conflict("the backup could not be put in place at \(path): \(String(cString: strerror(errno)))")
    }
    let directory = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if directory >= 0 {
      fsync(directory)
      close(directory)
    }
    return (try Register(path: path, creating: false), check)
  }

  /// Copies a file to `destination` (mode 0600) and makes it durable.
  static func copyDurably(_ source: String, to destination: String) throws {
    let input = open(source, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { throw StoreError.noRegister(path: source) }
    defer { close(input) }
    let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard output >= 0 else {
      throw StoreError.conflict("\(destination) could not be created: \(String(cString: strerror(errno)))")
    }
    defer { close(output) }
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = buffer.withUnsafeMutableBytes { Foundation.read(input, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n >= 0 else {
        throw StoreError.conflict("\(source) could not be read: \(String(cString: strerror(errno)))")
      }
      if n == 0 { break }
      var offset = 0
      while offset < n {
        let w = buffer.withUnsafeBytes { Foundation.write(output, $0.baseAddress! + offset, n - offset) }
        guard w > 0 else {
          throw StoreError.conflict("\(destination) could not be written: \(String(cString: strerror(errno)))")
        }
        offset += w
      }
    }
    guard fsync(output) == 0 else {
      throw StoreError.conflict("\(destination) could not be written: \(String(cString: strerror(errno)))")
    }
  }
}
