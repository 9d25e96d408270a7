import CMEDomain
import Testing

struct AssessmentTests {
  let cal = SchoolCalendar.englandDefault
  func d(_ s: String) -> LocalDate { try! LocalDate.parse(s, field: "date") }

  func child(_ configure: (inout Child) -> Void = { _ in }) -> Child {
    var c = Child(legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: d("2014-03-02"))
    configure(&c)
    return c
  }

  func openCase(
    reason: CaseReason = .whereaboutsUnknown, opened: String = "2026-11-02", lastAttended: String? = nil,
    known: Bool = false
  ) -> CMECase {
    CMECase(
      reference: "CME-2026-00001", childId: 1, openedOn: d(opened), referralSource: .schoolReferral, reason: reason,
      lastAttended: lastAttended.map(d), whereaboutsKnown: known)
  }

  @Test func a_case_just_opened_is_rated_on_the_child_the_case_and_its_clocks() {
    let c = openCase(lastAttended: "2026-10-01")
    let a = assessCase(
      CaseFacts(caseRecord: c, child: child { $0.senProvision = .senSupport }), today: d("2026-11-17"), calendar: cal)
    // Referred on Mon 2 Nov, a training day, after 16 school days of absence (due by the 10th); no home visit by
    // Mon 9 Nov.
    #expect(a.clocks.map(\.kind) == [.referral, .homeVisit])
    #expect(a.clockBreaches.map(\.kind) == [.referral, .homeVisit])
    // 16 school days in October after the 1st, 11 in November up to the 17th (2 Nov is a training day).
    #expect(a.schoolDaysMissing == 27)
    #expect(a.suggestion.rating == .red)
    #expect(a.suggestion.summary == "whereabouts unknown and the child has SEN support")
    #expect(
      a.suggestion.reasons.contains(
        RAGReason(.amber, "child not seen for 11 school days (since the case opened, never seen)")))
    #expect(a.openActions == 0 && a.overdueActions == 0 && a.actionsToEscalate == 0)
    #expect(a.lastContact == nil && a.lastSeen == nil)
    #expect(
      a.enquiriesOutstanding
        == EnquiryItem.allCases.filter { $0.isRequired(reason: .whereaboutsUnknown, whereaboutsKnown: false) })
    #expect(a.jointEnquiriesMissing == nil)
  }

  @Test func the_first_rating_needs_nothing_but_the_case_the_child_and_the_calendar() {
    // What an import rates a case it opens: the suggestion with the clocks
    // and "not seen since it opened", and nothing else recorded.
    let c = openCase(opened: "2026-11-09", lastAttended: "2026-10-20")
    let kid = child { $0.ethnicity = Ethnicity(checked: "WROM") }
    let today = d("2026-11-16")
    var facts = RAGFacts(child: kid, case: c)
    facts.casework = CaseworkFacts(
      schoolDaysNotSeen: cal.schoolDays(after: c.openedOn, through: today), seenSinceOpening: false,
      overdueActions: 0, enquiriesExhausted: false,
      clockBreaches: caseClocks(
        ClockFacts(openedOn: c.openedOn, lastAttended: c.lastAttended), today: today, calendar: cal
      ).filter(\.isBreach).map(\.label))
    #expect(
      assessCase(CaseFacts(caseRecord: c, child: kid), today: today, calendar: cal).suggestion
        == suggestRAG(facts, today: today))
  }

  @Test func visits_actions_and_enquiries_count_towards_the_rating() {
    let c = openCase()
    let visit = Visit(
      caseReference: c.reference, type: .phoneCall, date: d("2026-11-10"), childSeen: false, outcome: "No answer",
      by: "cw")
    let required = EnquiryItem.allCases.filter { $0.isRequired(reason: c.reason, whereaboutsKnown: c.whereaboutsKnown) }
    let work = CaseFacts.Casework(
      firstHomeVisit: d("2026-11-03"), lastContact: visit,
      // Overdue since Thu 5 Nov (7 school days: escalate), since Fri 13 Nov (1), and not yet due.
      liveActionsDue: [d("2026-11-05"), d("2026-11-13"), d("2026-11-20")],
      enquiriesDone: Set(required.dropLast()), enquiriesNotApplicable: [required.last!])
    let a = assessCase(CaseFacts(caseRecord: c, child: child(), casework: work), today: d("2026-11-16"), calendar: cal)
    #expect(a.clocks.map(\.state) == [.met])
    #expect(a.openActions == 3 && a.overdueActions == 2 && a.actionsToEscalate == 1)
    #expect(a.enquiriesOutstanding.isEmpty)
    #expect(a.lastContact == visit)
    #expect(a.suggestion.rating == .red)
    #expect(a.suggestion.summary == "every reasonable enquiry made and the child not found")
    #expect(a.suggestion.reasons.contains(RAGReason(.amber, "2 overdue multi-agency actions")))
    // Seen since: the school days not seen count from that day.
    var seen = work
    seen.lastSeen = d("2026-11-13")
    let b = assessCase(CaseFacts(caseRecord: c, child: child(), casework: seen), today: d("2026-11-16"), calendar: cal)
    #expect(b.lastSeen == d("2026-11-13"))
    #expect(!b.suggestion.reasons.contains { $0.text.hasPrefix("child not seen") })
  }

  @Test func a_closed_case_is_assessed_as_it_stood_when_it_closed() {
    var c = openCase(lastAttended: "2026-10-01")
    c.status = .closed
    c.closedOn = d("2026-11-06")
    c.outcome = .onRollLASchool
    let work = CaseFacts.Casework(liveActionsDue: [d("2026-11-05")])
    let a = assessCase(CaseFacts(caseRecord: c, child: child(), casework: work), today: d("2026-11-30"), calendar: cal)
    // The home visit fell due on Mon 9 Nov, after the case closed.
    #expect(a.clocks.first { $0.kind == .homeVisit }?.state == .stopped)
    // Counted to the closing day: 16 school days in October, 4 in November (2 Nov is a training day).
    #expect(a.schoolDaysMissing == 20)
    #expect(a.overdueActions == 1 && a.actionsToEscalate == 0)
  }

  @Test func joint_enquiries_are_checked_for_the_grounds_that_need_them() throws {
    var c = openCase(lastAttended: "2026-10-01")
    c.deletionGround = try DeletionGround.stored("2024:I")
    let work = CaseFacts.Casework(enquiriesDone: [.homeVisit], enquiriesNotApplicable: [.lastSchool])
    let a = assessCase(CaseFacts(caseRecord: c, child: child(), casework: work), today: d("2026-11-16"), calendar: cal)
    #expect(a.jointEnquiriesMissing == [.lastSchool, .emergencyContacts])
    #expect(!a.enquiriesOutstanding.contains(.lastSchool) && !a.enquiriesOutstanding.contains(.homeVisit))
  }
}
