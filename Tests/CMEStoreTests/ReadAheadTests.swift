import CMEDomain
import CMETestSupport
import Foundation
import GRDB
import Testing

@testable import CMEStore

/// Whole-register passes read their next batches on other connections
/// (`ReadAhead.swift`): what they hand over is what the caller's own
/// connection reads, in order, and in the caller's state of the register.
struct ReadAheadTests {
  /// Each batch's cases as `db` reads them: reference and rating.
  @Sendable static func lines(_ db: Database, _ ids: [Int64]) throws -> [String] {
    try String.fetchAll(
      db,
      sql:
        "SELECT reference || ' ' || ifnull(rag, '-') FROM cmeCase WHERE id IN (\(ids.map(String.init).joined(separator: ","))) ORDER BY id"
    )
  }

  @Test func batches_come_in_order_as_the_callers_connection_reads_them() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 120, seed: 3, in: dir)
    let ids = try register.read { try Int64.fetchAll($0, sql: "SELECT id FROM cmeCase ORDER BY id") }
    let whole = try register.read { try Self.lines($0, ids) }
    #expect(whole.count > 100)
    for size in [1, 7, 50, 10_000] {
      for readers in [1, 2, 3] {
        var seen: [String] = []
        try register.read { db in
          try Register.readAhead(
            Register.idBatches(ids, batch: size), file: register.path, in: db, readers: readers, produce: Self.lines
          ) { seen += $0 }
        }
        #expect(seen == whole, "batch \(size), \(readers) readers")
      }
    }
  }

  @Test func an_error_while_using_a_batch_stops_the_pass_and_is_thrown() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 120, seed: 3, in: dir)
    let ids = try register.read { try Int64.fetchAll($0, sql: "SELECT id FROM cmeCase ORDER BY id") }
    struct Stop: Error {}
    var used = 0
    #expect(throws: Stop.self) {
      try register.read { db in
        try Register.readAhead(Register.idBatches(ids, batch: 3), file: register.path, in: db, produce: Self.lines) {
          _ in
          used += 1
          if used == 5 { throw Stop() }
        }
      }
    }
    #expect(used == 5)
  }

  /// A change committed by someone else after the caller's read began: the
  /// readers would see it, so the pass is read on the caller's connection
  /// and shows the register as the caller sees it.
  @Test func a_change_committed_after_the_caller_began_is_not_seen() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 120, seed: 3, in: dir)
    let ids = try register.read { try Int64.fetchAll($0, sql: "SELECT id FROM cmeCase ORDER BY id") }
    let other = try Register(path: register.path, creating: false)
    // An open case late in the list, changed by another user.
    let openId = try #require(
      try register.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM cmeCase WHERE status = 'open'") })
    let at = try #require(ids.firstIndex(of: openId))
    let line = try register.read { try Self.lines($0, ids) }[at].split(separator: " ")
    #expect(at > 20)
    let reference = try CaseReference.parse(String(line[0]), field: "case")
    let ratings = [RAG.red, .amber, .green].filter { $0.rawValue != line[1] }
    for readers in [1, 2] {
      var expected: [String] = []
      var seen: [String] = []
      try register.read { db in
        // The caller's state is fixed by its first read.
        expected = try Self.lines(db, ids)
        try Register.readAhead(
          Register.idBatches(ids, batch: 10), file: register.path, in: db, readers: readers,
          beforeReaders: {
            _ = try other.setRating(
              reference, to: ratings[readers - 1], reason: "Seen at home", by: try other.session("me"),
              today: testToday)
          }, produce: Self.lines
        ) { seen += $0 }
      }
      #expect(seen == expected, "\(readers) readers")
      // Afterwards the change is there for everyone.
      #expect(try register.read { try Self.lines($0, ids) }[at] == "\(line[0]) \(ratings[readers - 1].rawValue)")
    }
  }

  /// A meeting's agenda and the team's caseloads read ahead (many batches)
  /// are those read in one batch, and the log still checks out.
  @Test func a_meeting_and_the_team_read_ahead_are_those_read_in_one_batch() throws {
    func made(batch: Int) throws -> (agenda: [String], team: [CaseloadLine], intact: Bool) {
      let dir = TemporaryDirectory()
      let register = try demoRegister(children: 300, seed: 6, in: dir)
      let me = try register.session("me")
      let (m, count) = try register.createMeeting(
        date: testToday, chair: "SD", attendees: [], by: me, today: testToday, batch: batch)
      let (_, agenda) = try register.meetingAgenda(m.id, by: me)
      #expect(agenda.count == count)
      return (
        agenda.map { "\($0.reference) \($0.reasons)" }, try register.team(by: me, today: testToday, batch: batch),
        try register.verifyAudit(by: me).isIntact
      )
    }
    let whole = try made(batch: 10_000)
    #expect(whole.agenda.count > 10 && whole.intact)
    for size in [1, 7] {
      let ahead = try made(batch: size)
      #expect(ahead.agenda == whole.agenda, "batch \(size)")
      #expect(ahead.team == whole.team, "batch \(size)")
      #expect(ahead.intact, "batch \(size)")
    }
  }

  /// Work read beside the caller (the pack's trend and actions by agency)
  /// gives what the caller's connection reads; with no file it is read on
  /// the caller's connection when taken.
  @Test func work_read_beside_is_what_the_caller_reads() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 120, seed: 3, in: dir)
    let ids = try register.read { try Int64.fetchAll($0, sql: "SELECT id FROM cmeCase ORDER BY id") }
    let whole = try register.read { try Self.lines($0, ids) }
    for file in [register.path, nil] {
      let seen = try register.read { db in
        let beside = try Register.readBeside(file: file, in: db) { try Self.lines($0, ids) }
        defer { beside.wait() }
        // The caller reads on meanwhile.
        #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM cmeCase") == ids.count)
        return try beside.value(in: db)
      }
      #expect(seen == whole, "\(file ?? "no file")")
    }
  }

  /// A change committed by someone else after the caller's read began is
  /// not seen beside it: the work is read again on the caller's connection.
  @Test func work_read_beside_keeps_the_callers_state() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 120, seed: 3, in: dir)
    let other = try Register(path: register.path, creating: false)
    let ids = try register.read { try Int64.fetchAll($0, sql: "SELECT id FROM cmeCase ORDER BY id") }
    let openId = try #require(
      try register.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM cmeCase WHERE status = 'open'") })
    let at = try #require(ids.firstIndex(of: openId))
    let line = try register.read { try Self.lines($0, ids) }[at].split(separator: " ")
    let reference = try CaseReference.parse(String(line[0]), field: "case")
    let rating = try #require([RAG.red, .amber, .green].first { $0.rawValue != line[1] })
    var expected: [String] = []
    let seen = try register.read { db in
      expected = try Self.lines(db, ids)
      _ = try other.setRating(
        reference, to: rating, reason: "Seen at home", by: try other.session("me"), today: testToday)
      let beside = try Register.readBeside(file: register.path, in: db) { try Self.lines($0, ids) }
      return try beside.value(in: db)
    }
    #expect(seen == expected)
    #expect(seen[at] == "\(line[0]) \(line[1])")
    #expect(try register.read { try Self.lines($0, ids) }[at] == "\(line[0]) \(rating.rawValue)")
  }

  /// Work that fails beside the caller, or a file that cannot be opened, is
  /// done again on the caller's connection, where its error is the caller's.
  @Test func work_that_fails_beside_is_done_again_by_the_caller() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 20, seed: 3, in: dir)
    struct Refused: Error {}
    // Fails on a connection reading beside (its smaller page cache tells it apart).
    @Sendable func onTheCallers(_ db: Database) throws -> String {
      guard try Int.fetchOne(db, sql: "PRAGMA cache_size") != -8192 else { throw Refused() }
      return "the caller's"
    }
    let (failed, missing) = try register.read { db in
      let failed = try Register.readBeside(file: register.path, in: db, onTheCallers)
      let missing = try Register.readBeside(file: dir.path + "/no-such-register.sqlite", in: db) { _ in "read" }
      return (try failed.value(in: db), try missing.value(in: db))
    }
    #expect(failed == "the caller's" && missing == "read")
    #expect(throws: Refused.self) {
      try register.read { db in
        try Register.readBeside(file: register.path, in: db) { _ in throw Refused() }.value(in: db)
      }
    }
  }
}
