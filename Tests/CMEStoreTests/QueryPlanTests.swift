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
      Register.overdueEscalationsSQL(ofCases: "1,2,3,5,8,13"), ["day": testToday.description], on: register.path)
    // By the index on the case, never by the one on state and due date
    // (every overdue live action read again for each case on the agenda).
    #expect(p.contains("caseAction_case"), "\(p)")
    #expect(!p.contains("caseAction_live"), "\(p)")
  }

  @Test func my_work_reads_a_leads_open_cases_and_due_actions_from_indexes() throws {
    let dir = TemporaryDirectory()
    let register = try demoRegister(children: 50, seed: 1, in: dir)
    let count = try plan(Register.myOpenCasesCountSQL, [4], on: register.path)
    #expect(count.contains("INDEX cmeCase_leadWorstOpen"), "\(count)")
    let page = try plan(
      """
      SELECT c.id FROM cmeCase c WHERE c.status = 'open' AND c.leadCaseworkerId = ?
      ORDER BY \(CaseTable.worstFirst) LIMIT 50
      """, [4], on: register.path)
    // In order from the index: no sort of every case the user leads.
    #expect(page.contains("cmeCase_leadWorstOpen"), "\(page)")
    #expect(!page.contains("TEMP B-TREE"), "\(page)")
    // The actions due, in the order listed, from the index on due date and
    // id: the first 100 end the reading (a lead of many cases).
    let actions = try plan(
      """
      SELECT a.id FROM caseAction a INDEXED BY \(Register.myDueActionsIndex) JOIN cmeCase c ON c.id = a.caseId
      WHERE \(Register.myDueActionsInOrderCondition) ORDER BY a.dueOn, a.id LIMIT 100
      """, ["2026-12-08", 4], on: register.path)
    #expect(actions.contains("INDEX caseAction_liveDue"), "\(actions)")
    #expect(!actions.contains("TEMP B-TREE"), "\(actions)")
    #expect(!actions.contains("LIST SUBQUERY"), "\(actions)")
    // A lead of a few: among their cases, from the live actions' index.
    let few = try plan(
      "SELECT count(*) FROM caseAction a WHERE \(Register.myDueActionsByCaseCondition)", ["2026-12-08", 4],
      on: register.path)
    #expect(few.contains("COVERING INDEX caseAction_live "), "\(few)")
  }
}
