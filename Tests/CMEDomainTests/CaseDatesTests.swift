import CMEDomain
import Testing

/// A case's dates each count from their own day: the referral, the
/// deletion from roll, and the last day of attendance.
struct CaseDatesTests {
  let cal = SchoolCalendar.englandDefault
  func d(_ s: String) -> LocalDate { try! LocalDate.parse(s, field: "date") }

  @Test func a_ground_i_deletion_recorded_on_its_deletion_date_breaches_no_clock() throws {
    // Last attended Fri 9 Oct 2026; deleted on ground I on Mon 16 Nov after 21
    // school days' absence; the deletion return came that day.
    let ground = try DeletionGround.parse("I", deletedOn: d("2026-11-16"), field: "ground")
    let f = ClockFacts(
      openedOn: d("2026-11-16"), lastAttended: d("2026-10-09"), ground: ground,
      referralReceivedOn: d("2026-11-16"), referredByDeletionReturn: true, deletionDate: d("2026-11-16"))
    let clocks = caseClocks(f, today: d("2026-11-16"), calendar: cal)
    #expect(clocks.filter(\.isBreach).isEmpty)
    #expect(clocks.first { $0.kind == .referral }?.state == .met)
    #expect(clocks.first { $0.kind == .groundI }?.state == .met)
    // Until the home visit is really late.
    let later = caseClocks(f, today: d("2026-11-24"), calendar: cal)
    #expect(later.filter(\.isBreach).map(\.kind) == [.homeVisit])
  }

  @Test func a_deletion_return_after_the_deletion_is_late() throws {
    let ground = try DeletionGround.parse("G", deletedOn: d("2026-11-02"), field: "ground")
    let f = ClockFacts(
      openedOn: d("2026-11-09"), ground: ground, referralReceivedOn: d("2026-11-09"), referredByDeletionReturn: true,
      deletionDate: d("2026-11-02"))
    let referral = caseClocks(f, today: d("2026-11-09"), calendar: cal).first { $0.kind == .referral }!
    #expect(referral.state == .overdue)
    #expect(referral.dueOn == d("2026-11-02"))
  }

  @Test func a_case_opened_at_the_tenth_day_referral_is_not_off_rolling_once_deleted_after_twenty_days() throws {
    // Referred by the school on day 10 (Fri 23 Oct); deleted on ground I on
    // Mon 16 Nov, after 21 school days of absence.
    let ground = try DeletionGround.parse("I", deletedOn: d("2026-11-16"), field: "ground")
    let f = ClockFacts(
      openedOn: d("2026-10-23"), lastAttended: d("2026-10-09"), ground: ground, referralReceivedOn: d("2026-10-23"),
      deletionDate: d("2026-11-16"))
    let clocks = caseClocks(f, today: d("2026-11-16"), calendar: cal)
    #expect(clocks.first { $0.kind == .referral }?.state == .met)
    let groundI = clocks.first { $0.kind == .groundI }!
    #expect(groundI.state == .met)
    #expect(!groundI.detail.contains("off-rolling"))
    // A deletion after 16 school days is still flagged.
    var early = f
    early.deletionDate = d("2026-11-02")
    #expect(caseClocks(early, today: d("2026-11-16"), calendar: cal).first { $0.kind == .groundI }?.state == .overdue)
  }

  @Test func the_home_visit_counts_from_the_referral() {
    // Referral received Thu 22 Oct; the case opened a day later. Day 5 is Fri 6 Nov (2 Nov is a training day).
    let f = ClockFacts(openedOn: d("2026-10-23"), referralReceivedOn: d("2026-10-22"))
    #expect(
      caseClocks(f, today: d("2026-11-04"), calendar: cal).first { $0.kind == .homeVisit }?.dueOn == d("2026-11-06"))
  }

  @Test(arguments: [
    ("i", "2026-11-16", "2024:I"), ("I", "2026-11-16", "2024:I"), ("g", "2026-11-16", "2024:G"),
    ("h", "2024-08-18", "2006:h"), ("H", "2024-08-18", "2006:h"), ("2024:i", "2024-08-19", "2024:I"),
    ("2006:F", "2023-05-02", "2006:f"),
  ])
  func ground_letters_are_read_under_the_regulations_of_the_deletion_date(
    _ text: String, _ day: String, _ ground: String
  )
    throws
  {
    #expect(try DeletionGround.parse(text, deletedOn: d(day), field: "ground").description == ground)
  }

  @Test func regulations_that_do_not_fit_the_date_are_refused_with_the_right_letter() {
    do {
      _ = try DeletionGround.parse("2006:i", deletedOn: d("2026-03-02"), field: "ground")
      Issue.record("2006:i on a 2026 deletion")
    } catch {
      #expect(error.field == "ground")
      #expect(
        error.description
          == "ground: '2006:i' names the 2006 regulations, but a deletion on 2026-03-02 is under the 2024 regulations (in force from 2024-08-19). The 2024 ground for 2006 ground i is J (detained under a sentence of detention); write J, or I if the school meant absent 20+ school days (codes G, N, O); whereabouts unknown after joint enquiries"
      )
    }
    do {
      _ = try DeletionGround.parse("2024:I", deletedOn: d("2023-05-02"), field: "ground")
      Issue.record("2024:I on a 2023 deletion")
    } catch {
      #expect(error.fix?.hasPrefix("The 2006 ground for 2024 ground I is h") == true)
    }
  }

  @Test func a_ground_needs_its_deletion_date_and_the_dates_their_order() {
    var c = CMECase(
      reference: "CME-2026-00001", childId: 1, openedOn: d("2026-11-16"), referralSource: .schoolReferral,
      reason: .whereaboutsUnknown, lastAttended: d("2026-10-09"), whereaboutsKnown: false,
      referralReceivedOn: d("2026-10-23"))
    #expect(throws: Never.self) { try CaseRules.validateDates(c, today: d("2026-11-16")) }
    c.referralReceivedOn = d("2026-11-17")
    #expect(refusal { try CaseRules.validateDates(c, today: d("2026-11-17")) }?.field == "referralReceivedOn")
    c.referralReceivedOn = d("2026-10-23")
    let after = try? CaseRules.recordingDeletion(
      of: c, ground: DeletionGround.Written(letter: "i"), on: d("2026-11-16"), today: d("2026-11-16"))
    #expect(after?.deletionGround?.description == "2024:I")
    #expect(after?.deletionDate == d("2026-11-16"))
    #expect(
      refusal {
        _ = try CaseRules.recordingDeletion(of: c, ground: .init(letter: "I"), on: nil, today: d("2026-11-16"))
      }?
      .field == "deletionDate")
    #expect(
      refusal {
        _ = try CaseRules.recordingDeletion(
          of: c, ground: .init(letter: "I"), on: d("2026-11-20"), today: d("2026-11-16"))
      }?.field == "deletionDate")
  }
}

struct CompulsorySchoolAgeTests {
  func d(_ s: String) -> LocalDate { try! LocalDate.parse(s, field: "date") }

  @Test(arguments: [
    // Fifth birthday → first prescribed day (31 Dec, 31 Mar, 31 Aug) on or after it.
    ("2019-10-15", "2024-12-31"), ("2019-12-31", "2024-12-31"), ("2020-01-01", "2025-03-31"),
    ("2020-03-31", "2025-03-31"), ("2020-04-01", "2025-08-31"), ("2020-08-31", "2025-08-31"),
    ("2020-09-01", "2025-12-31"), ("2020-02-29", "2025-03-31"),
  ])
  func it_begins_on_the_prescribed_day_after_the_fifth_birthday(_ dob: String, _ from: String) {
    #expect(CompulsorySchoolAge(dateOfBirth: d(dob)).from == d(from))
  }

  @Test(arguments: [
    // The last Friday in June of the school year in which the child turns 16.
    ("2007-09-23", "2024-06-28"), ("2008-09-01", "2025-06-27"), ("2009-08-31", "2025-06-27"),
    ("2009-06-30", "2025-06-27"), ("2010-06-26", "2026-06-26"), ("2008-02-29", "2024-06-28"),
  ])
  func it_ends_on_the_last_friday_in_june_of_the_year_the_child_turns_sixteen(_ dob: String, _ through: String) {
    #expect(CompulsorySchoolAge(dateOfBirth: d(dob)).through == d(through))
  }

  @Test func the_edges_are_inside_and_the_days_beyond_outside() {
    let csa = CompulsorySchoolAge(dateOfBirth: d("2020-04-01"))
    #expect(!csa.contains(d("2025-08-30")))
    #expect(csa.contains(d("2025-08-31")))
    #expect(csa.contains(d("2036-06-27")))
    #expect(!csa.contains(d("2036-06-28")))
    #expect(csa.hasEnded(by: d("2036-06-28")))
  }

  @Test func a_case_outside_school_age_needs_a_reason() throws {
    for dob in ["2025-11-16", "2022-11-16", "2009-11-16"] {  // 1, 4 and 17 on the day
      #expect(
        refusal {
          _ = try CaseRules.validateSchoolAge(dateOfBirth: d(dob), on: d("2026-11-16"), outsideSchoolAgeReason: nil)
        }?.field == "outsideSchoolAgeReason")
    }
    do {
      _ = try CaseRules.validateSchoolAge(
        dateOfBirth: d("2022-11-16"), on: d("2026-11-16"), outsideSchoolAgeReason: " ")
      Issue.record("a four-year-old")
    } catch {
      #expect(
        error.problem
          == "the child (born 2022-11-16) is 4 on 2026-11-16 and is not yet of compulsory school age: compulsory school age runs from 2027-12-31 to 2039-06-24"
      )
    }
    #expect(
      try CaseRules.validateSchoolAge(
        dateOfBirth: d("2022-11-16"), on: d("2026-11-16"), outsideSchoolAgeReason: "Sibling of a missing child")
        == "Sibling of a missing child")
    #expect(
      try CaseRules.validateSchoolAge(dateOfBirth: d("2014-03-02"), on: d("2026-11-16"), outsideSchoolAgeReason: nil)
        == nil)
  }

  @Test func ceased_csa_only_once_the_child_has_passed_it() {
    #expect(
      refusal { try ClosureRules.validateCeasedSchoolAge(dateOfBirth: d("2016-05-01"), closedOn: d("2026-11-16")) }?
        .field == "outcome")
    #expect(throws: Never.self) {
      try ClosureRules.validateCeasedSchoolAge(dateOfBirth: d("2010-05-01"), closedOn: d("2026-06-27"))
    }
  }
}

/// The refusal `body` throws, if any.
private func refusal(_ body: () throws -> Void) -> InvalidInput? {
  do {
    try body()
    return nil
  } catch let e as InvalidInput {
    return e
  } catch {
    return nil
  }
}
