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
    overRepresentedAt threshold: Double = 1.5, by actor: String
  ) throws -> BuiltPack {
    guard ["html", "md", "csv"].contains(format) else {
      throw InvalidInput(field: "--format", problem: "'\(format)' is not a pack format", fix: "Use html, md or csv")
    }
    return try write(as: actor, needs: .runBoard) { db, audit in
      if identifiable { try audit.actor.require(.seeIdentifiablePack) }
      let m = try Register.meeting(id, in: db)
      let pack = try Register.packData(
        meeting: m, identifiable: identifiable, agendaLimit: agendaLimit, policy: policy, threshold: threshold, in: db)
      let digest = Digest.sha256(Array(PackRenderer.csv(pack, digest: nil).utf8)).hex
      let text: String =
        switch format {
        case "html": PackRenderer.html(pack, digest: digest)
        case "md": PackRenderer.markdown(pack, digest: digest)
        default: PackRenderer.csv(pack, digest: digest)
        }
      try db.execute(
        sql:
          "INSERT INTO boardPack (meetingId, digest, format, identifiable, logSequence, byUserId, at, auditSeq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        arguments: [id, digest, format, identifiable, pack.logSequence, audit.actor.id, audit.at, audit.nextSequence])
      try audit.append(
        action: "board.pack", entity: "boardMeeting", entityId: String(id),
        reason: identifiable ? "identifiable pack" : nil,
        after: [
          "digest": digest, "format": format, "identifiable": identifiable ? "yes" : "no",
          "logSequence": String(pack.logSequence),
        ])
      return BuiltPack(text: text, digest: digest, logSequence: pack.logSequence, agendaCases: pack.agendaTotal)
    }
  }

  static func packData(
    meeting m: BoardMeetingRecord, identifiable: Bool, agendaLimit: Int, policy: SuppressionPolicy, threshold: Double,
    in db: Database
  ) throws -> BoardPack {
    let day = m.date
    let previous = try previousMeeting(before: m, in: db)
    let since = previous ?? day.adding(days: -28)
    let log = try Row.fetchOne(
      db, sql: "SELECT seq, hash FROM auditEntry WHERE action <> 'board.pack' ORDER BY seq DESC LIMIT 1")
    let settings = try Register.settings(in: db)
    let calendar = try Register.calendar(in: db).calendar

    // Every case's dates, once: headline, trend and closed-case figures.
    var opened: [Int] = []
    var closed: [Int?] = []
    var outcomes: [String?] = []
    let cursor = try Row.fetchCursor(db, sql: "SELECT openedOn, closedOn, outcome FROM cmeCase")
    while let r = try cursor.next() {
      opened.append(date(r["openedOn"])?.daysSinceEpoch ?? 0)
      closed.append(date(r["closedOn"])?.daysSinceEpoch)
      outcomes.append(r["outcome"])
    }
    func openOn(_ d: Int) -> Int {
      var n = 0
      for i in opened.indices where opened[i] <= d && (closed[i].map { $0 > d } ?? true) { n += 1 }
      return n
    }
    let dayNumber = day.daysSinceEpoch
    let sinceNumber = since.daysSinceEpoch
    let newSince = opened.filter { $0 > sinceNumber && $0 <= dayNumber }.count
    let closedSince = closed.compactMap { $0 }.filter { $0 > sinceNumber && $0 <= dayNumber }.count
    let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    var trend: [BoardPack.TrendPoint] = []
    for back in stride(from: 11, through: 0, by: -1) {
      var y = day.year
      var mo = day.month - back
      while mo < 1 {
        mo += 12
        y -= 1
      }
      let end = Swift.min(LocalDate(year: y, month: mo, day: LocalDate.daysIn(month: mo, year: y))!, day)
      let lastYear = LocalDate(
        year: y - 1, month: mo, day: Swift.min(end.day, LocalDate.daysIn(month: mo, year: y - 1)))!
      trend.append(
        .init(
          month: "\(monthNames[mo - 1]) \(String(y).suffix(2))", open: openOn(end.daysSinceEpoch),
          lastYear: openOn(lastYear.daysSinceEpoch)))
    }
    var closedDurations: [Int] = []
    var outcomeCounts: [String: Int] = [:]
    for i in opened.indices {
      guard let c = closed[i], c > dayNumber - 365, c <= dayNumber else { continue }
      closedDurations.append(c - opened[i])
      outcomeCounts[outcomes[i] ?? "", default: 0] += 1
    }
    closedDurations.sort()
    let median =
      closedDurations.isEmpty
      ? nil
      : closedDurations.count % 2 == 1
        ? closedDurations[closedDurations.count / 2]
        : (closedDurations[closedDurations.count / 2 - 1] + closedDurations[closedDurations.count / 2]) / 2

    // The open cases and their children.
    let facts = try openCaseFacts(asOf: day, in: db)
    var children: [Int64: ChildFacts] = [:]
    for r in try Row.fetchAll(
      db,
      sql: """
        SELECT ch.id, ch.dateOfBirth, ch.sex, ch.ethnicity, ch.senProvision, ch.lookedAfter, ch.childInNeed, ch.childProtectionPlan,
          ch.freeSchoolMeals, ch.firstLanguage,
          (SELECT postcode FROM childAddress a WHERE a.childId = ch.id AND a.toDate IS NULL ORDER BY a.fromDate DESC, a.id DESC LIMIT 1) AS postcode
        FROM child ch WHERE ch.id IN (SELECT childId FROM cmeCase WHERE status = 'open')
        """)
    {
      let ethnicity = (r["ethnicity"] as String?).map(Ethnicity.init(checked:))
      children[r["id"]] = ChildFacts(
        dateOfBirth: date(r["dateOfBirth"]),
        district: (r["postcode"] as String?).flatMap { $0.split(separator: " ").first.map(String.init) },
        groups: [
          "ethnicity": ethnicity?.mainCode ?? "NOBT", "named-group": ethnicity?.namedGroup?.rawValue ?? "",
          "sex": r["sex"] as String,
          "sen": r["senProvision"] as String? ?? "", "looked-after": (r["lookedAfter"] as Bool) ? "yes" : "",
          "child-in-need": (r["childInNeed"] as Bool) ? "yes" : "",
          "child-protection": (r["childProtectionPlan"] as Bool) ? "yes" : "",
          "fsm": (r["freeSchoolMeals"] as Bool?) == true ? "yes" : "",
          "eal": (r["firstLanguage"] as String?).map { LanguageCode(checked: $0).isAdditionalLanguage } == true
            ? "yes" : "",
        ])
    }
    func breakdown(_ title: String, _ order: [String], _ values: [String], note: String? = nil, chart: Bool = true)
      -> BoardPack.Breakdown
    {
      var counts: [String: Int] = [:]
      for v in values { counts[v, default: 0] += 1 }
      // Without a natural order, the largest first (ties by name, so the order is stable).
      let keys = order.isEmpty ? counts.keys.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) } : order
      return .init(
        title: title, note: note,
        table: ProtectedTable(categories: keys, counts: keys.map { counts[$0] ?? 0 }, policy: policy), chart: chart)
    }
    var breakdowns: [BoardPack.Breakdown] = []
    breakdowns.append(
      breakdown(
        "Open cases by RAG rating", ["red", "amber", "green", "not rated"],
        facts.map { $0.rag?.rawValue ?? "not rated" }))
    breakdowns.append(breakdown("Open cases by reason", CaseReason.allCases.map(\.label), facts.map(\.reason.label)))
    breakdowns.append(
      breakdown(
        "Time open", ["under 4 weeks", "4 to 12 weeks", "over 12 weeks"],
        facts.map {
          let d = day.days(since: $0.openedOn)
          return d < 28 ? "under 4 weeks" : d <= 84 ? "4 to 12 weeks" : "over 12 weeks"
        }))
    breakdowns.append(
      breakdown(
        "Whereabouts", ["known", "unknown"], facts.map { $0.whereaboutsKnown ? "known" : "unknown" }))
    breakdowns.append(
      breakdown(
        "Year group", YearGroup.labels,
        facts.compactMap { f in (children[f.childId]?.dateOfBirth).map { YearGroup.label($0.yearGroup(on: day)) } }
      ).trimmed())
    breakdowns.append(
      breakdown(
        "Area (postcode district)", [],
        facts.map { f in children[f.childId]?.district ?? "no address" },
        chart: false))
    var breaches: [String] = []
    for f in facts {
      for k in clocks(f, asOf: day, calendar: calendar, settings: settings) where k.isBreach {
        breaches.append(k.label)
      }
    }
    if !breaches.isEmpty {
      breakdowns.append(
        breakdown(
          "Clock breaches (open cases)", [], breaches, note: "A case may breach more than one clock.", chart: false))
    }
    breakdowns.append(
      breakdown(
        "Closed in the last 12 months, by outcome", ClosureOutcome.allCases.map(\.label),
        outcomeCounts.flatMap { key, n in Array(repeating: ClosureOutcome(rawValue: key)?.label ?? key, count: n) }
      ).trimmed())

    // Actions by agency: due, overdue, declined.
    var actionRows: [String: [Int]] = [:]
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
      actionRows[Agency(rawValue: r["agency"])?.label ?? r["agency"]] = [r["due"], r["overdue"], r["declined"]]
    }
    let agencies = Agency.allCases.map(\.label).filter { actionRows[$0] != nil }
    if !agencies.isEmpty {
      breakdowns.append(
        .init(
          title: "Multi-agency actions on open cases, by agency",
          note: "Due: open or accepted, not yet due. Overdue: past due. Declined: by the agency.",
          table: ProtectedTable(
            rows: agencies, columns: ["due", "overdue", "declined"], counts: agencies.map { actionRows[$0]! },
            policy: policy), chart: false))
    }

    // Register check.
    var cycleLine = "No register-check cycle has been run."
    if let open = try openCycle(in: db) {
      let s = try status(of: open, in: db)
      cycleLine =
        "Register check, cycle \(open.id) (started \(open.startedOn)): \(s.checked) of \(s.total) open cases checked (\(s.percent)%); \(s.withoutExplanation) without a satisfactory explanation."
    } else if let last = try Row.fetchOne(db, sql: "SELECT id, closedOn FROM registerCycle ORDER BY id DESC LIMIT 1") {
      cycleLine = "No cycle is under way; cycle \(last["id"] as Int64) closed on \(last["closedOn"] as String)."
    }

    // Equality.
    let baseline = try Register.baseline(in: db)
    let registerTotal = facts.count
    var equality: [BoardPack.EqualityRow] = []
    // One pass over the open cases counts every group.
    var groupCounts: [String: [String: Int]] = [:]
    for f in facts {
      guard let c = children[f.childId] else { continue }
      for (characteristic, code) in c.groups where !code.isEmpty {
        groupCounts[characteristic, default: [:]][code, default: 0] += 1
      }
    }
    func group(_ characteristic: String, key: String, _ codes: [(code: String, label: String)], secondary: Bool) {
      let counts = codes.map { groupCounts[key]?[$0.code] ?? 0 }
      let protected = secondary ? ProtectedTable(categories: codes.map(\.label), counts: counts, policy: policy) : nil
      for (i, c) in codes.enumerated() {
        let hidden = protected?.isHidden(row: i, column: 0) ?? (1...policy.smallest).contains(counts[i])
        equality.append(
          .init(
            characteristic: characteristic,
            d: Disproportion(
              group: c.label, registerCount: counts[i], registerTotal: registerTotal,
              populationCount: baseline?.count(key, c.code) ?? 0, populationTotal: baseline?.total ?? 0),
            hidden: hidden))
      }
    }
    group(
      "Ethnicity", key: "ethnicity", Ethnicity.main.keys.sorted().map { (code: $0, label: Ethnicity.main[$0]!) },
      secondary: true)
    group(
      "Named group", key: "named-group", Ethnicity.NamedGroup.allCases.map { ($0.rawValue, $0.rawValue) },
      secondary: false)
    group("Sex", key: "sex", [("F", "Female"), ("M", "Male"), ("U", "Sex unknown")], secondary: true)
    group("SEN provision", key: "sen", [("E", "EHC plan"), ("K", "SEN support"), ("N", "No SEN")], secondary: false)
    group("Looked after", key: "looked-after", [("yes", "Looked after")], secondary: false)
    group("Child in need", key: "child-in-need", [("yes", "Child in need")], secondary: false)
    group("Child protection", key: "child-protection", [("yes", "Child protection plan")], secondary: false)
    group("Free school meals", key: "fsm", [("yes", "Eligible for free school meals")], secondary: false)
    group("Language", key: "eal", [("yes", "English as an additional language")], secondary: false)

    // The agenda, worst first, with each case's summary.
    let items = try Row.fetchAll(
      db,
      sql: """
        SELECT c.reference, a.reasons FROM boardAgendaItem a JOIN cmeCase c ON c.id = a.caseId WHERE a.meetingId = ?
        ORDER BY CASE c.rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 ELSE 3 END, c.openedOn, c.id
        """, arguments: [m.id])
    var agenda: [BoardPack.AgendaCase] = []
    for item in items.prefix(agendaLimit) {
      let c = try fetchCase(try CaseReference.parse(item["reference"], field: ""), in: db)
      let child = try Register.child(id: c.childId, in: db)
      let a = try assess(c, child: child, in: db, today: day)
      let breachesText = a.clockBreaches.map(\.label).joined(separator: "; ")
      agenda.append(
        .init(
          reference: c.reference, reasons: item["reasons"], rag: c.rag, suggestion: a.suggestion,
          schoolDaysMissing: a.schoolDaysMissing,
          daysOpen: c.daysOpen(on: day),
          lastContact: a.lastContact.map { "\($0.date) \($0.type.label)" } ?? "none recorded",
          actions:
            "\(a.openActions) open, \(a.overdueActions) overdue\(a.actionsToEscalate > 0 ? " (\(a.actionsToEscalate) to escalate)" : "")",
          clocks: breachesText.isEmpty ? "no breaches" : "breached: \(breachesText)",
          identity: identifiable
            ? "\(child.legalForename) \(child.legalSurname), born \(child.dateOfBirth)\(child.currentAddress.map { ", \($0.text)\($0.postcode.map { " \($0)" } ?? "")" } ?? "")"
            : nil))
    }

    // The previous meeting's decisions and whether they were carried out.
    var decisions: [BoardPack.DecisionLine] = []
    for r in try Row.fetchAll(
      db,
      sql: """
        SELECT c.reference, c.status, d.decision, d.note, a.state, a.dueOn, a.note AS actionNote, a.id AS actionId
        FROM boardDecision d JOIN cmeCase c ON c.id = d.caseId LEFT JOIN caseAction a ON a.id = d.actionId
        WHERE d.meetingId = (SELECT id FROM boardMeeting WHERE meetingDate < ? OR (meetingDate = ? AND id < ?) ORDER BY meetingDate DESC, id DESC LIMIT 1)
        ORDER BY d.id
        """, arguments: [day.description, day.description, m.id])
    {
      let kind = BoardDecisionKind(rawValue: r["decision"]) ?? .continue
      let carried: String
      switch kind {
      case .continue: carried = "noted"
      case .changeRAG: carried = "done: rating changed"
      case .close: carried = (r["status"] as String) == "closed" ? "done: closed" : "case since reopened"
      case .addAction, .escalateSocialCare, .escalatePolice:
        let state = ActionState(rawValue: r["state"] as String? ?? "") ?? .open
        let actionId: Int64 = r["actionId"] ?? 0
        switch state {
        case .done: carried = "done: action \(actionId) — \(r["actionNote"] as String? ?? "")"
        case .declined: carried = "NOT done: action \(actionId) declined — \(r["actionNote"] as String? ?? "")"
        case .cancelled: carried = "cancelled: action \(actionId) — \(r["actionNote"] as String? ?? "")"
        default:
          let due = date(r["dueOn"])
          carried =
            "not yet: action \(actionId) is \(state.rawValue), due \(due?.description ?? "?")\(due.map { $0 < day } ?? false ? " (OVERDUE)" : "")"
        }
      }
      decisions.append(.init(reference: r["reference"], decision: kind.label, note: r["note"], carriedOut: carried))
    }

    return BoardPack(
      authority: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'authority'") ?? "Local authority",
      meeting: .init(id: m.id, date: m.date, chair: m.chair, attendees: m.attendees), previousMeeting: previous,
      policy: policy,
      identifiable: identifiable, logSequence: log?["seq"] ?? 0, logHash: log?["hash"] ?? Digest.zero.hex,
      openNow: openOn(dayNumber),
      newSince: newSince, closedSince: closedSince, trend: trend, breakdowns: breakdowns, closedMedianDays: median,
      closedCount: closedDurations.count, equality: equality, equalityThreshold: threshold,
      baselineMissing: baseline == nil,
      cycleLine: cycleLine, agenda: agenda, agendaTotal: items.count, previousDecisions: decisions)
  }

}

/// What the pack needs of a child on the register, read once.
struct ChildFacts {
  var dateOfBirth: LocalDate?
  var district: String?
  /// Baseline characteristic → the child's code in it ("" when not in any group).
  var groups: [String: String]
}

extension BoardPack.Breakdown {
  /// Drops categories that are zero, for long lists (year groups, outcomes).
  func trimmed() -> BoardPack.Breakdown {
    let keep = table.rows.indices.filter { table.counts[$0][0] > 0 }
    guard !keep.isEmpty else { return self }
    return .init(
      title: title, note: note,
      table: ProtectedTable(
        categories: keep.map { table.rows[$0] }, counts: keep.map { table.counts[$0][0] }, policy: table.policy),
      chart: chart)
  }
}
