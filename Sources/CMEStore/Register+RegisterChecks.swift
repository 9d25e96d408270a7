import CMEDomain
import Foundation
import GRDB

/// A cycle with its progress and what the checks found so far.
public struct CycleStatus: Sendable, Codable {
  /// The cycle.
  public var cycle: RegisterCycle
  /// Open cases checked in the cycle.
  public var checked: Int
  /// Open cases to check (for a closed cycle: those checked and those exempted).
  public var total: Int
  /// The checks by outcome (`CheckOutcome`'s raw value).
  public var byOutcome: [String: Int]
  /// Checks that found no satisfactory explanation.
  public var withoutExplanation: Int
  /// Open cases exempted from the cycle, each with its reason.
  public var exempted: Int

  /// The share checked, in whole per cent.
  public var percent: Int {
    total <= 0 ? 100 : Int(min(100, max(0, Double(checked) * 100 / Double(total))).rounded(.down))
  }
}

/// One open case still to check in the current cycle.
public struct CaseToCheck: Sendable, Codable {
  /// The case's line.
  public var summary: CaseSummary
  /// What the casework says about the case today: clocks, contacts, the suggested rating.
  public var assessment: CaseAssessment
  /// The suggested rating with its reasons.
  public var suggestion: RAGSuggestion { assessment.suggestion }
  /// Days since the case opened.
  public var daysOpen: Int
  /// The child's age today.
  public var age: Int
  /// The last check of this case in any earlier cycle.
  public var lastCheckedAt: String?
  /// What the last check of the case in an earlier cycle found.
  public var lastOutcome: CheckOutcome?
}

extension Register {
  static func openCycle(in db: Database) throws -> RegisterCycle? {
    try Row.fetchOne(
      db,
      sql:
        "SELECT c.id, u.name, c.startedOn FROM registerCycle c JOIN user u ON u.id = c.startedById WHERE c.closedOn IS NULL"
    ).map {
      RegisterCycle(
        id: $0["id"], startedBy: $0["name"], startedOn: try Register.storedDate($0["startedOn"]))
    }
  }

  static func requireOpenCycle(in db: Database) throws -> RegisterCycle {
    guard let cycle = try openCycle(in: db) else {
      throw StoreError.conflict("no register-check cycle is open; a manager starts one", next: .startCycle)
    }
    return cycle
  }

  static func checks(caseId: Int64, reference: String, in db: Database) throws -> [RegisterCheck] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT k.cycleId, u.name, k.checkedAt, k.ragBefore, k.ragAfter, k.satisfactoryExplanation, k.outcome, k.note
        FROM registerCheck k JOIN user u ON u.id = k.checkedById WHERE k.caseId = ? ORDER BY k.id
        """, arguments: [caseId]
    ).map {
      RegisterCheck(
        cycleId: $0["cycleId"], caseReference: reference, checkedBy: $0["name"], checkedAt: $0["checkedAt"],
        ragBefore: try ($0["ragBefore"] as String?).map { try RAG.stored($0) },
        ragAfter: try RAG.stored($0["ragAfter"]), satisfactoryExplanation: $0["satisfactoryExplanation"],
        outcome: try CheckOutcome.stored($0["outcome"]), note: $0["note"])
    }
  }

  /// Open cases not yet checked in the cycle (by reference).
  static func unchecked(in cycle: RegisterCycle, in db: Database) throws -> [String] {
    let (condition, arguments) = toCheck(in: cycle)
    return try String.fetchAll(
      db, sql: "SELECT c.reference FROM cmeCase c WHERE \(condition) ORDER BY c.reference", arguments: arguments)
  }

  /// The cycle's progress, from the tally `schema.sql`'s triggers keep as
  /// checks are recorded and cases open and close (its recount, where a
  /// register lacks the cycle's row: `verify` reports that).
  static func status(of cycle: RegisterCycle, in db: Database) throws -> CycleStatus {
    let tally =
      try Row.fetchOne(db, sql: "SELECT * FROM registerCycleTally WHERE cycleId = ?", arguments: [cycle.id])
      ?? Row.fetchOne(db, sql: "SELECT * FROM registerCycleRecount WHERE cycleId = ?", arguments: [cycle.id])
    // Each figure as the register holds it, kept to what a register could
    // count: a tally changed by hand (which `verify` names) is shown, not a
    // crash of the sums below.
    func figure(_ column: String) -> Int { min(max(tally?[column] ?? 0, 0), 1 << 40) }
    var byOutcome: [String: Int] = [:]
    for outcome in CheckOutcome.allCases {
      let n = figure(tallyColumn(outcome))
      if n > 0 { byOutcome[outcome.rawValue] = n }
    }
    let checked = figure("checked")
    let exempted =
      try Int.fetchOne(db, sql: "SELECT count(*) FROM registerCycleExemption WHERE cycleId = ?", arguments: [cycle.id])
      ?? 0
    return CycleStatus(
      cycle: cycle, checked: checked, total: checked + figure("toCheck"), byOutcome: byOutcome,
      withoutExplanation: figure("withoutExplanation"), exempted: exempted)
  }

  /// The tally's column counting the latest checks with this outcome.
  static func tallyColumn(_ outcome: CheckOutcome) -> String {
    switch outcome {
    case .explained: "explained"
    case .actionRequired: "actionRequired"
    case .escalated: "escalated"
    }
  }

  /// Cycles whose tally disagrees with a count of their rows, in words.
  static func tallyProblems(in db: Database) throws -> [String] {
    let columns = ["checked", "toCheck", "explained", "actionRequired", "escalated", "withoutExplanation"]
    let kept = Dictionary(
      try Row.fetchAll(db, sql: "SELECT * FROM registerCycleTally").map { ($0["cycleId"] as Int64, $0) },
      uniquingKeysWith: { a, _ in a })
    var problems: [String] = []
    for counted in try Row.fetchAll(db, sql: "SELECT * FROM registerCycleRecount ORDER BY cycleId") {
      let id: Int64 = counted["cycleId"]
      guard let row = kept[id] else {
        problems.append(
          "register-check cycle \(id) has no tally of its progress; it was removed outside cme, or the tally's triggers were dropped"
        )
        continue
      }
      let differ = columns.filter { (row[$0] as Int) != (counted[$0] as Int) }
      if !differ.isEmpty {
        let said = differ.map { "\($0) \(row[$0] as Int), counted \(counted[$0] as Int)" }.joined(separator: "; ")
        problems.append(
          "register-check cycle \(id)'s tally of its progress disagrees with its checks (\(said)); it was changed outside cme, or the tally's triggers were dropped"
        )
      }
    }
    return problems
  }

  /// Starts a register-check cycle. Managers only; one cycle at a time.
  public func startCycle(by session: Session, today: LocalDate) throws -> CycleStatus {
    try write(as: session, needs: .runRegisterCycle) { db, audit in
      if let open = try Register.openCycle(in: db) {
        throw StoreError.conflict(
          "register-check cycle \(open.id), started \(open.startedOn) by \(open.startedBy), is still open; close it first",
          next: .closeCycle)
      }
      let id = try RegisterCycleTable.start(
        by: audit.actor.id, on: today, at: audit.at, auditSeq: audit.nextSequence, in: db)
      let cycle = RegisterCycle(id: id, startedBy: audit.actor.name, startedOn: today)
      let status = try Register.status(of: cycle, in: db)
      try audit.append(
        action: .registerCycleStart, entity: "registerCycle", entityId: String(cycle.id),
        after: ["startedOn": today.description, "openCases": String(status.total)])
      return status
    }
  }

  /// The open cycle's status, or the last closed cycle's when none is open.
  public func cycleStatus(by session: Session) throws -> CycleStatus? {
    return try read(as: session, needs: .readBoardPapers) { db in
      if let open = try Register.openCycle(in: db) { return try Register.status(of: open, in: db) }
      guard
        let r = try Row.fetchOne(
          db,
          sql: """
            SELECT c.id, s.name AS started, c.startedOn, e.name AS closed, c.closedOn FROM registerCycle c
            JOIN user s ON s.id = c.startedById LEFT JOIN user e ON e.id = c.closedById ORDER BY c.id DESC LIMIT 1
            """)
      else { return nil }
      let cycle = RegisterCycle(
        id: r["id"], startedBy: r["started"], startedOn: try Register.storedDate(r["startedOn"]),
        closedBy: r["closed"], closedOn: (r["closedOn"] as String?).flatMap { LocalDate(iso: $0) })
      var status = try Register.status(of: cycle, in: db)
      // A closed cycle's denominator is what it checked and what it exempted.
      status.total = status.checked + status.exempted
      return status
    }
  }

  /// Closes the open cycle. Every open case must have been checked, or be
  /// listed in `unchecked` with the reason it was not.
  public func closeCycle(unchecked exemptions: [String: String], note: String?, by session: Session, today: LocalDate)
    throws -> CycleStatus
  {
    var normalised: [String: String] = [:]
    for (ref, reason) in exemptions {
      normalised[try CaseReference.parse(ref, field: "unchecked").description] = reason
    }
    return try write(as: session, needs: .runRegisterCycle) { db, audit in
      var cycle = try Register.requireOpenCycle(in: db)
      let pending = try Register.unchecked(in: cycle, in: db)
      let before = try Register.status(of: cycle, in: db)
      try RegisterCheckRules.validateClosing(
        progress: CycleProgress(checked: before.checked, total: before.total, unchecked: pending),
        exemptions: normalised)
      let seq = audit.nextSequence
      for (ref, reason) in normalised.sorted(by: { $0.key < $1.key }) {
        try RegisterCycleTable.exempt(
          caseReference: ref, from: cycle.id, reason: reason.trimmingCharacters(in: .whitespaces), auditSeq: seq, in: db
        )
      }
      try RegisterCycleTable.close(
        cycle.id, by: audit.actor.id, on: today, at: audit.at, note: try optionalText(note, field: "note", kind: .note),
        auditSeq: seq, in: db)
      cycle.closedBy = audit.actor.name
      cycle.closedOn = today
      var status = try Register.status(of: cycle, in: db)
      status.total = status.checked + status.exempted
      try audit.append(
        action: .registerCycleClose, entity: "registerCycle", entityId: String(cycle.id), reason: optionalText(note),
        after: [
          "checked": String(status.checked), "unchecked": normalised.keys.sorted().joined(separator: " "),
          "closedOn": today.description,
        ])
      return status
    }
  }

  /// The open cases still to check in the current cycle, worst first: by
  /// current rating, then the longest open. Returns them with the total.
  /// With no cycle open (`cycle` nil), every open case, worst first: the
  /// register to read, whose checks are recorded once a cycle starts.
  public func casesToCheck(by session: Session, today: LocalDate, limit: Int?) throws -> (
    cycle: CycleStatus?, cases: [CaseToCheck], remaining: Int
  ) {
    return try read(as: session, needs: .readRegister) { db in
      let cycle = try Register.openCycle(in: db)
      let (condition, arguments) = Register.toCheck(in: cycle)
      let summaries = try Register.caseSummaries(
        in: db, where: condition, arguments: arguments, order: CaseTable.worstFirst, limit: limit,
        index: CaseTable.worstOpenIndex)
      let rows = try Register.assessTogether(summaries, in: db, today: today)
      guard let cycle else {
        let open = try Int.fetchOne(db, sql: "SELECT count(*) FROM cmeCase WHERE status = 'open'") ?? 0
        return (nil, rows, open)
      }
      let status = try Register.status(of: cycle, in: db)
      return (status, rows, status.total - status.checked)
    }
  }

  /// Every case ``casesToCheck(by:today:limit:)`` lists with no limit, in
  /// the same order, handed to `body` a batch at a time as they are
  /// assessed, all read in one transaction: an export of the whole list
  /// holds one batch in memory, not every case. Returns the cycle's
  /// progress (nil with no cycle open) and how many cases were listed.
  public func eachCaseToCheck(
    by session: Session, today: LocalDate, batch: Int = Register.factsBatch, _ body: ([CaseToCheck]) throws -> Void
  ) throws -> (cycle: CycleStatus?, count: Int) {
    let file = path
    return try read(as: session, needs: .readRegister) { db in
      let cycle = try Register.openCycle(in: db)
      let (condition, arguments) = Register.toCheck(in: cycle)
      let ids = try Int64.fetchAll(
        db,
        sql: """
          SELECT c.id FROM cmeCase c INDEXED BY \(CaseTable.worstOpenIndex)
          WHERE \(condition) ORDER BY \(CaseTable.worstFirst)
          """, arguments: arguments)
      // The next batches read and assessed on other connections while this
      // one is written out.
      try Register.readAhead(
        Register.idBatches(ids, batch: batch), file: file, in: db,
        produce: { own, part in try Register.assessTogether(ids: part, in: own, today: today) }, consume: body)
      return (try cycle.map { try Register.status(of: $0, in: db) }, ids.count)
    }
  }

  /// The cases the register check lists: the open cases not checked in
  /// `cycle`, or with no cycle every open case (on `cmeCase c`; the
  /// register check's index serves it).
  static func toCheck(in cycle: RegisterCycle?) -> (condition: String, arguments: StatementArguments) {
    guard let cycle else { return ("c.status = 'open'", []) }
    return (
      "c.status = 'open' AND NOT EXISTS (SELECT 1 FROM registerCheck k WHERE k.cycleId = ? AND k.caseId = c.id)",
      [cycle.id]
    )
  }

  /// Records a manager's check of a case in the open cycle, changing its
  /// rating when `rag` differs from the current one (the note is the reason).
  public func recordCheck(
    _ reference: CaseReference, outcome: CheckOutcome, note: String, rag: RAG?, explanation: Bool?,
    ifVersion: Int64? = nil, by session: Session, today: LocalDate
  ) throws -> RegisterCheck {
    let note = try requireText(note, field: "note", what: "the note")
    let satisfactory = try RegisterCheckRules.satisfactoryExplanation(outcome: outcome, stated: explanation)
    return try write(as: session, needs: .recordRegisterCheck) { db, audit in
      if ifVersion != nil {
        let c = try Register.fetchCase(reference, in: db)
        try Register.requireVersion(ifVersion, of: "cmeCase", id: c.id!, record: c.reference, in: db)
      }
      return try Register.performCheck(
        reference, outcome: outcome, note: note, rag: rag, satisfactory: satisfactory, in: db, audit: &audit,
        today: today)
    }
  }

  /// Confirms, in one transaction, that the explanation recorded at each
  /// case's last check still stands: one check and one audit entry per
  /// case, all with the same note. Nothing is recorded if any case cannot be.
  public func confirmExplanations(
    _ references: [CaseReference], note: String, by session: Session, today: LocalDate
  ) throws -> [RegisterCheck] {
    let note = try requireText(note, field: "note", what: "the note")
    guard !references.isEmpty else {
      throw InvalidInput(
        field: "cases", problem: "no case was chosen", fix: "Tick each case whose explanation still stands")
    }
    return try write(as: session, needs: .recordRegisterCheck) { db, audit in
      try references.map { reference in
        let c = try Register.fetchCase(reference, in: db)
        let last = try RegisterCheckRow.all().of(caseId: c.id!).reversed().fetchOne(db)
        if let last, last.cycleId == (try Register.requireOpenCycle(in: db)).id {
          throw StoreError.conflict("\(c.reference) has already been checked in this cycle")
        }
        guard last?.outcome == .explained else {
          throw StoreError.conflict(
            "\(c.reference) has no earlier check with a satisfactory explanation to confirm; check it on its own")
        }
        return try Register.performCheck(
          reference, outcome: .explained, note: note, rag: nil, satisfactory: true, in: db, audit: &audit,
          today: today)
      }
    }
  }

  static func performCheck(
    _ reference: CaseReference, outcome: CheckOutcome, note: String, rag: RAG?, satisfactory: Bool, in db: Database,
    audit: inout AuditWriter, today: LocalDate
  ) throws -> RegisterCheck {
    let cycle = try Register.requireOpenCycle(in: db)
    let c = try Register.fetchCase(reference, in: db)
    guard c.status == .open else {
      throw StoreError.conflict("\(c.reference) is closed; register checks are of open cases")
    }
    try RegisterCheckRules.requireIndependent(
      checker: audit.actor, workedBy: try Register.workers(of: c, in: db), reference: c.reference)
    let ragAfter = rag ?? c.rag ?? .amber
    if ragAfter != c.rag {
      let suggestion = try Register.suggestion(for: c, in: db, today: today)
      try Register.insertRating(
        caseId: c.id!, rating: ragAfter, suggestion: suggestion, rationale: "register check: \(note)", in: db,
        audit: audit)
      try CaseTable.setRAG(ragAfter, caseId: c.id!, auditSeq: audit.nextSequence, in: db)
    }
    try RegisterCheckRow(
      cycleId: cycle.id, caseId: c.id!, checkedById: audit.actor.id, checkedAt: audit.at, ragBefore: c.rag,
      ragAfter: ragAfter, satisfactoryExplanation: satisfactory, outcome: outcome, note: note,
      auditSeq: audit.nextSequence
    ).insert(db)
    // No satisfactory explanation, or an escalation: tracked work with an
    // owner and a due date, recorded with the check (raising it does not make
    // the manager one who worked the case).
    if let (work, days) = SafeguardingWork.afterCheck(
      outcome: outcome, note: String(note.prefix(300)), reference: c.reference, lead: c.leadCaseworker,
      manager: audit.actor.name)
    {
      let calendar = try Register.calendar(in: db).calendar
      _ = try Register.insertAction(
        c, agency: work.agency, description: work.description,
        due: calendar.adding(schoolDays: days, to: today) ?? today.adding(days: days), owner: work.owner,
        today: today, in: db, audit: audit)
    }
    let check = RegisterCheck(
      cycleId: cycle.id, caseReference: c.reference, checkedBy: audit.actor.name, checkedAt: audit.at,
      ragBefore: c.rag, ragAfter: ragAfter, satisfactoryExplanation: satisfactory, outcome: outcome, note: note)
    try audit.append(
      action: .registerCheck, entity: "case", entityId: c.reference, childId: c.childId, caseId: c.id, reason: note,
      before: c.rag.map { ["rag": $0.rawValue] }, after: check)
    return check
  }
}

extension Register {
  /// What counts as working a case: opening it (by hand or by an import),
  /// changing, rating, closing or reopening it, and recording casework on it
  /// (visits, enquiries, actions). Viewing it, checking it in a register
  /// check and deciding on it at the board do not.
  static let workOnCase: [AuditAction] = [
    .caseOpen, .caseUpdate, .caseClose, .caseReopen, .ragSet, .visitLog, .enquiryDone, .enquiryNotApplicable,
    .actionAdd, .actionAccepted, .actionDeclined, .actionDone, .actionCancelled, .intakeDeletionReturn,
    .intakeNewPupil, .intakeCTF,
  ]

  /// Everyone who has worked a case: its lead now, every lead it had, and
  /// whoever did work on it, as the audit log records it (the log is the
  /// one record of who did what, whatever the table).
  static func workers(of c: CMECase, in db: Database) throws -> Set<String> {
    var names = Set(c.leadCaseworker.map { [$0] } ?? [])
    let actions = workOnCase.map(\.rawValue)
    names.formUnion(
      try String.fetchAll(
        db,
        sql:
          "SELECT DISTINCT actor FROM auditEntry WHERE caseId = ? AND action IN (\(actions.map { _ in "?" }.joined(separator: ", ")))",
        arguments: StatementArguments([c.id as (any DatabaseValueConvertible)?] + actions.map { $0 })))
    // A case as the log records it, alone or inside an update's payload.
    struct Lead: Decodable {
      struct Record: Decodable { var leadCaseworker: String? }
      var leadCaseworker: String?
      var caseRecord: Record?
      var lead: String? { leadCaseworker ?? caseRecord?.leadCaseworker }
    }
    let payloads = try Row.fetchAll(
      db, sql: "SELECT before, after FROM auditEntry WHERE caseId = ? AND action IN (?, ?)",
      arguments: [c.id, AuditAction.caseOpen.rawValue, AuditAction.caseUpdate.rawValue])
    for row in payloads {
      for column in ["before", "after"] {
        guard let json = row[column] as String?,
          let lead = try? JSONDecoder().decode(Lead.self, from: Data(json.utf8)).lead
        else { continue }
        names.insert(lead)
      }
    }
    return names
  }
}
