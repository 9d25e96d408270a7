import CMEAudit
import CMEDomain
import Foundation
import GRDB

/// A built pack: its text and the digest of the data it shows.
public struct BuiltPack: Sendable {
  public var text: String
  public var digest: String
  public var logSequence: Int64
  public var agendaCases: Int
}

extension Register {
  /// Builds the pack for a meeting, as of the meeting date, and records that
  /// it was built (who, which digest). An identifiable pack (names, dates of
  /// birth, addresses) needs a manager. The pack states the audit-log
  /// position it was built from, not counting pack-building entries, so the
  /// same register state gives a byte-identical pack.
  public func buildPack(
    meeting id: Int64, format: String, identifiable: Bool, agendaLimit: Int = 100, policy: SuppressionPolicy = .default,
    overRepresentedAt threshold: Double = 1.5, by session: Session, deliver: (BuiltPack) throws -> Void = { _ in }
  ) throws -> BuiltPack {
    guard ["html", "md", "csv"].contains(format) else {
      throw InvalidInput(field: "format", problem: "'\(format)' is not a pack format", fix: "Use html, md or csv")
    }
    return try write(as: session, needs: .runBoard) { db, audit in
      if identifiable { try audit.actor.require(.seeIdentifiablePack) }
      let m = try Register.meeting(id, in: db)
      let pack = BoardPack.build(
        from: try Register.packFacts(meeting: m, identifiable: identifiable, agendaLimit: agendaLimit, in: db),
        identifiable: identifiable, policy: policy, overRepresentedAt: threshold)
      let digest = Digest.sha256(Array(PackRenderer.csv(pack, digest: nil).utf8)).hex
      let text: String =
        switch format {
        case "html": PackRenderer.html(pack, digest: digest)
        case "md": PackRenderer.markdown(pack, digest: digest)
        default: PackRenderer.csv(pack, digest: digest)
        }
      try BoardTable.insertPack(
        meetingId: id, digest: digest, format: format, identifiable: identifiable, logSequence: pack.logSequence,
        by: audit.actor.id, at: audit.at, auditSeq: audit.nextSequence, in: db)
      try audit.append(
        action: .boardPack, entity: "boardMeeting", entityId: String(id),
        reason: identifiable ? "identifiable pack" : nil,
        after: [
          "digest": digest, "format": format, "identifiable": identifiable ? "yes" : "no",
          "logSequence": String(pack.logSequence),
        ])
      let built = BuiltPack(text: text, digest: digest, logSequence: pack.logSequence, agendaCases: pack.agendaTotal)
      // The file is written before the entry commits (see exportCases).
      try deliver(built)
      return built
    }
  }

  /// What the pack of a meeting is built from, as of the meeting date, in a
  /// handful of bulk queries (the agenda's summarised cases read together).
  static func packFacts(meeting m: BoardMeetingRecord, identifiable: Bool, agendaLimit: Int, in db: Database) throws
    -> PackFacts
  {
    let day = m.date
    let log = try Row.fetchOne(
      db, sql: "SELECT seq, hash FROM auditEntry WHERE action <> ? ORDER BY seq DESC LIMIT 1",
      arguments: [AuditAction.boardPack.rawValue])

    // Every case's dates, once (columns by position: this reads every case).
    var cases: [PackFacts.CaseSpan] = []
    let cursor = try Row.fetchCursor(db, sql: "SELECT openedOn, closedOn, outcome FROM cmeCase")
    while let r = try cursor.next() {
      cases.append(
        .init(
          openedOn: try Register.storedDate(r[0]), closedOn: try date(r[1]),
          outcome: try (r[2] as String?).map { try ClosureOutcome.stored($0) }))
    }

    // The open cases, their children and the postcodes of their current addresses.
    let openCases = "c.status = 'open' AND c.openedOn <= ?"
    var postcodes: [Int64: String] = [:]
    let addresses = try Row.fetchCursor(
      db,
      sql: """
        SELECT c.id,
          (SELECT postcode FROM childAddress a WHERE a.childId = c.childId AND a.toDate IS NULL ORDER BY a.fromDate DESC, a.id DESC LIMIT 1)
        FROM cmeCase c WHERE \(openCases)
        """, arguments: [day.description])
    while let r = try addresses.next() {
      if let postcode = r[1] as String? { postcodes[r[0]] = postcode }
    }
    let open = try caseFacts(where: openCases, arguments: [day.description], in: db).map {
      PackFacts.OpenCase(facts: $0, postcode: postcodes[$0.caseRecord.id ?? 0])
    }

    // Actions on open cases by agency: due, overdue, declined.
    var actions: [Agency: PackFacts.ActionCounts] = [:]
    for r in try Row.fetchAll(
      db,
      sql: """
        SELECT agency,
          sum(state IN ('open', 'accepted') AND dueOn >= ?) AS due,
          sum(state IN ('open', 'accepted') AND dueOn < ?) AS overdue,
          sum(state = 'declined') AS declined
        FROM caseAction a WHERE a.caseId IN (SELECT id FROM cmeCase WHERE status = 'open') GROUP BY agency
        """, arguments: [day.description, day.description])
    {
      guard let agency = Agency(rawValue: r["agency"]) else { continue }
      actions[agency] = .init(due: r["due"], overdue: r["overdue"], declined: r["declined"])
    }

    // Register check.
    var cycle = PackFacts.Cycle.neverRun
    if let open = try openCycle(in: db) {
      let s = try status(of: open, in: db)
      cycle = .open(
        id: open.id, startedOn: open.startedOn, checked: s.checked, total: s.total, percent: s.percent,
        withoutExplanation: s.withoutExplanation)
    } else if let last = try Row.fetchOne(db, sql: "SELECT id, closedOn FROM registerCycle ORDER BY id DESC LIMIT 1") {
      cycle = .closed(id: last["id"], closedOn: try Register.storedDate(last["closedOn"]))
    }

    // The agenda, worst first; the cases to summarise read together.
    let items = try Row.fetchAll(
      db,
      sql: """
        SELECT c.id, a.reasons FROM boardAgendaItem a JOIN cmeCase c ON c.id = a.caseId WHERE a.meetingId = ?
        ORDER BY \(CaseTable.worstFirst)
        """, arguments: [m.id])
    let shown = items.prefix(max(0, agendaLimit))
    var summarised: [Int64: CaseFacts] = [:]
    if !shown.isEmpty {
      let ids = shown.map { String($0["id"] as Int64) }.joined(separator: ", ")
      for f in try caseFacts(where: "c.id IN (\(ids))", arguments: [], in: db) { summarised[f.caseRecord.id ?? 0] = f }
    }
    let agenda = try shown.compactMap { item -> PackFacts.AgendaItem? in
      guard let f = summarised[item["id"]] else { return nil }
      return .init(
        reasons: item["reasons"], facts: f,
        identity: identifiable ? try Register.child(id: f.caseRecord.childId, in: db) : nil)
    }

    // The previous meeting's decisions, with the case and the action as they stand.
    let decisions = try Row.fetchAll(
      db,
      sql: """
        SELECT c.reference, c.status, d.decision, d.note, a.state, a.dueOn, a.note AS actionNote, a.id AS actionId
        FROM boardDecision d JOIN cmeCase c ON c.id = d.caseId LEFT JOIN caseAction a ON a.id = d.actionId
        WHERE d.meetingId = (\(BoardTable.previousMeetingQuery(before: day, meetingId: m.id).sql))
        ORDER BY d.id
        """, arguments: StatementArguments(BoardTable.previousMeetingQuery(before: day, meetingId: m.id).arguments)
    ).map { r in
      PackFacts.PreviousDecision(
        reference: r["reference"], decision: try BoardDecisionKind.stored(r["decision"]), note: r["note"],
        caseClosed: (r["status"] as String) == "closed", actionId: r["actionId"],
        actionState: try (r["state"] as String?).map { try ActionState.stored($0) }, actionDueOn: try date(r["dueOn"]),
        actionNote: r["actionNote"])
    }

    return PackFacts(
      authority: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'authority'") ?? "Local authority",
      meeting: .init(id: m.id, date: m.date, chair: m.chair, attendees: m.attendees),
      previousMeeting: try previousMeeting(before: m, in: db), logSequence: log?["seq"] ?? 0,
      logHash: log?["hash"] ?? Digest.zero.hex, settings: try Register.settings(in: db),
      calendar: try Register.calendar(in: db).calendar, baseline: try Register.baseline(in: db), cases: cases,
      openCases: open, actions: actions, cycle: cycle, agenda: agenda, agendaTotal: items.count,
      previousDecisions: decisions)
  }
}
