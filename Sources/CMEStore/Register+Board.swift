import CMEAudit
import CMEDomain
import Foundation
import GRDB

/// A board meeting as stored.
public struct BoardMeetingRecord: Sendable, Codable {
  public var id: Int64
  public var date: LocalDate
  public var chair: String
  public var attendees: [String]
  public var createdBy: String
}

/// One case on an agenda.
public struct AgendaEntry: Sendable, Codable {
  public var reference: String
  public var rag: RAG?
  public var reasons: String
  public var addedBy: String
  public var openedOn: LocalDate
  /// Decisions on the case at this meeting.
  public var decisions: [String]
  /// Decisions on the case at the previous meeting.
  public var previousDecisions: [String]
}

extension Register {
  // MARK: - Baseline

  /// Replaces the population baseline with a census file (managers only).
  public func importBaseline(csv data: [UInt8], file: String, by session: Session) throws -> PopulationBaseline {
    let baseline = try PopulationBaseline.read(csv: data, file: file)
    return try write(as: session, needs: .runRegisterCycle) { db, audit in
      let before = try Register.baseline(in: db)
      try BaselineTable.replace(with: baseline.counts, auditSeq: audit.nextSequence, in: db)
      try audit.append(
        action: .baselineImport, entity: "baseline", entityId: file, reason: "SHA-256 \(Digest.sha256(data).hex)",
        before: before?.counts, after: baseline.counts)
      return baseline
    }
  }

  static func baseline(in db: Database) throws -> PopulationBaseline? {
    var counts: [String: [String: Int]] = [:]
    for r in try Row.fetchAll(db, sql: "SELECT characteristic, code, count FROM populationBaseline") {
      counts[r["characteristic"], default: [:]][r["code"]] = r["count"]
    }
    return counts.isEmpty ? nil : PopulationBaseline(counts: counts)
  }

  // MARK: - Meetings and agendas

  static func meeting(_ id: Int64, in db: Database) throws -> BoardMeetingRecord {
    guard
      let r = try Row.fetchOne(
        db, sql: "SELECT m.*, u.name FROM boardMeeting m JOIN user u ON u.id = m.createdById WHERE m.id = ?",
        arguments: [id])
    else {
      throw StoreError.notFound(what: "board meeting", key: String(id))
    }
    let stored: String = r["attendees"]
    guard let attendees = try? JSONDecoder().decode([String].self, from: Data(stored.utf8)) else {
      throw StoreError.unreadable(what: "list of attendees", value: stored)
    }
    return BoardMeetingRecord(
      id: id, date: try Register.storedDate(r["meetingDate"]), chair: r["chair"], attendees: attendees,
      createdBy: r["name"])
  }

  static func previousMeeting(before m: BoardMeetingRecord, in db: Database) throws -> LocalDate? {
    try BoardTable.previousMeetingDate(before: m.date, meetingId: m.id, in: db)
  }

  /// Creates a meeting and builds its agenda from the register by the agenda
  /// rules, the open cases read `batch` at a time.
  public func createMeeting(
    date meetingDate: LocalDate, chair: String, attendees: [String], by session: Session, today: LocalDate,
    batch: Int = Register.factsBatch
  ) throws -> (BoardMeetingRecord, agenda: Int) {
    let chair = try requireText(chair, field: "chair", what: "the chair's name")
    guard (2000...2100).contains(meetingDate.year) else {
      throw InvalidInput(
        field: "date", problem: "\(meetingDate) is not a date a board could meet on",
        fix: "Give the meeting's date, e.g. \(today)")
    }
    let file = path
    return try write(as: session, needs: .runBoard) { db, audit in
      let meetingId = try BoardTable.insertMeeting(
        on: meetingDate, chair: chair,
        attendees: try attendees.compactMap { try optionalText($0, field: "attendees", kind: .name) },
        by: audit.actor.id, at: audit.at,
        auditSeq: audit.nextSequence, in: db)
      let meeting = try Register.meeting(meetingId, in: db)
      let previous = try Register.previousMeeting(before: meeting, in: db)
      let settings = try Register.settings(in: db)
      let calendar = try Register.calendar(in: db).calendar
      var unsatisfactory = Set<Int64>()
      for r in try Row.fetchAll(
        db,
        sql:
          "SELECT k.caseId FROM registerCheck k WHERE k.id IN (SELECT max(id) FROM registerCheck GROUP BY caseId) AND k.satisfactoryExplanation = 0"
      ) {
        unsatisfactory.insert(r["caseId"])
      }
      let proposed = Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT caseId FROM closureProposal"))
      let rules = AgendaRules()
      var count = 0
      // The open cases a batch at a time: only a few batches' facts are
      // held. The next batches are read and assessed on other connections
      // while this one writes the agenda (it holds the write lock, so they
      // read the register as it stands here).
      let ids = try Int64.fetchAll(
        db, sql: "SELECT c.id FROM cmeCase c WHERE c.status = 'open' AND c.openedOn <= ? ORDER BY c.id",
        arguments: [today.description])
      try Register.readAhead(
        Register.idBatches(ids, batch: batch), file: file, in: db,
        produce: { own, part in
          try Register.caseFacts(ids: part, in: own).map {
            ($0, assessCase($0, today: today, calendar: calendar, settings: settings))
          }
        }
      ) { batch in
        for (f, a) in batch {
          let c = f.caseRecord
          let reasons = rules.reasons(
            AgendaRules.Facts(
              rag: c.rag, schoolDaysOpen: calendar.schoolDays(after: c.openedOn, through: today),
              overdueActions: a.overdueActions, clockBreaches: a.clockBreaches.count,
              lastCheckUnsatisfactory: unsatisfactory.contains(c.id ?? 0), openedOn: c.openedOn,
              proposedForClosure: proposed.contains(c.id ?? 0)),
            previousMeeting: previous)
          guard !reasons.isEmpty else { continue }
          try BoardTable.addToAgenda(
            meetingId: meeting.id, caseId: c.id!, reasons: reasons.joined(separator: "; "), addedBy: .rules,
            auditSeq: audit.nextSequence, in: db)
          count += 1
        }
      }
      try audit.append(
        action: .boardMeetingCreate, entity: "boardMeeting", entityId: String(meeting.id),
        after: [
          "date": meetingDate.description, "chair": chair, "attendees": attendees.joined(separator: ", "),
          "agenda": String(count),
        ])
      return (meeting, count)
    }
  }

  /// A meeting and its agenda, worst first.
  public func meetingAgenda(_ id: Int64, by session: Session) throws -> (BoardMeetingRecord, [AgendaEntry]) {
    return try read(as: session, needs: .readBoardPapers) { db in
      let m = try Register.meeting(id, in: db)
      var decisions: [String: [String]] = [:]
      for r in try Row.fetchAll(
        db,
        sql:
          "SELECT c.reference, d.decision, d.note FROM boardDecision d JOIN cmeCase c ON c.id = d.caseId WHERE d.meetingId = ? ORDER BY d.id",
        arguments: [id])
      {
        decisions[r["reference"], default: []].append("\(r["decision"] as String): \(r["note"] as String)")
      }
      var previous: [String: [String]] = [:]
      let previousMeeting = BoardTable.previousMeetingQuery(before: m.date, meetingId: m.id)
      for r in try Row.fetchAll(
        db,
        sql: """
          SELECT c.reference, d.decision, d.note, m.meetingDate FROM boardDecision d JOIN cmeCase c ON c.id = d.caseId
          JOIN boardMeeting m ON m.id = d.meetingId
          WHERE d.meetingId = (\(previousMeeting.sql))
          ORDER BY d.id
          """, arguments: StatementArguments(previousMeeting.arguments))
      {
        previous[r["reference"], default: []].append(
          "\(r["meetingDate"] as String) \(r["decision"] as String): \(r["note"] as String)")
      }
      let items = try Row.fetchAll(
        db,
        sql: """
          SELECT c.reference, c.rag, c.openedOn, a.reasons, a.addedBy FROM boardAgendaItem a JOIN cmeCase c ON c.id = a.caseId
          WHERE a.meetingId = ?
          ORDER BY \(CaseTable.worstFirst)
          """, arguments: [id]
      ).map { r in
        AgendaEntry(
          reference: r["reference"], rag: try (r["rag"] as String?).map { try RAG.stored($0) }, reasons: r["reasons"],
          addedBy: r["addedBy"],
          openedOn: try Register.date(r["openedOn"]) ?? m.date, decisions: decisions[r["reference"]] ?? [],
          previousDecisions: previous[r["reference"]] ?? [])
      }
      return (m, items)
    }
  }

  /// The meetings, newest first.
  public func meetings(by session: Session) throws -> [BoardMeetingRecord] {
    return try read(as: session, needs: .readBoardPapers) { db in
      try Int64.fetchAll(db, sql: "SELECT id FROM boardMeeting ORDER BY meetingDate DESC, id DESC").map {
        try Register.meeting($0, in: db)
      }
    }
  }

  // MARK: - Decisions

  /// What a decision needs besides its kind and note.
  public struct DecisionDetails: Sendable {
    public var rag: RAG?
    public var agency: Agency?
    public var description: String?
    public var due: LocalDate?
    public var owner: String?
    public var outcome: ClosureOutcome?
    public var evidence: ClosureEvidence?
    public init(
      rag: RAG? = nil, agency: Agency? = nil, description: String? = nil, due: LocalDate? = nil, owner: String? = nil,
      outcome: ClosureOutcome? = nil, evidence: ClosureEvidence? = nil
    ) {
      self.rag = rag
      self.agency = agency
      self.description = description
      self.due = due
      self.owner = owner
      self.outcome = outcome
      self.evidence = evidence
    }
  }

  /// Records a board decision on a case, and the work it creates, in one
  /// transaction: an escalation or an action is raised for its agency; a
  /// decision to change the rating or to close is raised as an action for
  /// the lead caseworker, since the board does not change a case itself.
  /// The decision names the last pack built for the meeting.
  public func decide(
    meeting id: Int64, case reference: CaseReference, decision: BoardDecisionKind, note: String, addToAgenda: Bool,
    details: DecisionDetails, noteSafe: Bool = false, by session: Session, today: LocalDate
  ) throws -> (packDigest: String?, work: String) {
    let note = try requireText(note, field: "note", what: "the note")
    return try write(as: session, needs: .runBoard) { db, audit in
      // The note is free text: it is printed in the pack only when a manager says it names no one.
      if noteSafe { try audit.actor.require(.markNoteSafe) }
      let meeting = try Register.meeting(id, in: db)
      let c = try Register.fetchCase(reference, in: db)
      let onAgenda =
        try Bool.fetchOne(
          db, sql: "SELECT 1 FROM boardAgendaItem WHERE meetingId = ? AND caseId = ?", arguments: [id, c.id]) != nil
      if !onAgenda {
        guard addToAgenda else {
          throw InvalidInput(
            field: "CASE", problem: "\(c.reference) is not on the agenda of meeting \(id)",
            fix: "Add it to the agenda, or choose a case on it", next: .showAgenda(id))
        }
        try BoardTable.addToAgenda(
          meetingId: id, caseId: c.id!, reasons: "added at the meeting by \(audit.actor.name)", addedBy: .decision,
          auditSeq: audit.nextSequence, in: db)
      }
      let pack = try BoardTable.latestPackDigest(meetingId: id, in: db)
      var actionId: Int64?
      var work = "no further work"
      switch decision {
      case .continue:
        break
      case .addAction, .escalateSocialCare, .escalatePolice:
        let agency: Agency =
          decision == .escalateSocialCare
          ? .socialCare : decision == .escalatePolice ? .police : (details.agency ?? .other)
        if decision == .addAction
          && (details.agency == nil || optionalText(details.description) == nil || details.due == nil)
        {
          throw InvalidInput(
            field: "agency", problem: "an add-action decision needs the agency, a description and a due date",
            fix: "Give all three")
        }
        let calendar = try Register.calendar(in: db).calendar
        let due = details.due ?? calendar.adding(schoolDays: 5, to: today) ?? today.adding(days: 7)
        let text = optionalText(details.description) ?? "Board escalation (meeting \(id)): \(note)"
        let a = try Register.performAddAction(
          c, agency: agency, description: text, due: due, owner: details.owner, today: today, in: db, audit: &audit)
        actionId = a.id
        work = "action \(a.id) raised for \(agency.label), due \(a.dueOn)"
      case .changeRAG, .close:
        // The board decides; the caseworkers who hold the case act on it. A
        // rating or a closure is recorded by them, with their reasons and
        // the evidence, through the case's own commands: the decision
        // raises that work as an action for the lead (or, without one, for
        // the managers), due in five school days.
        let asked: String
        if decision == .changeRAG {
          guard let rag = details.rag else {
            throw InvalidInput(
              field: "rag", problem: "a change-rag decision needs the new rating",
              fix: "Give the new rating: red, amber or green")
          }
          asked = "rate the case \(rag.rawValue) (now \(c.rag?.rawValue ?? "unrated")) and record why"
        } else {
          guard let outcome = details.outcome else {
            throw InvalidInput(
              field: "outcome", problem: "a close decision needs the outcome",
              fix: "Give the outcome and the evidence it needs")
          }
          asked = "close the case as \(outcome.label) once the evidence that outcome needs is confirmed"
        }
        let calendar = try Register.calendar(in: db).calendar
        let due = calendar.adding(schoolDays: 5, to: today) ?? today.adding(days: 7)
        let a = try Register.performAddAction(
          c, agency: .other, description: "Board meeting \(id) decided: \(asked). \(note)", due: due,
          owner: c.leadCaseworker ?? "managers", today: today, in: db, audit: &audit)
        actionId = a.id
        work = "action \(a.id) raised for \(a.owner ?? "the lead"): \(asked), due \(a.dueOn)"
      }
      try BoardTable.insertDecision(
        meetingId: id, caseId: c.id!, decision: decision, note: note, noteSafe: noteSafe, packDigest: pack,
        actionId: actionId,
        rag: details.rag, by: audit.actor.id, at: audit.at, auditSeq: audit.nextSequence, in: db)
      try audit.append(
        action: .boardDecide, entity: "case", entityId: c.reference, childId: c.childId, caseId: c.id, reason: note,
        after: [
          "meeting": String(meeting.id), "decision": decision.rawValue, "pack": pack ?? "none built", "work": work,
          "noteSafe": noteSafe ? "yes" : "no",
        ])
      return (pack, work)
    }
  }
}

extension Register {
  /// The baseline as rows (characteristic, code, count).
  public func baselineRows(by session: Session) throws -> [(String, String, Int)] {
    return try read(as: session, needs: .readBoardPapers) { db in
      try Row.fetchAll(
        db, sql: "SELECT characteristic, code, count FROM populationBaseline ORDER BY characteristic, code"
      ).map { ($0["characteristic"], $0["code"], $0["count"]) }
    }
  }
}
