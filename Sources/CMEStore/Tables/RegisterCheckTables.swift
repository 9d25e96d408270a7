import CMEDomain
import GRDB

/// `registerCycle`: the register checks a manager starts and closes. Every
/// write of the table is here.
enum RegisterCycleTable {
  /// Starts a cycle and returns its id.
  static func start(by userId: Int64, on day: LocalDate, at: String, auditSeq: Int64, in db: Database) throws -> Int64 {
    try db.cachedStatement(
      sql: "INSERT INTO registerCycle (startedById, startedOn, startedAt, auditSeq) VALUES (?, ?, ?, ?)"
    ).execute(arguments: [userId, day, at, auditSeq])
    return db.lastInsertedRowID
  }

  /// Closes a cycle.
  static func close(
    _ id: Int64, by userId: Int64, on day: LocalDate, at: String, note: String?, auditSeq: Int64, in db: Database
  ) throws {
    try db.execute(
      sql: """
        UPDATE registerCycle SET closedById = ?, closedOn = ?, closedAt = ?, closingNote = ?, auditSeq = ?
        WHERE id = ?
        """,
      arguments: [userId, day, at, note, auditSeq, id])
  }

  /// Exempts an open case from the cycle, with the reason it was not checked.
  static func exempt(
    caseReference: String, from cycleId: Int64, reason: String, auditSeq: Int64, in db: Database
  ) throws {
    try db.execute(
      sql: """
        INSERT INTO registerCycleExemption (cycleId, caseId, reason, auditSeq)
        SELECT ?, id, ?, ? FROM cmeCase WHERE reference = ?
        """,
      arguments: [cycleId, reason, auditSeq, caseReference])
  }
}

/// `registerCheck`: one manager's check of one case in a cycle.
struct RegisterCheckRow: Codable, FetchableRecord, TableRecord {
  static let databaseTableName = "registerCheck"

  var cycleId: Int64
  var caseId: Int64
  var checkedById: Int64
  var checkedAt: String
  var ragBefore: RAG?
  var ragAfter: RAG
  var satisfactoryExplanation: Bool
  var outcome: CheckOutcome
  var note: String
  var auditSeq: Int64

  enum Columns {
    static let id = Column("id")
    static let caseId = Column(CodingKeys.caseId)
    static let cycleId = Column(CodingKeys.cycleId)
  }

  /// Writes the check.
  func insert(_ db: Database) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO registerCheck (cycleId, caseId, checkedById, checkedAt, ragBefore, ragAfter,
          satisfactoryExplanation, outcome, note, auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      cycleId, caseId, checkedById, checkedAt, ragBefore, ragAfter, satisfactoryExplanation, outcome, note, auditSeq,
    ])
  }
}

extension DerivableRequest<RegisterCheckRow> {
  /// The checks of one case, oldest first.
  func of(caseId: Int64) -> Self {
    filter(RegisterCheckRow.Columns.caseId == caseId).order(RegisterCheckRow.Columns.id)
  }
}
