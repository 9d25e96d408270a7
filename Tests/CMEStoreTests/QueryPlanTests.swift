import CMEDomain
import CMETestSupport
import GRDB
import Testing

@testable import CMEStore

/// Queries whose plan decides whether a national register answers in a
/// second or in hours. SQLite has no statistics (no `ANALYZE`), so it
/// prefers the index with the most constraints it can use; these tests pin
/// the plans that matter.
struct QueryPlanTests {
  func plan(_ sql: String, _ arguments: StatementArguments, on path: String) throws -> String {
    let db = try DatabaseQueue(path: path)
    return try db.read { db in
      try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        .joined(separator: "\n")
    }
  }

  @Test func the_packs_agenda_finds_each_cases_actions_by_case() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 50, seed: 1, in: dir)
    let p = try plan(
      Register.agendaItemsSQL, ["day": testToday.description, "meeting": 1], on: register.path)
    // By the index on the case, never by the one on state and due date
    // (every overdue live action read again for each case on the agenda).
    #expect(p.contains("caseAction_case"), "\(p)")
    #expect(!p.contains("caseAction_live"), "\(p)")
  }
}
