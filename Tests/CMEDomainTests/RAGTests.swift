import CMEDomain
import Testing

struct RAGTests {
  let today = LocalDate(year: 2026, month: 11, day: 16)!

  func facts(
    reason: CaseReason = .schoolApplicationAwaitingOutcome, known: Bool = true, openedDaysAgo: Int = 5,
    ground: DeletionGround? = nil, dob: String = "2014-03-02", _ configure: (inout Child) -> Void = { _ in }
  ) throws -> RAGFacts {
    var c = Child(legalSurname: "Smith", legalForename: "Jo", dateOfBirth: try LocalDate.parse(dob, field: "dob"))
    c.senProvision = SENProvision.none
    configure(&c)
    return RAGFacts(
      child: c, reason: reason, whereaboutsKnown: known, openedOn: today.adding(days: -openedDaysAgo),
      deletionGround: ground)
  }

  @Test func whereabouts_known_without_markers_is_green_with_reasons() throws {
    let s = suggestRAG(try facts(), today: today)
    #expect(s.rating == .green)
    #expect(
      s.reasons.map(\.text) == [
        "whereabouts known, no safeguarding markers", "awaiting the outcome of a school application",
      ])
  }

  enum Marker: CaseIterable { case cpPlan, lookedAfter, childInNeed, youthJustice, fgm }

  @Test(arguments: Marker.allCases)
  func any_safeguarding_marker_forces_red(_ marker: Marker) throws {
    let (text, f): (String, RAGFacts) =
      switch marker {
      case .cpPlan: ("child protection plan", try facts { $0.childProtectionPlan = true })
      case .lookedAfter:
        (
          "looked after (care authority 891)",
          try facts {
            $0.lookedAfter = true
            $0.careAuthority = "891"
          }
        )
      case .childInNeed: ("child in need", try facts { $0.childInNeed = true })
      case .youthJustice: ("youth justice involvement", try facts { $0.youthJustice = true })
      case .fgm: ("concern: FGM", try facts { $0.concerns = [.fgm] })
      }
    let s = suggestRAG(f, today: today)
    #expect(s.rating == .red)
    #expect(s.reasons.first == RAGReason(.red, "safeguarding marker: \(text)"))
  }

  @Test func whereabouts_unknown_is_amber_and_red_for_a_vulnerable_child() throws {
    let plain = suggestRAG(try facts(reason: .whereaboutsUnknown, known: false), today: today)
    #expect(plain.rating == .amber)
    #expect(plain.reasons.contains(RAGReason(.amber, "whereabouts unknown")))

    let sen = suggestRAG(
      try facts(reason: .whereaboutsUnknown, known: false) { $0.senProvision = .ehcPlan }, today: today)
    #expect(sen.rating == .red)
    #expect(sen.reasons.first?.text == "whereabouts unknown and the child has an EHC plan")

    let young = suggestRAG(try facts(reason: .whereaboutsUnknown, known: false, dob: "2020-01-01"), today: today)
    #expect(young.reasons.first?.text == "whereabouts unknown and the child is 6, under 8")

    let grt = suggestRAG(
      try facts(reason: .whereaboutsUnknown, known: false) { $0.ethnicity = Ethnicity(checked: "WIRT") }, today: today)
    #expect(grt.reasons.first?.text == "whereabouts unknown for a Gypsy, Roma or Traveller child")
  }

  @Test func missing_beyond_the_no_contact_threshold_is_red() throws {
    let s = suggestRAG(try facts(reason: .whereaboutsUnknown, known: false, openedDaysAgo: 85), today: today)
    #expect(s.rating == .red)
    #expect(s.reasons.first?.text == "missing more than 12 weeks (not seen since the case opened)")
    var f = try facts(reason: .whereaboutsUnknown, known: false, openedDaysAgo: 85)
    f.lastContact = today.adding(days: -10)
    #expect(suggestRAG(f, today: today).rating == .amber)
  }

  @Test func amber_reasons_from_reason_ground_and_age() throws {
    let abroad = suggestRAG(try facts(reason: .believedMovedOutOfCountry), today: today)
    #expect(abroad.rating == .amber)
    #expect(abroad.summary == "believed moved abroad, not confirmed")
    let ground = suggestRAG(try facts(ground: try DeletionGround.stored("2024:I")), today: today)
    #expect(ground.rating == .amber)
    #expect(ground.summary.hasPrefix("deleted from roll on ground I (2024)"))
    let old = suggestRAG(try facts(openedDaysAgo: 40), today: today)
    #expect(old.summary == "open 40 days, more than 28")
  }

  @Test func thresholds_are_configurable() throws {
    let strict = RAGThresholds(amberAfterDaysOpen: 10)
    #expect(suggestRAG(try facts(openedDaysAgo: 12), today: today, thresholds: strict).rating == .amber)
    #expect(suggestRAG(try facts(openedDaysAgo: 12), today: today).rating == .green)
    let lenient = RAGThresholds(vulnerableUnderAge: 5)
    #expect(
      suggestRAG(
        try facts(reason: .whereaboutsUnknown, known: false, dob: "2020-01-01"), today: today, thresholds: lenient
      ).rating == .amber)
  }

  @Test func a_rating_that_differs_from_the_suggestion_needs_a_reason() throws {
    let s = suggestRAG(try facts(), today: today)
    do {
      _ = try RAGRules.rationale(setting: .amber, suggestion: s, reason: "  ")
      Issue.record("a reason is needed")
    } catch {
      #expect(error.field == "reason")
      #expect(
        error.problem
          == "amber differs from the suggested green (whereabouts known, no safeguarding markers; awaiting the outcome of a school application)"
      )
    }
    let (why, overrides) = try RAGRules.rationale(setting: .amber, suggestion: s, reason: "Family hard to reach")
    #expect(why == "Family hard to reach")
    #expect(overrides)
    let (agree, _) = try RAGRules.rationale(setting: .green, suggestion: s, reason: nil)
    #expect(agree.hasPrefix("agrees with the suggestion"))
  }
}

struct RegisterCheckRulesTests {
  @Test func explained_needs_a_satisfactory_explanation() throws {
    #expect(try RegisterCheckRules.satisfactoryExplanation(outcome: .explained, stated: nil))
    #expect(try !RegisterCheckRules.satisfactoryExplanation(outcome: .actionRequired, stated: nil))
    #expect(try RegisterCheckRules.satisfactoryExplanation(outcome: .actionRequired, stated: true))
    #expect(throws: InvalidInput.self) {
      try RegisterCheckRules.satisfactoryExplanation(outcome: .explained, stated: false)
    }
  }

  @Test func a_manager_may_not_check_a_case_they_have_worked() {
    let m = User(id: 1, name: "mgr", role: .manager)
    #expect(throws: AccessDenied.ownCase(user: "mgr", reference: "CME-2026-00001")) {
      try RegisterCheckRules.requireIndependent(
        checker: m, workedBy: ["cw", "mgr"], reference: "CME-2026-00001")
    }
    #expect(throws: Never.self) {
      try RegisterCheckRules.requireIndependent(checker: m, workedBy: ["cw"], reference: "x")
    }
  }

  @Test func a_cycle_closes_only_when_every_unchecked_case_has_a_reason() {
    let p = CycleProgress(checked: 3, total: 5, unchecked: ["CME-2026-00004", "CME-2026-00005"])
    do {
      try RegisterCheckRules.validateClosing(progress: p, exemptions: ["CME-2026-00004": "in hospital"])
      Issue.record("one case has no reason")
    } catch {
      #expect(error.problem == "1 open case is not checked: CME-2026-00005")
    }
    #expect(throws: InvalidInput.self) {
      try RegisterCheckRules.validateClosing(
        progress: p, exemptions: ["CME-2026-00004": "a", "CME-2026-00005": "b", "CME-2026-00001": "c"])
    }
    #expect(throws: Never.self) {
      try RegisterCheckRules.validateClosing(progress: p, exemptions: ["CME-2026-00004": "a", "CME-2026-00005": "b"])
    }
  }

  @Test func roles_gate_permissions() {
    let board = User(id: 1, name: "b", role: .board)
    #expect(throws: AccessDenied.notPermitted(user: "b", role: .board, permission: .writeCases)) {
      try board.require(.writeCases)
    }
    #expect(
      AccessDenied.notPermitted(user: "b", role: .board, permission: .writeCases).description
        == "b is a board member and may not change children and cases; this needs the role caseworker or manager")
    #expect(throws: AccessDenied.self) { try board.require(.readRegister) }
    #expect(throws: Never.self) { try board.require(.readBoardPapers) }
    #expect(throws: AccessDenied.self) { try User(id: 2, name: "c", role: .caseworker).require(.runRegisterCycle) }
    #expect(throws: AccessDenied.self) { try User(id: 3, name: "a", role: .admin).require(.readRegister) }
  }
}

struct DemoRegisterTests {
  let asOf = LocalDate(year: 2026, month: 11, day: 16)!

  func make(seed: UInt64, children: Int = 2000) -> [DemoRegister.Entry] {
    Array(DemoRegister(children: children, seed: seed, asOf: asOf, caseworkers: ["a", "b"], manager: "m"))
  }

  @Test func same_seed_same_data() {
    let a = make(seed: 7, children: 50)
    let b = make(seed: 7, children: 50)
    let c = make(seed: 8, children: 50)
    #expect(a.map(\.child) == b.map(\.child))
    #expect(a.map { $0.cases.map(\.record) } == b.map { $0.cases.map(\.record) })
    #expect(a.map(\.child) != c.map(\.child))
  }

  @Test func data_looks_like_a_register() throws {
    let entries = make(seed: 1)
    let children = entries.map(\.child)
    let female = Double(children.filter { $0.sex == .female }.count) / Double(children.count)
    #expect((0.40...0.50).contains(female))
    for c in children {
      try c.validate(today: asOf)
      if let upn = c.upn { #expect(throws: Never.self) { try UPN.validateFully(upn.value).get() } }
    }
    #expect(Set(children.compactMap(\.upn)).count == children.compactMap(\.upn).count)
    #expect(children.contains { $0.ethnicity?.namedGroup == .somali })
    #expect(children.contains { $0.isGypsyRomaTraveller })
    let cases = entries.flatMap(\.cases).map(\.record)
    let open = cases.filter { $0.status == .open }
    #expect(open.count > 100 && open.count < cases.count / 3)
    // A long tail: some open cases are over 12 weeks old.
    #expect(open.contains { $0.daysOpen(on: asOf) > 84 })
    for k in cases where k.status == .closed {
      #expect(k.closedOn! >= k.openedOn && k.outcome != nil && k.outcomeEvidence != nil)
    }
    // At most one open case per child.
    #expect(entries.allSatisfy { $0.cases.filter { $0.record.status == .open }.count <= 1 })
  }
}
