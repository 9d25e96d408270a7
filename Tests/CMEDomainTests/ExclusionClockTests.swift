import CMEDomain
import Testing

/// Suitable full-time education from the sixth school day of a permanent exclusion.
struct ExclusionClockTests {
  let cal = SchoolCalendar.englandDefault
  func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

  func clock(_ f: ClockFacts, on today: String) -> Clock? {
    caseClocks(f, today: d(today), calendar: cal).first { $0.kind == .exclusionSixthDay }
  }

  @Test func the_sixth_school_day_counts_from_the_last_day_in_school() throws {
    // Last in school Friday 6 November 2026: school days 1–5 are 9–13 November, the sixth Monday 16th.
    var f = ClockFacts(openedOn: d("2026-11-09"), lastAttended: d("2026-11-06"))
    f.permanentlyExcluded = true
    #expect(clock(f, on: "2026-11-16")?.dueOn == d("2026-11-16"))
    #expect(clock(f, on: "2026-11-16")?.state == .due)
    #expect(clock(f, on: "2026-11-17")?.state == .overdue)
    // No clock for a child who was not excluded.
    #expect(clock(ClockFacts(openedOn: d("2026-11-09"), lastAttended: d("2026-11-06")), on: "2026-11-17") == nil)
  }

  @Test func a_deletion_on_the_exclusion_ground_starts_it_too_and_a_place_in_time_meets_it() throws {
    let ground = try DeletionGround.parse("O", deletedOn: d("2026-11-06"), field: "ground")
    let placed = ClockFacts(
      openedOn: d("2026-11-09"), closedOn: d("2026-11-13"), outcome: .apOrEOTASPlaced, ground: ground,
      deletionDate: d("2026-11-06"))
    #expect(clock(placed, on: "2026-11-20")?.state == .met)
    let late = ClockFacts(
      openedOn: d("2026-11-09"), closedOn: d("2026-11-20"), outcome: .apOrEOTASPlaced, ground: ground,
      deletionDate: d("2026-11-06"))
    #expect(clock(late, on: "2026-11-20")?.state == .overdue)
    let gone = ClockFacts(
      openedOn: d("2026-11-09"), closedOn: d("2026-11-12"), outcome: .movedAbroadConfirmed, ground: ground,
      deletionDate: d("2026-11-06"))
    #expect(clock(gone, on: "2026-11-20")?.state == .stopped)
  }
}
