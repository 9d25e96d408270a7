import CMEDomain
import Foundation
import GRDB

/// `boardMeeting`, `boardAgendaItem`, `boardDecision` and `boardPack`: the
/// scrutiny board's meetings, what is on their agendas, what they decided
/// and the packs built for them. Every write of these tables is here.
enum BoardTable {
  /// Records a meeting and returns its id.
  static func insertMeeting(
    on day: LocalDate, chair: String, attendees: [String], by userId: Int64, at: String, auditSeq: Int64,
    in db: Database
  ) throws -> Int64 {
    try db.execute(
      sql:
        "INSERT INTO boardMeeting (meetingDate, chair, attendees, createdById, at, auditSeq) VALUES (?, ?, ?, ?, ?, ?)",
      arguments: [day, chair, AuditWriter.jsonList(attendees), userId, at, auditSeq])
    return db.lastInsertedRowID
  }

  /// Who put a case on an agenda: the agenda rules, or the meeting itself.
  enum AddedBy: String, DatabaseValueConvertible {
    case rules, decision
  }

  /// Puts a case on a meeting's agenda, with why.
  static func addToAgenda(
    meetingId: Int64, caseId: Int64, reasons: String, addedBy: AddedBy, auditSeq: Int64, in db: Database
  ) throws {
    try db.cachedStatement(
      sql: "INSERT INTO boardAgendaItem (meetingId, caseId, reasons, addedBy, auditSeq) VALUES (?, ?, ?, ?, ?)"
    ).execute(arguments: [meetingId, caseId, reasons, addedBy, auditSeq])
  }

  /// Records a decision on a case, naming the pack it was taken from and the
  /// action it raised.
  static func insertDecision(
    meetingId: Int64, caseId: Int64, decision: BoardDecisionKind, note: String, noteSafe: Bool = false,
    packDigest: String?, actionId: Int64?, rag: RAG?, by userId: Int64, at: String, auditSeq: Int64, in db: Database
  ) throws {
    try db.execute(
      sql: """
        INSERT INTO boardDecision (meetingId, caseId, decision, note, noteSafe, packDigest, actionId, rag, byUserId, at, auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        meetingId, caseId, decision, note, noteSafe ? 1 : nil, packDigest, actionId, rag, userId, at, auditSeq,
      ])
  }

  /// Records a pack built for a meeting.
  static func insertPack(
    meetingId: Int64, digest: String, format: String, part: BoardPack.Part, identifiable: Bool, logSequence: Int64,
    figures: String?, by userId: Int64, at: String, auditSeq: Int64, in db: Database
  ) throws {
    try db.execute(
      sql: """
        INSERT INTO boardPack (meetingId, digest, format, part, identifiable, logSequence, figures, byUserId, at, auditSeq)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        meetingId, digest, format, part == .both ? nil : part.rawValue, identifiable, logSequence, figures, userId, at,
        auditSeq,
      ])
  }

  /// The meeting before `meeting` (by date, then by the order they were
  /// made), as a sub-query yielding its id, with its three arguments.
  static func previousMeetingQuery(before day: LocalDate, meetingId: Int64) -> (
    sql: String, arguments: [any DatabaseValueConvertible]
  ) {
    (
      "SELECT id FROM boardMeeting WHERE meetingDate < ? OR (meetingDate = ? AND id < ?) ORDER BY meetingDate DESC, id DESC LIMIT 1",
      [day, day, meetingId]
    )
  }

  /// The date of the meeting before `meeting`, if any.
  static func previousMeetingDate(before day: LocalDate, meetingId: Int64, in db: Database) throws -> LocalDate? {
    let previous = previousMeetingQuery(before: day, meetingId: meetingId)
    return try LocalDate.fetchOne(
      db, sql: "SELECT meetingDate FROM boardMeeting WHERE id = (\(previous.sql))",
      arguments: StatementArguments(previous.arguments))
  }

  /// The digest of the latest pack built for a meeting.
  static func latestPackDigest(meetingId: Int64, in db: Database) throws -> String? {
    try String.fetchOne(
      db, sql: "SELECT digest FROM boardPack WHERE meetingId = ? ORDER BY id DESC LIMIT 1", arguments: [meetingId])
  }
}

/// `populationBaseline`: the school-age population the register is set
/// against in the board pack.
enum BaselineTable {
  /// Replaces the baseline with `counts` (characteristic → code → count).
  static func replace(with counts: [String: [String: Int]], auditSeq: Int64, in db: Database) throws {
    try db.execute(sql: "DELETE FROM populationBaseline")
    for (characteristic, codes) in counts.sorted(by: { $0.key < $1.key }) {
      for (code, n) in codes.sorted(by: { $0.key < $1.key }) {
        try db.cachedStatement(
          sql: "INSERT INTO populationBaseline (characteristic, code, count, auditSeq) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [characteristic, code, n, auditSeq])
      }
    }
  }
}
