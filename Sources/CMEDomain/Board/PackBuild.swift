import Foundation

extension BoardPack {
  /// The pack's figures from the register's facts, as of the meeting date.
  ///
  /// Every count of Part A is a cell of one ``DisclosureSheet``, with the
  /// relations a reader knows between them (each breakdown adds up to the
  /// open cases; the open cases now are those at the last meeting plus those
  /// opened, less those closed, since), protected together. Part B's
  /// decision agenda takes the `agendaCap` highest-risk cases of the agenda.
  public static func build(
    from f: PackFacts, identifiable: Bool, policy: SuppressionPolicy = .default,
    overRepresentedAt threshold: Double = 1.5, agendaCap: Int? = nil
  ) -> BoardPack {
    let day = f.meeting.date
    let since = f.previousMeeting ?? day.adding(days: -28)
    var sheet = DisclosureSheet(policy: policy)

    // Every case's dates, once: headline, trend and closed-case figures.
    var opened: [Int] = []
    var closed: [Int?] = []
    opened.reserveCapacity(f.cases.count)
    closed.reserveCapacity(f.cases.count)
    for s in f.cases {
      opened.append(s.openedOn.daysSinceEpoch)
      closed.append(s.closedOn?.daysSinceEpoch)
    }
    func openOn(_ d: Int) -> Int {
      var n = 0
      for i in opened.indices where opened[i] <= d && (closed[i].map { $0 > d } ?? true) { n += 1 }
      return n
    }
    let dayNumber = day.daysSinceEpoch
    let sinceNumber = since.daysSinceEpoch
    let openNow = sheet.cell("open cases", openOn(dayNumber), fixed: true)
    let newSince = sheet.cell(
      "opened \(Self.sinceWords(f.previousMeeting))", opened.filter { $0 > sinceNumber && $0 <= dayNumber }.count)
    let closedSince = sheet.cell(
      "closed \(Self.sinceWords(f.previousMeeting))",
      closed.compactMap { $0 }.filter { $0 > sinceNumber && $0 <= dayNumber }.count)
    // The open cases at the last meeting were published in its pack: with
    // the flows since, they give the open cases now.
    var openAtLast: Cell?
    if f.previousMeeting != nil {
      let last = sheet.cell("open cases at the last meeting", openOn(sinceNumber), fixed: true)
      sheet.relation([(openNow, 1), (last, -1), (newSince, -1), (closedSince, 1)])
      openAtLast = last
    } else {
      let before = sheet.unpublished("open cases 28 days before", openOn(sinceNumber))
      sheet.relation([(openNow, 1), (before, -1), (newSince, -1), (closedSince, 1)])
    }

    // The trend: month ends over the last 12 months and a year earlier. A
    // month-end count is the same figure in every pack that shows it, and is
    // hidden only when small, so consecutive packs agree.
    let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    var trend: [TrendPoint] = []
    for back in stride(from: 11, through: 0, by: -1) {
      var y = day.year
      var mo = day.month - back
      while mo < 1 {
        mo += 12
        y -= 1
      }
      guard let monthEnd = LocalDate(year: y, month: mo, day: LocalDate.daysIn(month: mo, year: y)) else { continue }
      let end = Swift.min(monthEnd, day)
      guard
        let lastYear = LocalDate(
          year: y - 1, month: mo, day: Swift.min(end.day, LocalDate.daysIn(month: mo, year: y - 1)))
      else { continue }
      let label = "\(monthNames[mo - 1]) \(String(y).suffix(2))"
      trend.append(
        .init(
          month: label,
          open: end == day
            ? openNow : sheet.cell("open at the end of \(monthEnd)", openOn(end.daysSinceEpoch), fixed: true),
          lastYear: sheet.cell("open on \(lastYear)", openOn(lastYear.daysSinceEpoch), fixed: true)))
    }

    // Closed in the last 12 months: how, and how long they took.
    var closedDurations: [Int] = []
    var outcomeCounts: [String: Int] = [:]
    for i in opened.indices {
      guard let c = closed[i], c > dayNumber - 365, c <= dayNumber else { continue }
      closedDurations.append(c - opened[i])
      outcomeCounts[f.cases[i].outcome?.label ?? "outcome not recorded", default: 0] += 1
    }
    closedDurations.sort()
    let median: Int? =
      closedDurations.isEmpty
      ? nil
      : closedDurations.count % 2 == 1
        ? closedDurations[closedDurations.count / 2]
        : (closedDurations[closedDurations.count / 2 - 1] + closedDurations[closedDurations.count / 2]) / 2
    let closedCount = sheet.cell("closed in the last 12 months", closedDurations.count)
    // The breakdowns count the open cases the facts describe: the same cases
    // as the headline's, unless the facts were gathered otherwise.
    let openTotal =
      f.open.count == openOn(dayNumber)
      ? openNow : sheet.cell("open cases described", f.open.count, fixed: true)

    // The open cases and their children, counted as they were gathered.
    let tally = f.open
    let (byRAG, byReason, byTimeOpen, byWhereabouts) = (
      tally.byRAG, tally.byReason, tally.byTimeOpen, tally.byWhereabouts
    )
    let (byYearGroup, byArea, bySource, byBreach) = (tally.byYearGroup, tally.byArea, tally.bySource, tally.byBreach)
    let (breached, notSeen, repeats, pastAge) = (tally.breached, tally.notSeen, tally.repeats, tally.pastAge)
    let (groupCounts, senCounts) = (tally.groupCounts, tally.senCounts)
    // Every category is listed, zeros too, in its natural order: a list of
    // only the categories that have cases, or one sorted by count, would
    // tell a reader more about a hidden count than its label does.
    func breakdown(
      _ title: String, _ order: [String], _ counts: [String: Int], note: String? = nil, chart: Bool = true
    ) -> Breakdown {
      let keys = order
      let values = keys.map { counts[$0] ?? 0 }
      return .init(
        title: title, note: note,
        table: ProtectedTable(categories: keys, counts: values, name: title, total: openTotal, in: &sheet), chart: chart
      )
    }
    // Areas: the districts with at least 5 open cases, by name, and the rest
    // together; while the rest is fewer than 5, the smallest district joins it.
    func areaBreakdown(_ counts: [String: Int]) -> Breakdown {
      var listed = counts.filter { $0.value >= 5 }
      var rest = counts.values.reduce(0, +) - listed.values.reduce(0, +)
      while (1...4).contains(rest), let smallest = listed.min(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
        listed[smallest.key] = nil
        rest += smallest.value
      }
      let keys = listed.keys.sorted()
      return .init(
        title: "Area (postcode district)",
        note: "Districts with at least 5 open cases, and the rest together (at least 5, or none).",
        table: ProtectedTable(
          categories: keys + ["other districts"], counts: keys.map { listed[$0]! } + [rest],
          name: "Area (postcode district)", total: openTotal, in: &sheet), chart: false)
    }
    let ragTable = breakdown("Open cases by RAG rating", ["red", "amber", "green", "not rated"], byRAG)
    let bands = Self.durationBands
    let timeTable = breakdown("Time open", bands, byTimeOpen)
    let whereTable = breakdown("Whereabouts", ["known", "unknown"], byWhereabouts)
    var breakdowns: [Breakdown] = [
      ragTable,
      breakdown("Open cases by reason", CaseReason.allCases.map(\.label), byReason),
      timeTable,
      whereTable,
      breakdown("Referral source", ReferralSource.allCases.map(\.label), bySource),
      breakdown("Year group", YearGroup.labels, byYearGroup),
      areaBreakdown(byArea),
    ]
    // Derived measures, each tied to the table it comes from.
    let over12 = sheet.cell(
      "open more than 12 weeks", (byTimeOpen[bands[2]] ?? 0) + (byTimeOpen[bands[3]] ?? 0) + (byTimeOpen[bands[4]] ?? 0)
    )
    sheet.sum([2, 3, 4].map { timeTable.table.cells[$0][0] }, is: over12)
    let red = ragTable.table.cells[0][0]
    let unknown = whereTable.table.cells[1][0]
    let notSeenCell = sheet.cell("not seen since the case opened", notSeen)
    let repeatCell = sheet.cell("repeat episodes", repeats)
    let pastAgeCell = sheet.cell("past compulsory school age", pastAge)
    let breachedCell = sheet.cell("open cases with a clock breached", breached)
    // A yes-count's complement (open cases less it) is a count of children too.
    func complement(_ cell: Cell, _ name: String, _ value: Int) {
      let rest = sheet.unpublished("not: \(name)", f.open.count - value)
      sheet.sum([cell, rest], is: openTotal)
    }
    complement(notSeenCell, "not seen", notSeen)
    complement(repeatCell, "repeat episodes", repeats)
    complement(pastAgeCell, "past school age", pastAge)
    complement(breachedCell, "clock breached", breached)
    if !byBreach.isEmpty {
      // Not a partition of the open cases (a case may breach more than one
      // clock): each clock's count stands alone, and no total is shown.
      let keys = byBreach.keys.sorted()
      breakdowns.append(
        .init(
          title: "Clock breaches (open cases)", note: "A case may breach more than one clock.",
          table: ProtectedTable(
            categories: keys, counts: keys.map { byBreach[$0]! }, name: "Clock breaches (open cases)",
            total: sheet.unpublished("clock breaches, all", byBreach.values.reduce(0, +), guarded: false), in: &sheet),
          chart: false, showTotal: false))
    }
    let outcomes = ClosureOutcome.allCases.map(\.label) + ["outcome not recorded"]
    breakdowns.append(
      .init(
        title: "Closed in the last 12 months, by outcome",
        table: ProtectedTable(
          categories: outcomes, counts: outcomes.map { outcomeCounts[$0] ?? 0 },
          name: "closed by outcome", total: closedCount, in: &sheet), unit: "closed cases"))

    // Actions by agency: due, overdue by age, declined.
    let agencies = Agency.allCases.filter { f.actions[$0] != nil }
    let actionColumns = ["due", "overdue 1–7 days", "overdue 8–28 days", "overdue over 28 days", "declined"]
    let actionsTable = ProtectedTable(
      rows: agencies.map(\.label), columns: actionColumns,
      counts: agencies.map { a in f.actions[a].map { [$0.due] + $0.overdueBy + [$0.declined] }! },
      name: "actions", in: &sheet)
    let overdueActions = sheet.cell(
      "overdue actions", agencies.reduce(0) { $0 + (f.actions[$1]?.overdue ?? 0) })
    sheet.sum([1, 2, 3].map { actionsTable.cells[agencies.count][$0] }, is: overdueActions)
    if !agencies.isEmpty {
      breakdowns.append(
        .init(
          title: "Multi-agency actions on open cases, by agency",
          note:
            "Due: open or accepted, not yet due. Overdue: past due, by how long. Declined: by the agency.",
          table: actionsTable, chart: false, unit: "actions"))
    }

    // Register check.
    var cycleCells: (Cell, Cell, Cell)?
    if case .open(_, _, let checked, let total, _, let without) = f.cycle {
      let t = sheet.cell("register check: open cases in the cycle", total)
      let k = sheet.cell("register check: checked", checked)
      let w = sheet.cell("register check: without a satisfactory explanation", without)
      cycleCells = (k, t, w)
    }

    // Equality: each characteristic's rows, with the relations between them.
    let baseline = f.baseline
    let registerTotal = f.open.count
    var equality: [EqualityRow] = []
    func rows(
      _ characteristic: String, key: String, _ codes: [(code: String, label: String, dataQuality: Bool)],
      partition: Bool, counts given: [String: Int]? = nil
    ) -> [Cell] {
      let counts = codes.map { (given ?? groupCounts[key] ?? [:])[$0.code] ?? 0 }
      var cells: [Cell] = []
      for (i, c) in codes.enumerated() {
        let cell = sheet.cell("\(characteristic): \(c.label)", counts[i])
        cells.append(cell)
        equality.append(
          .init(
            characteristic: characteristic,
            d: Disproportion(
              group: c.label, registerCount: counts[i], registerTotal: registerTotal,
              populationCount: baseline?.count(key, c.code) ?? 0, populationTotal: baseline?.total ?? 0),
            cell: cell, dataQuality: c.dataQuality))
      }
      if partition {
        sheet.sum(cells, is: openTotal)
      } else if codes.count == 1 {
        complement(cells[0], "\(characteristic): \(codes[0].label)", counts[0])
      }
      return cells
    }
    let ethnicCodes = Ethnicity.main.keys.sorted().map { code in
      (code: code, label: Ethnicity.main[code]!, dataQuality: code == "REFU" || code == "NOBT")
    }
    let ethnic = rows("Ethnicity", key: "ethnicity", ethnicCodes, partition: true)
    // Somali children are part of Black African; the other named groups are main groups themselves.
    let somali = rows(
      "Ethnicity", key: "named-group", [(code: "Somali", label: "Somali (part of Black African)", dataQuality: false)],
      partition: false)[0]
    if let bafr = ethnicCodes.firstIndex(where: { $0.code == "BAFR" }) {
      let rest = sheet.unpublished(
        "Black African, not Somali",
        (groupCounts["ethnicity"]?["BAFR"] ?? 0) - (groupCounts["named-group"]?["Somali"] ?? 0))
      sheet.sum([somali, rest], is: ethnic[bafr])
    }
    _ = rows(
      "Sex", key: "sex", [("F", "Female", false), ("M", "Male", false), ("U", "Sex not recorded", true)],
      partition: true)
    _ = rows(
      "SEN provision", key: "sen",
      [
        ("E", "EHC plan", false), ("K", "SEN support", false), ("N", "No SEN", false),
        ("none recorded", "SEN not recorded", true),
      ], partition: true, counts: senCounts)
    let lacCell = rows("Looked after", key: "looked-after", [("yes", "Looked after", false)], partition: false)[0]
    let cinCell = rows("Child in need", key: "child-in-need", [("yes", "Child in need", false)], partition: false)[0]
    let cpCell = rows(
      "Child protection", key: "child-protection", [("yes", "Child protection plan", false)], partition: false)[0]
    _ = rows("Free school meals", key: "fsm", [("yes", "Eligible for free school meals", false)], partition: false)
    _ = rows("Language", key: "eal", [("yes", "English as an additional language", false)], partition: false)
    _ = rows("Disability", key: "disability", [("yes", "Disability recorded", false)], partition: false)
    _ = rows("Service child", key: "service-child", [("yes", "Service child", false)], partition: false)

    // Rate per 10,000 against the national figure for the latest census.
    let national = NationalFigure.latest(onOrBefore: day)
    let censusCell = national.map {
      sheet.cell("open on the \($0.census) census day", openOn($0.censusDay.daysSinceEpoch), fixed: true)
    }

    // The agenda: every case on it ranked by risk; the decision agenda takes the highest.
    let markerCells = ["child-protection": cpCell, "looked-after": lacCell, "child-in-need": cinCell]
    let qualifying = sheet.cell("cases meeting the agenda rules", f.agenda.count)
    let decisionLines = f.previousDecisions.map { Self.decisionLine($0, day: day) }
    let notCarriedOut = sheet.cell(
      "decisions of the last meeting not carried out on time", decisionLines.filter(\.notCarriedOut).count)

    // Everything is in the sheet: protect it.
    // With fewer than 10 open cases every breakdown is made of small counts:
    // nothing is published but the labels.
    let cells = sheet.protected(hidingAll: f.open.count < 10)
    func rate(_ c: Cell) -> Double? {
      guard let total = baseline?.total, total > 0, let n = cells.value(c) else { return nil }
      return Double(n) / Double(total) * 10_000
    }

    let previousByCase = Dictionary(grouping: f.previousDecisions, by: \.reference)
    let cap = agendaCap ?? f.settings.boardAgendaCases
    let ranked = f.agenda.map { item -> (item: PackFacts.AgendaItem, risk: AgendaRisk.Facts) in
      (
        item,
        AgendaRisk.Facts(
          rag: item.rag, childProtectionPlan: item.childProtectionPlan, lookedAfter: item.lookedAfter,
          childInNeed: item.childInNeed, concerns: item.concerns, whereaboutsKnown: item.whereaboutsKnown,
          seenSinceOpened: item.seenSinceOpened, overduePolice: item.overduePolice,
          overdueSocialCare: item.overdueSocialCare, daysOpen: item.daysOpen(on: day),
          proposedForClosure: item.reasons.contains("proposed for closure"),
          pastSchoolAge: CompulsorySchoolAge(dateOfBirth: item.dateOfBirth).hasEnded(by: day))
      )
    }
    .map { entry -> (item: PackFacts.AgendaItem, risk: AgendaRisk.Facts) in
      // Ranked by what Part B can print: a marker Part A hides would show
      // through the order if it weighed in the ranking.
      var shown = entry.risk
      shown.childProtectionPlan = shown.childProtectionPlan && !cells.isHidden(cpCell)
      shown.lookedAfter = shown.lookedAfter && !cells.isHidden(lacCell)
      shown.childInNeed = shown.childInNeed && !cells.isHidden(cinCell)
      return (entry.item, shown)
    }
    // Highest score first, then by reference; each score worked out once,
    // and the sort moves small keys, not the cases' facts.
    let order = ranked.indices.map { (score: AgendaRisk.score(ranked[$0].risk), index: $0) }.sorted {
      ($0.score, ranked[$1.index].item.reference)
        > ($1.score, ranked[$0.index].item.reference)
    }
    let agenda = order.prefix(max(0, cap)).map { ranked[$0.index] }.map { entry -> AgendaLine in
      let (item, risk) = entry
      // A marker is printed only where Part A shows how many children have it.
      func shownMarker(_ key: String) -> Bool { markerCells[key].map { !cells.isHidden($0) } ?? false }
      let why = AgendaRisk.factors(risk).filter { factor in factor.marker.map(shownMarker) ?? true }.map(\.words)
      // The decision sought, too, speaks only of the markers Part A shows.
      var shown = risk
      shown.childProtectionPlan = risk.childProtectionPlan && shownMarker("child-protection")
      shown.lookedAfter = risk.lookedAfter && shownMarker("looked-after")
      shown.childInNeed = risk.childInNeed && shownMarker("child-in-need")
      let previous = (previousByCase[item.reference] ?? []).map { Self.decisionLine($0, day: day).summary }
      return AgendaLine(
        reference: item.reference, rag: item.rag, why: why.isEmpty ? ["on the agenda: \(item.reasons)"] : why,
        decisionSought: AgendaRisk.decisionSought(shown),
        previousDecision: previous.isEmpty ? "none" : previous.joined(separator: "; "), risk: AgendaRisk.score(risk),
        identity: identifiable
          ? item.identity.map { child in
            "\(child.legalForename) \(child.legalSurname), born \(child.dateOfBirth)\(child.currentAddress.map { ", \($0.text)\($0.postcode.map { " \($0)" } ?? "")" } ?? "")"
          } : nil)
    }

    // Direction of travel against the last meeting's pack and the targets.
    let followed: [(key: String, measure: String, cell: Cell)] = [
      ("openCases", "Open cases", openNow), ("red", "Red cases", red),
      ("whereaboutsUnknown", "Whereabouts unknown", unknown),
      ("notSeen", "Not seen since the case opened", notSeenCell),
      ("overdueActions", "Overdue actions", overdueActions),
    ]
    let directions = followed.map { m -> Direction in
      let name = cells.name(m.cell)
      let before = f.previousFigures?[name]
      let now = cells.value(m.cell)
      var change = "–"
      if let now, let b = before.flatMap({ Int($0) }), policy.roundTo == 1,
        (f.previousFigures?["(rounded to)"] ?? "1") == "1"
      {
        change = now == b ? "no change" : now > b ? "up \(now - b)" : "down \(b - now)"
      }
      let target = f.settings.boardTargets[m.key]
      return Direction(
        measure: m.measure, now: cells.text(m.cell), lastMeeting: before ?? "–", change: change, target: target,
        targetMet: target.flatMap { t in now.map { $0 <= t } })
    }

    return BoardPack(
      authority: f.authority, meeting: f.meeting, previousMeeting: f.previousMeeting, policy: policy,
      identifiable: identifiable, logSequence: f.logSequence, logHash: f.logHash, cells: cells, openNow: openNow,
      openAtLastMeeting: openAtLast, newSince: newSince, closedSince: closedSince, closedCount: closedCount,
      closedMedianDays: median, trend: trend,
      breakdowns: breakdowns.map { b in
        var b = b
        b.table = b.table.publishing(cells)
        return b
      }, notSeen: notSeenCell, repeatEpisodes: repeatCell, pastSchoolAge: pastAgeCell, overdueActions: overdueActions,
      openOver12Weeks: over12, red: red, whereaboutsUnknown: unknown, clockBreaches: breachedCell,
      ratePer10000: rate(openNow), national: national, openOnCensusDay: censusCell,
      censusRatePer10000: censusCell.flatMap(rate), equality: equality, equalityThreshold: threshold,
      baselineMissing: baseline == nil, cycle: f.cycle, cycleChecked: cycleCells?.0, cycleTotal: cycleCells?.1,
      cycleWithout: cycleCells?.2, directions: directions, previousPackFound: f.previousFigures != nil,
      qualifying: qualifying, agendaCap: cap, agenda: Array(agenda),
      previousDecisions: decisionLines, notCarriedOut: notCarriedOut)
  }
}
