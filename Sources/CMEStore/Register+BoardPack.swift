import CMEAudit
import CMEDomain
import Foundation
import GRDB

/// A built pack: its text and the digest of the data it shows.
public struct BuiltPack: Sendable {
  public var text: String
  public var digest: String
  public var logSequence: Int64
  /// Cases on the decision agenda, and cases meeting the agenda rules.
  public var agendaCases: Int
  public var qualifying: Int
  /// The meeting's date, which a printed pack is dated with.
  public var meetingDate: LocalDate
}

extension Register {
  /// Builds the pack for a meeting, as of the meeting date, and records that
  /// it was built (who, which digest). An identifiable pack (names, dates of
  /// birth, addresses) needs a manager. The pack states the audit-log
  /// position it was built from, not counting pack-building entries, so the
  /// same register state gives a byte-identical pack.
  public func buildPack(
    meeting id: Int64, format: String, part: BoardPack.Part = .both, identifiable: Bool, agendaLimit: Int? = nil,
    policy: SuppressionPolicy = .default, overRepresentedAt threshold: Double = 1.5, by session: Session,
    deliver: (BuiltPack) throws -> Void = { _ in }
  ) throws -> BuiltPack {
    guard ["html", "md", "csv"].contains(format) else {
      throw InvalidInput(field: "format", problem: "'\(format)' is not a pack format", fix: "Use html, md or csv")
    }
    let file = path
    return try write(as: session, needs: .runBoard) { db, audit in
      if identifiable { try audit.actor.require(.seeIdentifiablePack) }
      let m = try Register.meeting(id, in: db)
      if let agendaLimit, agendaLimit < 0 {
        throw InvalidInput(
          field: "agenda-limit", problem: "\(agendaLimit) is not a number of cases", fix: "Give 0 or more")
      }
      progress.report("Reading the register for the pack")
      let facts = try Register.packFacts(meeting: m, identifiable: identifiable, file: file, in: db)
      progress.report("Building the pack: its figures, their protection and the agenda")
      let pack = BoardPack.build(
        from: facts,
        identifiable: identifiable, policy: policy, overRepresentedAt: threshold, agendaCap: agendaLimit)
      progress.report("Writing the pack")
      let digest = Digest.sha256(Array(PackRenderer.csv(pack, digest: nil).utf8)).hex
      let text: String =
        switch format {
        case "html": PackRenderer.html(pack, digest: digest, part: part)
        case "md": PackRenderer.markdown(pack, digest: digest, part: part)
        default: PackRenderer.csv(pack, digest: digest, part: part)
        }
      let figures = String(
        decoding: try JSONSerialization.data(withJSONObject: pack.publishedFigures, options: [.sortedKeys]),
        as: UTF8.self)
      try BoardTable.insertPack(
        meetingId: id, digest: digest, format: format, part: part, identifiable: identifiable,
        logSequence: pack.logSequence, figures: part.hasA ? figures : nil, by: audit.actor.id, at: audit.at,
        auditSeq: audit.nextSequence, in: db)
      try audit.append(
        action: .boardPack, entity: "boardMeeting", entityId: String(id),
        reason: identifiable ? "identifiable pack" : nil,
        after: [
          "digest": digest, "format": format, "part": part.rawValue, "identifiable": identifiable ? "yes" : "no",
          "logSequence": String(pack.logSequence),
        ])
      let built = BuiltPack(
        text: text, digest: digest, logSequence: pack.logSequence, agendaCases: pack.agenda.count,
        qualifying: pack.cells.count(pack.qualifying), meetingDate: m.date)
      // The file is written before the entry commits (see exportCases).
      try deliver(built)
      return built
    }
  }

  /// What the pack of a meeting is built from, as of the meeting date, in a
  /// handful of bulk queries (the agenda's summarised cases read together).
  /// The cases on a meeting's agenda (`:meeting`), with why each is on it,
  /// in the agenda's order.
  static let agendaItemsSQL = """
        SELECT c.id, a.reasons FROM boardAgendaItem a JOIN cmeCase c ON c.id = a.caseId
        WHERE a.meetingId = :meeting ORDER BY c.reference
    """

  /// Of the cases `ids` (a list of numbers), those with live police or
  /// social-care actions overdue on `:day`, with how many of each. Each
  /// case's actions are found by case: `+` keeps SQLite from the index on
  /// state and due date, through which it would read every overdue live
  /// action for each case (ten minutes for a pack on a national register).
  static func overdueEscalationsSQL(ofCases ids: String) -> String {
    """
    SELECT x.caseId, sum(x.agency = 'police') AS police, sum(x.agency = 'social-care') AS socialCare
    FROM caseAction x WHERE x.caseId IN (\(ids)) AND +x.agency IN ('police', 'social-care')
      AND +x.state IN ('open', 'accepted') AND +x.dueOn < :day
    GROUP BY x.caseId
    """
  }

  /// Who each child on a meeting's agenda is, as an identifiable pack prints
  /// it (names, date of birth, addresses), for the children `childIds` lists
  /// (comma-separated: a batch's agenda cases), read in two queries for them
  /// all rather than a whole record for each child.
  static func agendaIdentities(childIds children: String, in db: Database) throws -> [Int64: Child] {
    var out: [Int64: Child] = [:]
    for r in try Row.fetchAll(
      db, sql: "SELECT id, legalSurname, legalForename, dateOfBirth FROM child WHERE id IN (\(children))")
    {
      var c = Child(legalSurname: r[1], legalForename: r[2], dateOfBirth: try Register.storedDate(r[3]))
      c.id = r[0]
      out[r[0]] = c
    }
    // In the order a child's record lists them (``ChildTable/read(_:in:)``).
    for r in try Row.fetchAll(
      db,
      sql: """
        SELECT childId, text, postcode, fromDate, toDate FROM childAddress WHERE childId IN (\(children))
        ORDER BY childId, fromDate, id
        """)
    {
      out[r[0]]?.addresses.append(Address(text: r[1], postcode: r[2], from: r[3], to: r[4]))
    }
    return out
  }

  /// Every case's dates and outcome, for the trend (columns by position:
  /// this reads every case).
  static func caseSpans(in db: Database) throws -> [PackFacts.CaseSpan] {
    var cases: [PackFacts.CaseSpan] = []
    cases.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM cmeCase") ?? 0)
    let cursor = try Row.fetchCursor(db, sql: "SELECT openedOn, closedOn, outcome FROM cmeCase")
    while let r = try cursor.next() {
      cases.append(
        .init(
          openedOn: try Register.storedDate(r[0]), closedOn: try date(r[1]),
          outcome: try (r[2] as String?).map { try ClosureOutcome.stored($0) }))
    }
    return cases
  }

  /// Actions on the cases open on `day`, by agency: due, overdue, declined.
  static func actionCounts(on day: LocalDate, in db: Database) throws -> [Agency: PackFacts.ActionCounts] {
    var actions: [Agency: PackFacts.ActionCounts] = [:]
    for r in try Row.fetchAll(
      db,
      sql: """
        SELECT agency,
          sum(state IN ('open', 'accepted') AND dueOn >= :day) AS due,
          sum(state IN ('open', 'accepted') AND dueOn < :day AND julianday(:day) - julianday(dueOn) <= 7) AS overdue7,
          sum(state IN ('open', 'accepted') AND julianday(:day) - julianday(dueOn) BETWEEN 8 AND 28) AS overdue28,
          sum(state IN ('open', 'accepted') AND julianday(:day) - julianday(dueOn) > 28) AS overdueMore,
          sum(state = 'declined') AS declined
        FROM caseAction a WHERE a.raisedOn <= :day
          AND a.caseId IN (SELECT id FROM cmeCase WHERE +openedOn <= :day AND (closedOn IS NULL OR closedOn > :day))
        GROUP BY agency
        """, arguments: ["day": day.description])
    {
      guard let agency = Agency(rawValue: r["agency"]) else { continue }
      actions[agency] = .init(
        due: r["due"], overdueBy: [r["overdue7"], r["overdue28"], r["overdueMore"]], declined: r["declined"])
    }
    return actions
  }

  /// Of the cases `ids`: the postcode of each child's current address, and
  /// the cases whose child had a case opened before this one.
  static func postcodesAndRepeats(ofCases ids: [Int64], in db: Database) throws -> (
    postcodes: [Int64: String], repeats: Set<Int64>
  ) {
    let list = idList(ids)
    var postcodes: [Int64: String] = [:]
    let addresses = try Row.fetchCursor(
      db,
      sql: """
        SELECT c.id,
          (SELECT postcode FROM childAddress a WHERE a.childId = c.childId AND a.toDate IS NULL ORDER BY a.fromDate DESC, a.id DESC LIMIT 1)
        FROM cmeCase c WHERE c.id IN (\(list))
        """)
    while let r = try addresses.next() {
      if let postcode = r[1] as String? { postcodes[r[0]] = postcode }
    }
    let repeats = Set(
      try Int64.fetchAll(
        db,
        sql: """
          SELECT c.id FROM cmeCase c WHERE c.id IN (\(list))
          AND EXISTS (SELECT 1 FROM cmeCase e WHERE e.childId = c.childId AND e.id <> c.id AND e.openedOn < c.openedOn)
          """))
    return (postcodes, repeats)
  }

  static func packFacts(
    meeting m: BoardMeetingRecord, identifiable: Bool, batch: Int = factsBatch, file: String? = nil, in db: Database
  ) throws -> PackFacts {
    let day = m.date
    let log = try Row.fetchOne(
      db, sql: "SELECT seq, hash FROM auditEntry WHERE action <> ? ORDER BY seq DESC LIMIT 1",
      arguments: [AuditAction.boardPack.rawValue])

    // Every case's dates for the trend, and the actions by agency, read on
    // a connection beside this one while it reads the rest (with `file`).
    let beside = try readBeside(file: file, in: db) { own in
      (try caseSpans(in: own), try actionCounts(on: day, in: own))
    }
    defer { beside.wait() }

    // The cases open on the meeting day (a pack built later still counts the
    // cases closed since as open). (`+`: nearly every case opened before the
    // day, so reading them all beats looking each up through the index on
    // opening dates: 0.4 s, not 3.5 s, on a national register.)
    let openCases = "+c.openedOn <= :day AND (c.closedOn IS NULL OR c.closedOn > :day)"
    // Every case on the agenda, and why.
    let items = try Row.fetchAll(db, sql: agendaItemsSQL, arguments: ["meeting": m.id]).map {
      (id: $0[0] as Int64, reasons: $0[1] as String)
    }
    let wanted = Dictionary(items.map { ($0.id, $0.reasons) }, uniquingKeysWith: { a, _ in a })
    var onAgenda: [Int64: PackFacts.AgendaItem] = [:]
    // A batch's agenda cases, with their overdue escalations, and who their
    // children are when the pack is identifiable.
    @Sendable func agendaItems(_ batch: [CaseFacts], in db: Database) throws -> [(Int64, PackFacts.AgendaItem)] {
      let new = batch.filter { f in f.caseRecord.id.map { wanted[$0] != nil } ?? false }
      guard !new.isEmpty else { return [] }
      var overdue: [Int64: (police: Int, socialCare: Int)] = [:]
      for r in try Row.fetchAll(
        db, sql: overdueEscalationsSQL(ofCases: idList(new.map { $0.caseRecord.id! })),
        arguments: ["day": day.description])
      {
        overdue[r[0]] = (r[1], r[2])
      }
      let identities =
        identifiable
        ? try agendaIdentities(childIds: idList(new.map(\.caseRecord.childId)), in: db) : [:]
      return new.map { f in
        let id = f.caseRecord.id!
        return (
          id,
          .init(
            reasons: wanted[id]!, facts: f, identity: identities[f.caseRecord.childId],
            overduePolice: overdue[id]?.police ?? 0, overdueSocialCare: overdue[id]?.socialCare ?? 0)
        )
      }
    }
    // The open cases counted a batch at a time, each batch's agenda cases
    // kept as the agenda reads them: no batch's facts are held after it.
    // With `file`, the next batches are read, counted and their agenda cases
    // kept on other connections while this one merges the last
    // (``readAhead(_:file:in:readers:beforeReaders:produce:consume:)``): each
    // batch's tally is merged into the whole, which counting in parts leaves
    // the same.
    let settings = try Register.settings(in: db)
    let calendar = try Register.calendar(in: db).calendar
    var open = PackFacts.OpenCaseTally(day: day, calendar: calendar, settings: settings)
    let ids = try Int64.fetchAll(
      db, sql: "SELECT c.id FROM cmeCase c WHERE \(openCases) ORDER BY c.id", arguments: ["day": day.description])
    try readAhead(
      idBatches(ids, batch: batch), file: file ?? "", in: db, readers: file == nil ? 0 : aheadReaders,
      produce: { own, part in
        let cases = try caseFacts(ids: part, in: own)
        let (postcodes, repeats) = try postcodesAndRepeats(ofCases: part, in: own)
        var tally = PackFacts.OpenCaseTally(day: day, calendar: calendar, settings: settings)
        for f in cases {
          let id = f.caseRecord.id ?? 0
          tally.add(.init(facts: f, postcode: postcodes[id], repeatEpisode: repeats.contains(id)))
        }
        return (tally, try agendaItems(cases, in: own))
      },
      consume: { tally, items in
        open.merge(tally)
        for (id, item) in items { onAgenda[id] = item }
      })
    // The agenda's cases are nearly all open on the day, and read above;
    // only the others (closed by then, or added by hand) are read, as many
    // at a time.
    for part in idLists(items.map(\.id).filter { onAgenda[$0] == nil }, batch: batch) {
      for (id, item) in try agendaItems(try caseFacts(ids: part, in: db), in: db) { onAgenda[id] = item }
    }
    let agenda = items.compactMap { onAgenda[$0.id] }

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

    // The previous meeting's decisions, with the case and the action as they stand.
    let decisions = try Row.fetchAll(
      db,
      sql: """
        SELECT c.reference, c.status, d.decision, d.note, d.noteSafe, a.state, a.dueOn, a.note AS actionNote, a.id AS actionId
        FROM boardDecision d JOIN cmeCase c ON c.id = d.caseId LEFT JOIN caseAction a ON a.id = d.actionId
        WHERE d.meetingId = (\(BoardTable.previousMeetingQuery(before: day, meetingId: m.id).sql))
        ORDER BY d.id
        """, arguments: StatementArguments(BoardTable.previousMeetingQuery(before: day, meetingId: m.id).arguments)
    ).map { r in
      PackFacts.PreviousDecision(
        reference: r["reference"], decision: try BoardDecisionKind.stored(r["decision"]), note: r["note"],
        caseClosed: (r["status"] as String) == "closed", actionId: r["actionId"],
        actionState: try (r["state"] as String?).map { try ActionState.stored($0) }, actionDueOn: try date(r["dueOn"]),
        actionNote: r["actionNote"], noteSafe: (r["noteSafe"] as Int?) == 1)
    }

    // The figures the previous meeting's last pack with Part A published.
    var previousFigures: [String: String]?
    let previous = BoardTable.previousMeetingQuery(before: day, meetingId: m.id)
    if let stored = try String.fetchOne(
      db,
      sql: """
        SELECT figures FROM boardPack WHERE figures IS NOT NULL AND meetingId = (\(previous.sql))
        ORDER BY id DESC LIMIT 1
        """, arguments: StatementArguments(previous.arguments))
    {
      previousFigures = try? JSONDecoder().decode([String: String].self, from: Data(stored.utf8))
    }

    let (cases, actions) = try beside.value(in: db)
    var facts = PackFacts(
      authority: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'authority'") ?? "Local authority",
      meeting: .init(id: m.id, date: m.date, chair: m.chair, attendees: m.attendees),
      previousMeeting: try previousMeeting(before: m, in: db), logSequence: log?["seq"] ?? 0,
      logHash: log?["hash"] ?? Digest.zero.hex, settings: settings, calendar: calendar,
      baseline: try Register.baseline(in: db), cases: cases, openCases: [], actions: actions, cycle: cycle,
      agenda: agenda, previousDecisions: decisions, previousFigures: previousFigures)
    facts.open = open
    return facts
  }
}
