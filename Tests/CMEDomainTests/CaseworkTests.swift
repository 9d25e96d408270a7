import CMEDomain
import Testing

struct ClockTests {
  let cal = SchoolCalendar.englandDefault
  func d(_ s: String) -> LocalDate { try! LocalDate.parse(s, field: "date") }

  @Test func a_referral_by_the_tenth_school_day_is_met() {
    // Last attended Fri 6 Nov 2026; 10th school day of absence is Fri 20 Nov.
    let clocks = caseClocks(
      ClockFacts(openedOn: d("2026-11-20"), lastAttended: d("2026-11-06")), today: d("2026-11-20"), calendar: cal)
    let referral = clocks.first { $0.kind == .referral }!
    #expect(referral.dueOn == d("2026-11-20"))
    #expect(referral.state == .met)
    #expect(referral.detail == "referred on school day 10 of absence")
  }

  @Test func a_late_referral_is_a_breach() {
    let clocks = caseClocks(
      ClockFacts(openedOn: d("2026-11-24"), lastAttended: d("2026-11-06")), today: d("2026-11-24"), calendar: cal)
    let referral = clocks.first { $0.kind == .referral }!
    #expect(referral.state == .overdue)
    #expect(referral.detail == "referred on school day 12 of absence, 2 late")
  }

  @Test func the_home_visit_clock_runs_five_school_days() {
    // Opened Thu 22 Oct 2026; half-term follows, and Mon 2 Nov is a training day, so day 5 is Fri 6 Nov.
    let opened = d("2026-10-22")
    var f = ClockFacts(openedOn: opened)
    #expect(caseClocks(f, today: d("2026-11-06"), calendar: cal).first { $0.kind == .homeVisit }?.state == .due)
    let late = caseClocks(f, today: d("2026-11-09"), calendar: cal).first { $0.kind == .homeVisit }!
    #expect(late.dueOn == d("2026-11-06"))
    #expect(late.state == .overdue)
    f.firstHomeVisit = d("2026-11-06")
    #expect(caseClocks(f, today: d("2026-11-20"), calendar: cal).first { $0.kind == .homeVisit }?.state == .met)
  }

  @Test func ground_i_needs_twenty_school_days_of_absence() throws {
    let ground = try DeletionGround.stored("2024:I")
    let early = caseClocks(
      ClockFacts(openedOn: d("2026-10-23"), lastAttended: d("2026-10-01"), ground: ground), today: d("2026-10-23"),
      calendar: cal
    )
    .first { $0.kind == .groundI }!
    #expect(early.state == .overdue)
    #expect(early.detail.contains("only 16 school days"))
    let ok = caseClocks(
      ClockFacts(openedOn: d("2026-11-06"), lastAttended: d("2026-10-01"), ground: ground), today: d("2026-11-06"),
      calendar: cal
    )
    .first { $0.kind == .groundI }!
    #expect(ok.state == .met)
  }

  @Test func sickness_and_fair_access_clocks_start_from_their_dates() {
    let f = ClockFacts(openedOn: d("2026-11-02"), illSince: d("2026-11-02"), fairAccessReferredOn: d("2026-11-02"))
    let clocks = caseClocks(f, today: d("2026-11-16"), calendar: cal)
    // Ill from Mon 2 Nov, a training day: day 1 is Tue 3 Nov, day 15 Mon 23 Nov.
    #expect(clocks.first { $0.kind == .sickness }?.dueOn == d("2026-11-23"))
    #expect(clocks.first { $0.kind == .sickness }?.state == .due)
    #expect(clocks.first { $0.kind == .fairAccess }?.dueOn == d("2026-11-30"))
    var placed = f
    placed.closedOn = d("2026-11-25")
    placed.outcome = .onRollLASchool
    #expect(caseClocks(placed, today: d("2026-12-01"), calendar: cal).first { $0.kind == .fairAccess }?.state == .met)
  }

  @Test func thresholds_are_configurable() {
    var t = ClockThresholds()
    t.homeVisitSchoolDays = 3
    let c = caseClocks(ClockFacts(openedOn: d("2026-11-02")), today: d("2026-11-02"), calendar: cal, thresholds: t)
    #expect(c.first { $0.kind == .homeVisit }?.dueOn == d("2026-11-05"))
  }
}

struct ActionAndEnquiryRuleTests {
  @Test func the_action_lifecycle() throws {
    try ActionRules.validateMove(id: 1, from: .open, to: .accepted, note: nil)
    try ActionRules.validateMove(id: 1, from: .accepted, to: .done, note: "Tenancy ended")
    #expect(throws: InvalidInput(field: "reason", problem: "the reason is empty", fix: "Give the reason in words")) {
      try ActionRules.validateMove(id: 1, from: .open, to: .declined, note: nil)
    }
    #expect(
      throws: InvalidInput(
        field: "ACTION", problem: "action 7 is already done and cannot become cancelled",
        fix: "A done action is finished; add a new action if more is needed")
    ) {
      try ActionRules.validateMove(id: 7, from: .done, to: .cancelled, note: "x")
    }
    #expect(throws: InvalidInput.self) {
      try ActionRules.validateMove(id: 1, from: .accepted, to: .declined, note: "x")
    }
  }

  @Test func a_new_action_is_due_today_or_later() {
    let today = LocalDate(year: 2026, month: 11, day: 16)!
    #expect(
      throws: InvalidInput(field: "dueOn", problem: "2026-11-13 is in the past", fix: "Give a due date from today on")
    ) {
      try ActionRules.validateNew(description: "Check", dueOn: LocalDate(year: 2026, month: 11, day: 13)!, today: today)
    }
    #expect(throws: InvalidInput.self) { try ActionRules.validateNew(description: " ", dueOn: today, today: today) }
  }

  @Test func visits_cannot_be_in_the_future_or_before_the_case() {
    let today = LocalDate(year: 2026, month: 11, day: 16)!
    let opened = LocalDate(year: 2026, month: 11, day: 2)!
    #expect(
      throws: InvalidInput(
        field: "date", problem: "2026-11-17 is in the future", fix: "Log a visit once it has happened")
    ) {
      try Visit.validate(date: today.adding(days: 1), time: nil, caseOpenedOn: opened, today: today)
    }
    #expect(throws: InvalidInput.self) {
      try Visit.validate(date: opened.adding(days: -1), time: nil, caseOpenedOn: opened, today: today)
    }
    #expect(throws: InvalidInput.self) {
      try Visit.validate(date: today, time: "25:00", caseOpenedOn: opened, today: today)
    }
    #expect(throws: Never.self) { try Visit.validate(date: today, time: "17:30", caseOpenedOn: opened, today: today) }
  }

  @Test func the_checklist_knows_what_is_required_and_what_ground_i_needs() throws {
    let ground = try DeletionGround.stored("2024:I")
    var recorded: [EnquiryItem: EnquiryState] = [
      .lastSchool: .done(on: LocalDate(daysSinceEpoch: 0), by: "cw", result: "x", visitId: nil)
    ]
    var list = EnquiryChecklist(
      reason: .whereaboutsUnknown, whereaboutsKnown: false, ground: ground, recorded: recorded)
    #expect(!list.outstanding.contains(.homeOffice))  // no move abroad suspected
    #expect(!list.outstanding.contains(.ministryOfDefence))
    #expect(list.jointEnquiriesMissing == [.emergencyContacts, .homeVisit])
    #expect(
      EnquiryChecklist(reason: .believedMovedOutOfCountry, whereaboutsKnown: false, ground: nil, recorded: [:])
        .outstanding.contains(.homeOffice)
    )
    for item in EnquiryItem.allCases where item != .lastSchool {
      recorded[item] = .notApplicable(reason: "n/a", by: "cw")
    }
    list = EnquiryChecklist(reason: .whereaboutsUnknown, whereaboutsKnown: false, ground: nil, recorded: recorded)
    #expect(list.isExhausted)
    #expect(list.jointEnquiriesMissing == nil)
  }
}

struct ClosureRuleTests {
  let day = LocalDate(year: 2026, month: 11, day: 16)!
  let empty = EnquiryChecklist(reason: .whereaboutsUnknown, whereaboutsKnown: false, ground: nil, recorded: [:])

  @Test func on_roll_needs_the_school_and_a_start_date() {
    #expect(
      ClosureRules.missing(
        outcome: .onRollLASchool, evidence: ClosureEvidence(text: "confirmed"), closedOn: day, enquiries: empty)
        == ["the receiving school", "the confirmed start date"])
    let future = ClosureEvidence(text: "x", school: "122345", startDate: day.adding(days: 3))
    #expect(
      ClosureRules.missing(outcome: .onRollLASchool, evidence: future, closedOn: day, enquiries: empty).count == 1)
    let ok = ClosureEvidence(text: "x", school: "122345", startDate: day)
    #expect(ClosureRules.missing(outcome: .onRollLASchool, evidence: ok, closedOn: day, enquiries: empty).isEmpty)
  }

  @Test func moved_abroad_confirmed_needs_address_school_and_confirmation() {
    let missing = ClosureRules.missing(
      outcome: .movedAbroadConfirmed, evidence: ClosureEvidence(text: "Family says Romania"), closedOn: day,
      enquiries: empty)
    #expect(
      missing == [
        "the new address abroad", "the receiving school",
        "the receiving school's confirmation that the child is on roll and attending",
      ])
  }

  @Test func lost_pupil_needs_every_enquiry_and_the_ctf() {
    let missing = ClosureRules.missing(
      outcome: .lostPupilUntraceable, evidence: ClosureEvidence(text: "x"), closedOn: day, enquiries: empty)
    #expect(missing.count == 3)
    #expect(missing[0].hasPrefix("every applicable enquiry done or not applicable; outstanding: last-school"))
    #expect(missing[1] == "the lost-pupil CTF sent to XXX (enquiry ctf-xxx)")
  }
}

struct CaseworkRAGTests {
  let today = LocalDate(year: 2026, month: 11, day: 16)!

  func facts(known: Bool, _ work: CaseworkFacts) -> RAGFacts {
    var f = RAGFacts(
      child: Child(legalSurname: "A", legalForename: "B", dateOfBirth: LocalDate(year: 2012, month: 1, day: 1)!),
      reason: .schoolApplicationAwaitingOutcome, whereaboutsKnown: known, openedOn: today.adding(days: -3))
    f.casework = work
    return f
  }

  @Test func casework_adds_its_reasons() {
    let s = suggestRAG(
      facts(
        known: true,
        CaseworkFacts(
          schoolDaysNotSeen: 12, seenSinceOpening: true, overdueActions: 2, enquiriesExhausted: false,
          clockBreaches: ["Home visit within 5 school days of referral"])), today: today)
    #expect(s.rating == .amber)
    #expect(
      s.reasons.map(\.text) == [
        "child not seen for 12 school days (since last seen)", "2 overdue multi-agency actions",
        "clock breached: Home visit within 5 school days of referral",
      ])
  }

  @Test func enquiries_exhausted_without_finding_the_child_is_red() {
    let s = suggestRAG(
      facts(
        known: false,
        CaseworkFacts(
          schoolDaysNotSeen: 2, seenSinceOpening: false, overdueActions: 0, enquiriesExhausted: true, clockBreaches: [])
      ), today: today)
    #expect(s.rating == .red)
    #expect(s.reasons.first?.text == "every reasonable enquiry made and the child not found")
  }
}
