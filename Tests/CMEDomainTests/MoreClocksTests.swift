import CMEDomain
import Testing

/// Ground H's ten days, the CTF's fifteen, and the calendar a school keeps.
struct MoreClocksTests {
  let cal = SchoolCalendar.englandDefault
  func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

  @Test func ground_h_needs_ten_school_days_after_the_leave_ended() throws {
    var f = ClockFacts(
      openedOn: d("2026-11-20"), ground: try DeletionGround.stored("2024:H"), deletionDate: d("2026-11-20"))
    #expect(caseClocks(f, today: d("2026-11-20"), calendar: cal).contains { $0.kind == .groundH } == false)
    // Leave ended Fri 6 Nov: 9–13 (5), 16–20 Nov (10): a deletion on Fri 20 Nov is lawful.
    f.leaveEndedOn = d("2026-11-06")
    let ok = caseClocks(f, today: d("2026-11-20"), calendar: cal).first { $0.kind == .groundH }!
    #expect(ok.state == .met && ok.dueOn == d("2026-11-20"))
    // A deletion on Thu 19 Nov is a day short.
    f.deletionDate = d("2026-11-19")
    let early = caseClocks(f, today: d("2026-11-20"), calendar: cal).first { $0.kind == .groundH }!
    #expect(early.state == .overdue)
    #expect(early.detail.contains("only 9 school days after the leave ended on 2026-11-06"))
    #expect(early.detail.contains("possible off-rolling"))
  }

  @Test func the_lost_pupil_ctf_goes_within_fifteen_school_days() throws {
    var f = ClockFacts(
      openedOn: d("2026-11-16"), ground: try DeletionGround.stored("2024:I"), deletionDate: d("2026-11-16"))
    // Whereabouts known: the next school receives the CTF; the case has no clock for it.
    #expect(!caseClocks(f, today: d("2026-12-16"), calendar: cal).contains { $0.kind == .ctf })
    f.whereaboutsUnknown = true
    // 17–20, 23–27, 30 Nov – 4 Dec, 7 Dec (15): due Mon 7 Dec.
    let running = caseClocks(f, today: d("2026-12-01"), calendar: cal).first { $0.kind == .ctf }!
    #expect(running.dueOn == d("2026-12-07") && running.state == .due)
    #expect(caseClocks(f, today: d("2026-12-08"), calendar: cal).first { $0.kind == .ctf }?.state == .overdue)
    f.ctfSentOn = d("2026-12-04")
    #expect(caseClocks(f, today: d("2026-12-08"), calendar: cal).first { $0.kind == .ctf }?.state == .met)
    f.ctfSentOn = d("2026-12-09")
    let late = caseClocks(f, today: d("2026-12-10"), calendar: cal).first { $0.kind == .ctf }!
    #expect(late.state == .overdue && late.detail == "sent 2026-12-09: late")
  }

  @Test func a_school_with_its_own_calendar_counts_in_it_and_others_in_the_authoritys() throws {
    // An academy that starts the autumn term a week later than the authority.
    let own = SchoolCalendar(periods: [
      .init(kind: .term, start: d("2026-09-10"), end: d("2026-12-18"), description: "Autumn term")
    ])
    let academy = try SchoolRef.parse("138765", field: "school")
    let other = try SchoolRef.parse("892/4001", field: "school")
    let calendars = Calendars(authority: cal, schools: [academy.storageKey: own])
    #expect(calendars.calendar(for: academy) == own)
    #expect(calendars.calendar(for: other) == cal)
    #expect(calendars.calendar(for: nil) == cal)
    // A case whose child last attended the academy counts its days in the academy's calendar.
    var child = Child(legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: d("2014-03-02"))
    child.lastSchool = academy
    let c = CMECase(
      reference: "CME-2026-00001", childId: 1, openedOn: d("2026-09-18"), referralSource: .schoolReferral,
      reason: .whereaboutsUnknown, lastAttended: d("2026-09-02"), whereaboutsKnown: false)
    var facts = CaseFacts(caseRecord: c, child: child)
    let byAuthority = assessCase(facts, today: d("2026-09-18"), calendar: cal)
    facts.calendar = calendars.own(for: child.lastSchool)
    let byAcademy = assessCase(facts, today: d("2026-09-18"), calendar: cal)
    #expect(byAuthority.schoolDaysMissing == 11)  // 4, 7–11, 14–18 Sep (the 3rd a training day)
    #expect(byAcademy.schoolDaysMissing == 7)  // 10, 11, 14–18 Sep: the academy's term began on the 10th
  }
}

/// A school's new-registration return is due by the end of the fifth day after entry.
struct NewPupilReturnLatenessTests {
  @Test func a_return_after_the_fifth_day_is_flagged() throws {
    let csv = "surname,forename,date_of_birth,school,start_date\nWard,Tommy,2014-03-02,122345,2026-11-02\n"
    let row = try NewPupilFile.read(csv: Array(csv.utf8), file: "new.csv", today: LocalDate(iso: "2026-11-16")!)[0]
    #expect(row.lateness(receivedOn: LocalDate(iso: "2026-11-07")!) == nil)
    #expect(
      row.lateness(receivedOn: LocalDate(iso: "2026-11-16")!)
        == "late new-registration return: the pupil started 2026-11-02, due to the LA by 2026-11-07, received 2026-11-16 (9 days late)"
    )
  }
}

/// Illness absence adds up over the school year, in one spell or several.
struct CumulativeIllnessTests {
  let cal = SchoolCalendar.englandDefault
  func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

  @Test func spells_add_up_to_fifteen_school_days() {
    var f = ClockFacts(openedOn: d("2026-09-07"))
    // Three spells: 14–18 Sep (5), 5–9 Oct (5), and from Mon 16 Nov, still ill.
    f.illnessSpells = [
      IllnessSpell(from: d("2026-09-14"), to: d("2026-09-18")),
      IllnessSpell(from: d("2026-10-05"), to: d("2026-10-09")),
      IllnessSpell(from: d("2026-11-16")),
    ]
    // On Wed 18 Nov: 13 days; the 15th falls on Fri 20 Nov if the illness goes on.
    let running = caseClocks(f, today: d("2026-11-18"), calendar: cal).first { $0.kind == .sickness }!
    #expect(running.state == .due && running.dueOn == d("2026-11-20"))
    #expect(running.label.hasSuffix("(cumulative)"))
    #expect(running.detail == "13 of 15 school days of illness this school year in 3 spells")
    let reached = caseClocks(f, today: d("2026-11-20"), calendar: cal).first { $0.kind == .sickness }!
    #expect(reached.state == .overdue && reached.dueOn == d("2026-11-20"))
    // Ended spells short of 15: no due date, and nothing reached.
    f.illnessSpells.removeLast()
    let short = caseClocks(f, today: d("2026-11-20"), calendar: cal).first { $0.kind == .sickness }!
    #expect(short.state == .due && short.dueOn == nil)
    // A spell from last school year does not count towards this one.
    f.illnessSpells = [IllnessSpell(from: d("2026-06-01"), to: d("2026-07-10")), IllnessSpell(from: d("2026-11-16"))]
    let newYear = caseClocks(f, today: d("2026-11-18"), calendar: cal).first { $0.kind == .sickness }!
    #expect(newYear.state == .due && newYear.detail.hasPrefix("3 of 15"))
  }
}
