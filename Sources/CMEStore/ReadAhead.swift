import CMEAudit
import Foundation
import GRDB

// Whole-register passes (the register check's export, a meeting's agenda,
// the team's caseloads) read the open cases a batch at a time. Reading a
// batch is mostly SQLite's own lookups on one core; what is done with it
// (the assessment, a line written, the agenda's rows inserted) is as much
// again. Read ahead, on other connections to the register file and other
// threads, the two overlap on a machine's cores.
//
// The readers must see exactly what the caller's transaction sees. Each
// opens a read transaction and compares the head of the log (the last
// entry's sequence number and hash) with the caller's: every change to a
// recorded table appends an entry in its transaction, so the same head is
// the same register. A caller that writes holds the write lock, so nothing
// can commit between its reading and the readers'; a caller that only reads
// can be overtaken by another user's change, and then the batches not yet
// read are read on the caller's own connection, as without readers.
extension Register {
  /// Connections reading ahead in a whole-register pass.
  static let aheadReaders = 2

  /// Hands `consume`, on the calling thread and in order, what `produce`
  /// makes of each of `batches`, read on `readers` connections of their own
  /// to the register file at `path`, in the same state as `db` (see above).
  /// A reader that cannot open the file, sees another state or fails leaves
  /// the batches not yet handed over to be read on `db`, where an error is
  /// thrown as it would be without readers. `beforeReaders` runs once the
  /// caller's state is read and before the readers start (for tests).
  static func readAhead<T: Sendable>(
    _ batches: [[Int64]], file path: String, in db: Database, readers: Int = aheadReaders,
    beforeReaders: () throws -> Void = {},
    produce: @escaping @Sendable (Database, [Int64]) throws -> T, consume: (T) throws -> Void
  ) throws {
    guard batches.count > 1, readers > 0 else {
      for batch in batches { try consume(try produce(db, batch)) }
      return
    }
    let head = try logHead(in: db)
    try beforeReaders()
    let pipe = BatchPipe<T>(readers: readers, window: readers)
    for k in 0..<readers {
      DispatchQueue.global().async {
        defer { pipe.finished() }
        do {
          try readingAlongside(file: path, head: head) { own in
            for i in stride(from: k, to: batches.count, by: readers) {
              guard pipe.waitForRoom(i) else { return }
              pipe.put(i, try produce(own, batches[i]))
            }
          }
        } catch {
          pipe.fail()
        }
      }
    }
    defer {
      pipe.cancel()
      pipe.waitUntilFinished()
    }
    for i in batches.indices {
      guard let batch = pipe.take(i) else {
        // A reader stopped: the rest on the caller's connection, once the
        // readers have finished.
        pipe.cancel()
        pipe.waitUntilFinished()
        for rest in batches[i...] { try consume(try produce(db, rest)) }
        return
      }
      try consume(batch)
    }
  }

  /// Starts `work` on a connection of its own to the register file at
  /// `path`, on another thread, in the same state as `db` (as a reader
  /// ahead checks it): the caller goes on with other reading meanwhile and
  /// takes the result with ``ReadBeside/value(in:)``. Work that cannot be
  /// done there (the file cannot be opened, another state is seen, or it
  /// fails) is done again on `db` when its value is taken, where an error is
  /// thrown in the caller's own words. With no `path`, nothing starts, and
  /// the work is done on `db` when taken.
  static func readBeside<T: Sendable>(
    file path: String?, in db: Database, _ work: @escaping @Sendable (Database) throws -> T
  ) throws -> ReadBeside<T> {
    guard let path, !path.isEmpty else { return ReadBeside(work, running: false) }
    let head = try logHead(in: db)
    let beside = ReadBeside(work, running: true)
    DispatchQueue.global().async {
      var value: T?
      try? readingAlongside(file: path, head: head) { own in value = try work(own) }
      beside.finish(value)
    }
    return beside
  }

  /// Opens a read-only connection to the register file at `path` and runs
  /// `body` in a read transaction on it, if its log ends at `head` (the
  /// caller's state); else throws.
  private static func readingAlongside(file path: String, head: String, _ body: (Database) throws -> Void) throws {
    var config = Configuration()
    config.readonly = true
    config.prepareDatabase { db in
      for pragma in Register.readingPragmas { try db.execute(sql: pragma) }
      // A smaller page cache than the caller's (8 MiB): the pages come
      // mapped, and a pass's heap stays within a few batches.
      try db.execute(sql: "PRAGMA cache_size = -8192")
    }
    let queue = try DatabaseQueue(path: path, configuration: config)
    try queue.read { own in
      guard try logHead(in: own) == head else { throw ReadAheadStopped() }
      try body(own)
    }
  }

  /// The last entry of the log as `db` sees it (sequence number and hash),
  /// and the schema's version: a migration changes the schema without an
  /// entry of its own.
  static func logHead(in db: Database) throws -> String {
    let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM auditEntry ORDER BY seq DESC LIMIT 1")
    let schema = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
    return (row.map { "\($0[0] as Int64) \($0[1] as String? ?? "")" } ?? "empty") + " schema \(schema)"
  }
}

/// A reader saw another state of the register than its caller.
private struct ReadAheadStopped: Error {}

/// The batches read ahead, handed over in order, at most `window` ahead of
/// the one the caller is using.
private final class BatchPipe<T>: @unchecked Sendable {
  private let condition = NSCondition()
  private var ready: [Int: T] = [:]
  private var next = 0
  private var failed = false
  private var cancelled = false
  private var running: Int
  private let window: Int

  init(readers: Int, window: Int) {
    running = readers
    self.window = window
  }

  /// Waits until batch `i` may be read; false when the pass is over.
  func waitForRoom(_ i: Int) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while i >= next + window && !cancelled { condition.wait() }
    return !cancelled
  }

  func put(_ i: Int, _ value: T) {
    condition.lock()
    ready[i] = value
    condition.broadcast()
    condition.unlock()
  }

  /// Batch `i` once read; nil once a reader has stopped without it.
  func take(_ i: Int) -> T? {
    condition.lock()
    defer { condition.unlock() }
    while ready[i] == nil && !failed { condition.wait() }
    guard let value = ready.removeValue(forKey: i) else { return nil }
    next = i + 1
    condition.broadcast()
    return value
  }

  func fail() {
    condition.lock()
    failed = true
    condition.broadcast()
    condition.unlock()
  }

  func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
  }

  func finished() {
    condition.lock()
    running -= 1
    condition.broadcast()
    condition.unlock()
  }

  func waitUntilFinished() {
    condition.lock()
    while running > 0 { condition.wait() }
    condition.unlock()
  }
}

/// Work on a connection beside the caller's (``Register/readBeside(file:in:_:)``).
final class ReadBeside<T: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private let work: @Sendable (Database) throws -> T
  private var running: Bool
  private var result: T?

  /// `running`: a reader has been started for `work`.
  init(_ work: @escaping @Sendable (Database) throws -> T, running: Bool) {
    self.work = work
    self.running = running
  }

  /// The reader's result, or nil when it had none; its connection is closed.
  func finish(_ value: T?) {
    condition.lock()
    result = value
    running = false
    condition.broadcast()
    condition.unlock()
  }

  /// Waits until the reader is done with the register file.
  func wait() {
    condition.lock()
    while running { condition.wait() }
    condition.unlock()
  }

  /// The work's result: the reader's, or done now on `db` if it had none.
  func value(in db: Database) throws -> T {
    wait()
    condition.lock()
    let value = result
    condition.unlock()
    return try value ?? work(db)
  }
}
