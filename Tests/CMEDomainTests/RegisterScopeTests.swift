import CMEDomain
import Testing

/// The register's second part: children on roll who are not receiving
/// full-time education.
struct RegisterScopeTests {
  let day = LocalDate(year: 2026, month: 11, day: 16)!

  func onRoll(_ reason: CaseReason, hours: Double? = nil, known: Bool = true) -> CMECase {
    var c = CMECase(
      reference: "CME-2026-00001", childId: 1, openedOn: day, referralSource: .virtualSchool, reason: reason,
      whereaboutsKnown: known)
    c.weeklyHours = hours
    return c
  }

  @Test func the_on_roll_reasons_are_their_own_part_of_the_register() {
    for reason in [CaseReason.partTimeTimetable, .informalExclusion, .lookedAfterNoSuitablePlace] {
      #expect(reason.scope == .onRollNotFullTime)
      #expect(reason.whereaboutsKnownByDefault)
    }
    #expect(CaseReason.whereaboutsUnknown.scope == .missingEducation)
    #expect(ReferralSource(rawValue: "virtual-school")?.label == "Virtual school")
  }

  @Test func a_part_time_timetable_has_its_hours_and_a_child_on_roll_is_found() throws {
    #expect(throws: Never.self) { try CaseRules.validateScope(onRoll(.partTimeTimetable, hours: 12.5)) }
    #expect(throws: Never.self) { try CaseRules.validateScope(onRoll(.informalExclusion)) }
    let noHours = #expect(throws: InvalidInput.self) { try CaseRules.validateScope(onRoll(.partTimeTimetable)) }
    #expect(noHours?.description.contains("a part-time timetable needs its hours a week") == true)
    let unknown = #expect(throws: InvalidInput.self) {
      try CaseRules.validateScope(onRoll(.informalExclusion, known: false))
    }
    #expect(unknown?.description.contains("cannot have unknown whereabouts") == true)
    let full = #expect(throws: InvalidInput.self) {
      try CaseRules.validateScope(onRoll(.partTimeTimetable, hours: 32.5))
    }
    #expect(full?.description.contains("is not a part-time timetable") == true)
    let missing = #expect(throws: InvalidInput.self) {
      try CaseRules.validateScope(onRoll(.whereaboutsUnknown, hours: 10, known: false))
    }
    #expect(missing?.description.contains("hours a week apply only to a child on roll") == true)
  }

  @Test func hours_are_read_as_people_write_them() throws {
    #expect(try WeeklyHours.parse("12.5", field: "--hours") == 12.5)
    #expect(try WeeklyHours.parse(" 10 ", field: "--hours") == 10)
    #expect(try WeeklyHours.parse("7.3", field: "--hours") == 7.25)  // to the quarter hour
    #expect(WeeklyHours.text(10) == "10" && WeeklyHours.text(12.5) == "12.5")
    for bad in ["", "ten", "1e1", "0x1p3", "nan", "inf", "-3", "0", "40", "1.2.3"] {
      #expect(throws: InvalidInput.self, "\(bad)") { try WeeklyHours.parse(bad, field: "--hours") }
    }
  }

  @Test func the_lost_child_enquiries_are_asked_only_while_the_child_is_lost() {
    func required(_ reason: CaseReason, known: Bool) -> Set<EnquiryItem> {
      Set(EnquiryChecklist(reason: reason, whereaboutsKnown: known, ground: nil, recorded: [:]).outstanding)
    }
    let found: Set<EnquiryItem> = [.lastSchool, .homeVisit, .health, .socialCare]
    #expect(required(.partTimeTimetable, known: true) == found)
    #expect(required(.schoolApplicationAwaitingOutcome, known: true) == found)
    #expect(
      required(.whereaboutsUnknown, known: false)
        == found.union([.emergencyContacts, .neighboursHousing, .police, .otherLAs, .schoolToSchool, .lostPupilCTF]))
    #expect(required(.believedMovedOutOfCountry, known: false).contains(.homeOffice))
    #expect(!required(.believedMovedOutOfCountry, known: true).contains(.homeOffice))
  }

  @Test func a_case_on_roll_ends_when_full_time_education_is_restored() throws {
    let empty = EnquiryChecklist(reason: .partTimeTimetable, whereaboutsKnown: true, ground: nil, recorded: [:])
    #expect(
      ClosureRules.missing(
        outcome: .fullTimeRestored, evidence: ClosureEvidence(text: "back full time"), closedOn: day,
        enquiries: empty)
        == ["the confirmed start date", "the school's confirmation of the full-time timetable"])
    #expect(throws: Never.self) { try ClosureRules.validateScope(.fullTimeRestored, reason: .informalExclusion) }
    let wrong = #expect(throws: InvalidInput.self) {
      try ClosureRules.validateScope(.fullTimeRestored, reason: .whereaboutsUnknown)
    }
    #expect(wrong?.description.contains("full-time-restored cannot end a case opened as whereabouts-unknown") == true)
    #expect(throws: InvalidInput.self) {
      try ClosureRules.validateScope(.lostPupilUntraceable, reason: .partTimeTimetable)
    }
  }
}

/// A change recorded after the day it happened.
struct OccurredOnTests {
  @Test func a_change_is_dated_within_limits() throws {
    let today = LocalDate(year: 2026, month: 11, day: 16)!
    let raised = LocalDate(year: 2026, month: 10, day: 1)!
    #expect(throws: Never.self) { try ActionRules.validateOccurred(today, raisedOn: raised, today: today) }
    #expect(throws: Never.self) {
      try ActionRules.validateOccurred(today.adding(days: -30), raisedOn: raised, today: today)
    }
    let old = #expect(throws: InvalidInput.self) {
      try ActionRules.validateOccurred(today.adding(days: -31), raisedOn: raised, today: today)
    }
    #expect(old?.problem == "2026-10-16 is more than 30 days ago")
    #expect(throws: InvalidInput.self) {
      try ActionRules.validateOccurred(raised.adding(days: -1), raisedOn: raised, today: today)
    }
    #expect(throws: InvalidInput.self) {
      try ActionRules.validateOccurred(today.adding(days: 1), raisedOn: raised, today: today)
    }
  }
}
