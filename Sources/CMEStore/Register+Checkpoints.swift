import CMEAudit
import CMEDomain
import Foundation
import GRDB

extension Register {
  /// The register's identity: random, made when it was created.
  public func identity() throws -> String {
    try read { db in try MetaTable.value("identity", in: db) ?? "" }
  }

  /// Where the register's checkpoint-signing key is kept by default: beside
  /// the file, never in it.
  public var defaultSigningKeyPath: String { path + ".signing-key" }

  /// Signs the log's head with the register's key (made, at `keyPath` or the
  /// default, the first time: mode 0600, its public half recorded in the log
  /// by a `audit.key` entry).
  public func signedCheckpoint(by session: Session, keyPath: String? = nil) throws -> AuditCheckpoint {
    let key = try signingKey(by: session, creatingAt: keyPath ?? defaultSigningKeyPath)
    return try read(as: session, needs: .backupRegister) { db in
      let r = try Row.fetchOne(db, sql: "SELECT seq, hash FROM auditEntry ORDER BY seq DESC LIMIT 1")
      return try AuditCheckpoint.sign(
        register: try MetaTable.value("identity", in: db) ?? "", sequence: r?["seq"] ?? 0,
        hash: r?["hash"] ?? Digest.zero.hex, at: now, privateKey: key)
    }
  }

  /// The private key's bytes, made and recorded if the register has none.
  func signingKey(by session: Session, creatingAt newPath: String) throws -> [UInt8] {
    let recorded = try read(as: session, needs: .backupRegister) { db in
      (try MetaTable.value("signingKey", in: db), try Register.recordedPublicKey(in: db))
    }
    if let path = recorded.0 {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw StoreError.conflict(
          "the register's signing key \(path) cannot be read; checkpoints cannot be signed without it")
      }
      let key = Array(data)
      guard SigningKey.publicKey(of: key) == recorded.1 else {
        throw StoreError.conflict(
          "\(path) is not the key whose public half the audit log records; checkpoints were not signed")
      }
      return key
    }
    let (privateKey, publicKey) = SigningKey.generate()
    let fd = open(newPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      if errno == EEXIST {
        throw StoreError.conflict(
          "a signing key already exists at \(newPath), but the log does not record it (an earlier checkpoint was interrupted, or the file is another's); nothing was signed. Move the file away, or give the key another path"
        )
      }
      throw StoreError.conflict(
        "the signing key could not be created at \(newPath): \(String(cString: strerror(errno)))")
    }
    let written = privateKey.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
    let synced = fsync(fd)
    close(fd)
    guard written == privateKey.count, synced == 0 else {
      unlink(newPath)
      throw StoreError.conflict("the signing key could not be written at \(newPath)")
    }
    do {
      try write(as: session, needs: .backupRegister) { db, audit in
        try MetaTable.set("signingKey", to: newPath, in: db)
        try audit.append(
          action: .auditKey, entity: "register", entityId: "signing-key",
          after: ["publicKey": publicKey, "path": newPath])
      }
    } catch {
      unlink(newPath)
      throw error
    }
    return privateKey
  }

  /// The public key of the register's signing key, as the log records it.
  static func recordedPublicKey(in db: Database) throws -> String? {
    guard
      let json = try String.fetchOne(
        db, sql: "SELECT after FROM auditEntry WHERE action = ? ORDER BY seq DESC LIMIT 1",
        arguments: [AuditAction.auditKey.rawValue]),
      let object = try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))
    else { return nil }
    return object["publicKey"]
  }

  /// The first problem with `checkpoints` against a log whose chain verified.
  static func checkCheckpoints(_ checkpoints: [AuditCheckpoint], against log: AuditVerification, in db: Database)
    throws -> (text: String, sequence: Int64)?
  {
    guard !checkpoints.isEmpty else { return nil }
    let identity = try MetaTable.value("identity", in: db) ?? ""
    let key = try recordedPublicKey(in: db)
    for c in checkpoints.sorted(by: { $0.sequence < $1.sequence }) {
      guard c.signatureIsValid else {
        return (
          "entry \(c.sequence): the checkpoint of \(c.at) is not validly signed; it was altered or forged", c.sequence
        )
      }
      guard c.register == identity else {
        return (
          "entry \(c.sequence): the checkpoint of \(c.at) is of another register (\(c.register)); this one is \(identity)",
          c.sequence
        )
      }
      guard c.publicKey == key else {
        return (
          "entry \(c.sequence): the checkpoint of \(c.at) was signed by a key the log does not record as this register's",
          c.sequence
        )
      }
      if c.sequence > log.headSequence {
        return (
          "entry \(log.headSequence + 1): missing — the checkpoint of \(c.at) names entry \(c.sequence), but the log ends at entry \(log.headSequence): this is an older copy of the register, or entries \(log.headSequence + 1)–\(c.sequence) were cut",
          log.headSequence + 1
        )
      }
      let hash = try String.fetchOne(db, sql: "SELECT hash FROM auditEntry WHERE seq = ?", arguments: [c.sequence])
      if hash != c.hash {
        return (
          "entry \(c.sequence): its hash differs from the checkpoint of \(c.at); the log was rewritten up to this entry",
          c.sequence
        )
      }
    }
    return nil
  }

  // MARK: - The witness folder

  /// Sets the folder (outside the register's folder) where every write
  /// leaves a signed checkpoint, at most once a minute.
  public func setWitnessFolder(_ folder: String, by session: Session) throws {
    let absolute = (folder as NSString).standardizingPath
    let registerFolder = ((path as NSString).deletingLastPathComponent as NSString).standardizingPath
    let real = { (p: String) -> String in
      guard let r = realpath(p, nil) else { return p }
      defer { free(r) }
      return String(cString: r)
    }
    try? FileManager.default.createDirectory(
      atPath: absolute, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    var info = stat()
    guard stat(absolute, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
      throw InvalidInput(field: "FOLDER", problem: "\(folder) is not a folder that can be made", fix: "Name a folder")
    }
    if real(absolute) == real(registerFolder) || real(absolute).hasPrefix(real(registerFolder) + "/") {
      throw InvalidInput(
        field: "FOLDER", problem: "\(folder) is inside the register's folder",
        fix:
          "Choose a folder elsewhere (another disk or machine), so that whoever changes the register cannot change its witness"
      )
    }
    _ = try signingKey(by: session, creatingAt: defaultSigningKeyPath)
    try write(as: session, needs: .backupRegister) { db, audit in
      try MetaTable.set("witnessFolder", to: real(absolute), in: db)
      try audit.append(
        action: .auditWitness, entity: "register", entityId: "witness", after: ["folder": real(absolute)])
    }
    // The write above left the folder's first checkpoint.
  }

  /// Writes a signed checkpoint into the witness folder if one is set and
  /// the newest there is more than a minute old. Called after every write;
  /// it never fails the write (the register has committed): a checkpoint
  /// that cannot be written is simply missing, which `verify` shows.
  func witness() throws {
    let setting = try read { db in
      (try MetaTable.value("witnessFolder", in: db), try MetaTable.value("signingKey", in: db))
    }
    guard let folder = setting.0, let keyPath = setting.1 else { return }
    let newest =
      ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { $0.hasPrefix("checkpoint-") && $0.hasSuffix(".json") }
      .compactMap { name -> Date? in
        (try? FileManager.default.attributesOfItem(atPath: folder + "/" + name))?[.modificationDate] as? Date
      }.max()
    if let newest, clock().timeIntervalSince(newest) < 60 { return }
    guard let key = FileManager.default.contents(atPath: keyPath) else { return }
    let point = try read { db -> AuditCheckpoint in
      let r = try Row.fetchOne(db, sql: "SELECT seq, hash FROM auditEntry ORDER BY seq DESC LIMIT 1")
      return try AuditCheckpoint.sign(
        register: try MetaTable.value("identity", in: db) ?? "", sequence: r?["seq"] ?? 0,
        hash: r?["hash"] ?? Digest.zero.hex, at: now, privateKey: Array(key))
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let data = try encoder.encode(point)
    let name =
      "\(folder)/checkpoint-\(String(format: "%012lld", point.sequence))-\(point.at.replacingOccurrences(of: ":", with: "")).json"
    let temporary = "\(folder)/.checkpoint-\(UUID().uuidString)"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return }
    let ok = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) } == data.count && fsync(fd) == 0
    close(fd)
    if ok { rename(temporary, name) } else { unlink(temporary) }
  }

  /// Every checkpoint in a folder (or the one file), for `verify`.
  public static func checkpoints(at path: String) throws -> [AuditCheckpoint] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw InvalidInput(
        field: "checkpoint", problem: "\(path) does not exist", fix: "Name a checkpoint file or the witness folder")
    }
    let files =
      isFolder.boolValue
      ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        .map { path + "/" + $0 } : [path]
    return try files.map { file in
      guard let data = FileManager.default.contents(atPath: file),
        let point = try? JSONDecoder().decode(AuditCheckpoint.self, from: data)
      else {
        throw InvalidInput(
          field: "checkpoint", problem: "\(file) is not a signed checkpoint",
          fix: "Give a signed checkpoint file or the witness folder")
      }
      return point
    }
  }
}
