import CMEDomain
import Testing

/// The pack's figures from plain facts, without a register.
struct BoardPackBuildTests {
  func d(_ s: String) -> LocalDate { try! LocalDate.parse(s, field: "date") }

  func openCase(_ number: Int, opened: String, rag: RAG?, child: Child, postcode: String?) -> PackFacts.OpenCase {
    var c = CMECase(
      reference: "CME-2026-0000\(number)", childId: Int64(number), openedOn: d(opened), referralSource: .schoolReferral,
      reason: .whereaboutsUnknown, whereaboutsKnown: false)
    c.id = Int64(number)
    c.rag = rag
    return .init(facts: CaseFacts(caseRecord: c, child: child), postcode: postcode)
  }

  func facts() -> PackFacts {
    var girl = Child(legalSurname: "Lee", legalForename: "Amy", dateOfBirth: d("2023-01-10"))
    girl.sex = .female
    girl.ethnicity = Ethnicity(checked: "WROM")
    var boy = Child(legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: d("2014-03-02"))
    boy.sex = .male
    boy.lookedAfter = true
    boy.careAuthority = "891"
    boy.addresses = [Address(text: "12 Meadow Lane, Nottingham", postcode: "NG2 3HJ", from: d("2020-01-01"))]
    let open = [
      openCase(3, opened: "2026-11-02", rag: .amber, child: girl, postcode: nil),
      openCase(4, opened: "2026-06-01", rag: .red, child: boy, postcode: "NG2 3HJ"),
    ]
    return PackFacts(
      authority: "Test County", meeting: .init(id: 2, date: d("2026-11-16"), chair: "SD", attendees: []),
      previousMeeting: d("2026-10-19"), logSequence: 41, logHash: "ab", calendar: .englandDefault,
      baseline: PopulationBaseline(counts: [
        "total": ["all": 60000], "named-group": ["Gypsy/Roma": 240], "sex": ["F": 29400, "M": 30600],
      ]),
      cases: [
        .init(openedOn: d("2025-01-01"), closedOn: d("2025-06-01"), outcome: .eheSuitable),
        .init(openedOn: d("2026-01-10"), closedOn: d("2026-03-01"), outcome: .onRollLASchool),
        .init(openedOn: d("2026-10-20"), closedOn: d("2026-11-10"), outcome: .eheSuitable),
        .init(openedOn: d("2026-11-02")), .init(openedOn: d("2026-06-01")),
      ],
      openCases: open, actions: [.police: .init(due: 0, overdue: 1, declined: 0)],
      cycle: .open(id: 3, startedOn: d("2026-11-01"), checked: 1, total: 2, percent: 50, withoutExplanation: 0),
      agenda: [.init(reasons: "red", facts: open[1].facts, identity: boy)],
      previousDecisions: [
        .init(
          reference: "CME-2026-00004", decision: .escalatePolice, note: "PNC check", caseClosed: false, actionId: 7,
          actionState: .open, actionDueOn: d("2026-11-10")),
        .init(reference: "CME-2026-00001", decision: .close, note: "On roll", caseClosed: false),
      ])
  }

  @Test func the_headline_counts_cases_since_the_last_meeting_and_the_median_time_to_resolve() {
    let pack = BoardPack.build(from: facts(), identifiable: false)
    let n = pack.cells
    #expect(n.count(pack.openNow) == 2)
    #expect(n.count(pack.newSince) == 2)
    #expect(n.count(pack.closedSince) == 1)
    // Closed in the last 12 months after 50 and 21 days.
    #expect(n.count(pack.closedCount) == 2)
    #expect(pack.closedMedianDays == 35)
    #expect(pack.trend.map(\.month).last == "Nov 26")
    #expect(pack.trend.last?.open == pack.openNow)
    #expect(pack.sinceLabel == "since the last meeting (2026-10-19)")
    // Every count here is small: all of them are hidden, with one label.
    #expect(pack.text(pack.openNow) == "c" && pack.text(pack.newSince) == "c")
  }

  @Test func the_breakdowns_group_the_open_cases_and_their_children() {
    let pack = BoardPack.build(from: facts(), identifiable: false)
    func table(_ title: String) -> [String: Int] {
      guard let b = pack.breakdowns.first(where: { $0.title == title }) else { return [:] }
      return Dictionary(uniqueKeysWithValues: zip(b.table.rows, b.table.counts.map { $0[0] }))
    }
    #expect(table("Open cases by RAG rating") == ["red": 1, "amber": 1, "green": 0, "not rated": 0])
    #expect(table("Year group").filter { $0.value > 0 } == ["Nursery": 1, "Year 8": 1])
    #expect(table("Year group").count == YearGroup.labels.count)
    // Districts with fewer than 5 cases are counted together.
    #expect(table("Area (postcode district)") == ["other districts": 2])
    #expect(
      table("Time open") == [
        "under 4 weeks": 1, "4 to 12 weeks": 0, "12 to 26 weeks": 1, "26 to 52 weeks": 0, "over 52 weeks": 0,
      ])
    #expect(table("Referral source").filter { $0.value > 0 } == ["School referral": 2])
    // Neither case has had its home visit.
    #expect(table("Clock breaches (open cases)") == ["Home visit within 5 school days of referral": 2])
    #expect(
      table("Closed in the last 12 months, by outcome").filter { $0.value > 0 } == [
        "On roll at a school in this LA": 1, "Home education, suitable": 1,
      ])
    // Fewer than 10 open cases: every count is hidden.
    #expect(
      pack.cycleLine
        == "Register check, cycle 3 (started 2026-11-01): c of c open cases checked; c without a satisfactory explanation."
    )
    func row(_ characteristic: String, _ group: String) -> BoardPack.EqualityRow? {
      pack.equality.first { $0.characteristic == characteristic && $0.d.group == group }
    }
    #expect(row("Ethnicity", "Gypsy/Roma")?.d.registerCount == 1)
    #expect(row("Ethnicity", "Gypsy/Roma").map { pack.cells.isHidden($0.cell) } == true)
    #expect(row("Looked after", "Looked after")?.d.registerCount == 1)
    #expect(row("Sex", "Female")?.d.registerCount == 1)
    // No ethnicity recorded counts as not obtained, a gap in the record.
    #expect(row("Ethnicity", "Information not yet obtained")?.d.registerCount == 1)
    #expect(row("Ethnicity", "Information not yet obtained")?.dataQuality == true)
    #expect(pack.equality.allSatisfy { $0.d.registerTotal == 2 })
    #expect(pack.cells.count(pack.notSeen) == 2)
    #expect(pack.cells.count(pack.pastSchoolAge) == 0)
  }

  @Test func the_decision_agenda_ranks_by_risk_and_names_children_only_when_identifiable() {
    let anonymous = BoardPack.build(from: facts(), identifiable: false)
    #expect(anonymous.cells.count(anonymous.qualifying) == 1)
    let item = anonymous.agenda[0]
    #expect(item.reference == "CME-2026-00004")
    // Looked after is hidden in Part A (one child), so it is not named here.
    #expect(
      item.why == ["whereabouts unknown", "not seen since the case opened", "open more than 12 weeks", "rated red"])
    #expect(item.decisionSought == "decide whether to escalate to the police and children's social care")
    #expect(item.previousDecision == "escalate to the police, due 2026-11-10 — NOT done: OVERDUE since 2026-11-10")
    #expect(item.identity == nil)
    let named = BoardPack.build(from: facts(), identifiable: true)
    #expect(named.agenda[0].identity == "Tommy Ward, born 2014-03-02, 12 Meadow Lane, Nottingham NG2 3HJ")
  }

  @Test func the_previous_decisions_give_their_category_and_due_date_not_their_notes() {
    let pack = BoardPack.build(from: facts(), identifiable: false)
    #expect(pack.previousDecisions.map(\.carriedOut) == ["NOT done: OVERDUE since 2026-11-10", "not yet"])
    #expect(pack.previousDecisions.map(\.decision) == ["escalate to the police", "close the case"])
    #expect(pack.previousDecisions.allSatisfy { $0.note == nil })
    let csv = PackRenderer.csv(pack, digest: nil)
    #expect(!csv.contains("PNC check"))
  }

  @Test func the_same_facts_give_the_same_bytes() {
    let a = BoardPack.build(from: facts(), identifiable: false)
    let b = BoardPack.build(from: facts(), identifiable: false)
    #expect(PackRenderer.csv(a, digest: nil) == PackRenderer.csv(b, digest: nil))
    #expect(PackRenderer.html(a, digest: "x") == PackRenderer.html(b, digest: "x"))
  }
}

/// Part A's tally counted in parts (as a register is, a batch on each
/// connection reading ahead) and merged is the tally counted whole.
struct OpenCaseTallyMergeTests {
  func d(_ s: String) -> LocalDate { try! LocalDate.parse(s, field: "date") }

  /// Open cases of every kind the tally tells apart: ratings, reasons,
  /// whereabouts, ages, areas, markers, repeat episodes, seen or not.
  func cases() -> [PackFacts.OpenCase] {
    let reasons: [CaseReason] = [.whereaboutsUnknown, .permExcludedNoProvision, .eheUnsuitable]
    let ethnicities = ["WBRI", "WROM", "WIRT", "ABAN", "BCRB"]
    return (0..<60).map { i in
      var child = Child(
        legalSurname: "Child\(i)", legalForename: "Test",
        dateOfBirth: d(i % 4 == 0 ? "2008-05-01" : "201\(i % 10)-03-02"))
      child.sex = i % 2 == 0 ? .female : .male
      child.ethnicity = Ethnicity(checked: ethnicities[i % ethnicities.count])
      child.lookedAfter = i % 7 == 0
      child.childProtectionPlan = i % 11 == 0
      child.senProvision = i % 5 == 0 ? .ehcPlan : i % 5 == 1 ? .senSupport : nil
      var c = CMECase(
        reference: "CME-2026-\(10000 + i)", childId: Int64(i),
        openedOn: d(i % 3 == 0 ? "2026-01-05" : "2026-10-1\(i % 10)"),
        referralSource: i % 2 == 0 ? .schoolReferral : .schoolDeletionReturn, reason: reasons[i % reasons.count],
        whereaboutsKnown: i % 4 != 1)
      c.id = Int64(i)
      c.rag = [RAG.red, .amber, .green, nil][i % 4]
      return .init(
        facts: CaseFacts(caseRecord: c, child: child), postcode: i % 6 == 0 ? nil : "NG\(i % 3) 1AB",
        repeatEpisode: i % 9 == 0)
    }
  }

  func tally(_ cases: ArraySlice<PackFacts.OpenCase>) -> PackFacts.OpenCaseTally {
    var t = PackFacts.OpenCaseTally(day: d("2026-11-16"), calendar: .englandDefault, settings: LocalSettings())
    for o in cases { t.add(o) }
    return t
  }

  @Test(arguments: [1, 7, 25, 59, 60])
  func merging_the_parts_gives_the_whole(part: Int) {
    let all = cases()
    let whole = tally(all[...])
    var merged = tally([])
    // The parts merged from last to first: the order does not matter.
    for start in stride(from: 0, to: all.count, by: part).reversed() {
      merged.merge(tally(all[start..<min(start + part, all.count)]))
    }
    #expect(merged == whole)
    #expect(merged.count == 60)
    // And the pack built from it reads the same.
    func pack(_ t: PackFacts.OpenCaseTally) -> String {
      var f = PackFacts(
        authority: "Test County", meeting: .init(id: 2, date: d("2026-11-16"), chair: "SD", attendees: []),
        previousMeeting: nil, logSequence: 1, logHash: "ab", calendar: .englandDefault, baseline: nil, cases: [],
        openCases: [])
      f.open = t
      return PackRenderer.markdown(BoardPack.build(from: f, identifiable: false), digest: "ab")
    }
    #expect(pack(merged) == pack(whole))
  }

  @Test func the_merged_tally_is_not_the_whole_when_a_part_is_left_out() {
    let all = cases()
    var merged = tally(all[0..<30])
    merged.merge(tally(all[31...]))
    #expect(merged != tally(all[...]))
  }
}
