import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Checks a register's file before SQLite opens it, and creates a new one
/// private to the account.
enum RegisterFile {
  /// Makes sure `path` may be opened as a register: an existing file is a
  /// SQLite database with a cme schema (or an empty one), and a missing one
  /// is created (mode 0600, in a folder made 0700) only when `creating`.
  static func prepare(_ path: String, creating: Bool) throws {
    var info = stat()
    if stat(path, &info) != 0 {
      guard errno == ENOENT else {
        throw StoreError.notARegister(path: path, detail: String(cString: strerror(errno)))
      }
      guard creating else {
        throw StoreError.noRegister(path: path)
      }
      try create(path)
      return
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw StoreError.notARegister(path: path, detail: "it is not a file")
    }
    // After a crash or a kill the newest pages may still be in the `-wal`
    // (or a hot `-journal`), and the file's own header stale or empty:
    // SQLite recovers them on opening, and the schema is checked then.
    let recovering = [path + "-wal", path + "-journal"].contains { size(of: $0) > 0 }
    guard info.st_size > 0 else {
      // An empty file: SQLite would make it a database; only a command that
      // creates a register may.
      guard creating || recovering else {
        throw StoreError.notARegister(path: path, detail: "the file is empty")
      }
      return
    }
    guard !recovering else { return }
    try checkHeader(path, latest: Schema.version, creating: creating)
  }

  static func size(of path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : 0
  }

  /// Creates the file (and its folder) private to the account.
  static func create(_ path: String) throws {
    let dir = (path as NSString).deletingLastPathComponent
    if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
      do {
        try FileManager.default.createDirectory(
          atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      } catch {
        throw StoreError.notARegister(path: path, detail: "its folder cannot be created")
      }
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    if fd < 0 {
      guard errno == EEXIST else {
        throw StoreError.notARegister(path: path, detail: String(cString: strerror(errno)))
      }
      return
    }
    close(fd)
  }

  /// Reads the SQLite header (the first 100 bytes) without opening the
  /// database: the magic string, the page count and `user_version`.
  static func checkHeader(_ path: String, latest: Int, creating: Bool) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw StoreError.notARegister(path: path, detail: "it cannot be read")
    }
    defer { try? handle.close() }
    let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
    guard header.count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
      throw StoreError.notARegister(path: path, detail: "it is not a SQLite database")
    }
    func uint32(_ at: Int) -> UInt32 { header[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) } }
    let pages = uint32(28)
    let version = Int(Int32(bitPattern: uint32(60)))
    if version == 0 && pages > 1 {
      throw StoreError.notARegister(path: path, detail: "it holds other tables and no cme schema version")
    }
    if version == 0 && !creating {
      throw StoreError.notARegister(path: path, detail: "it is a database without a cme register in it")
    }
    if version > latest {
      throw StoreError.notARegister(
        path: path,
        detail: "its schema version \(version) is newer than this cme understands (\(latest)); use a newer cme")
    }
  }
}

/// The lock `cme serve` holds on a register for as long as it runs: an
/// exclusive `flock` on a file beside it (`REGISTER.serving`, mode 0600).
/// A second server on the same register, and a restore or a demo that
/// would replace the file under it, are refused while it is held. The lock
/// goes with the process, however it ends.
public final class ServingLock: @unchecked Sendable {
  private let descriptor: Int32

  init(descriptor: Int32) { self.descriptor = descriptor }

  deinit { close(descriptor) }

  static func path(for register: String) -> String { register + ".serving" }

  /// Takes the lock, or says that a server already holds it.
  static func take(for register: String) throws -> ServingLock {
    let fd = open(path(for: register), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw StoreError.conflict(
        "the lock file \(path(for: register)) could not be opened: \(String(cString: strerror(errno)))")
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      close(fd)
      throw StoreError.conflict("another web server is already serving \(register); stop it first")
    }
    return ServingLock(descriptor: fd)
  }

  /// True when a server holds the lock on `register` now.
  static func isHeld(for register: String) -> Bool {
    let fd = open(path(for: register), O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    if flock(fd, LOCK_SH | LOCK_NB) == 0 {
      flock(fd, LOCK_UN)
      return false
    }
    return errno == EWOULDBLOCK
  }
}

extension Register {
  /// Takes the serving lock on this register (``ServingLock``); hold the
  /// value for as long as the server runs.
  public func holdForServing() throws -> ServingLock {
    try ServingLock.take(for: path)
  }
}
