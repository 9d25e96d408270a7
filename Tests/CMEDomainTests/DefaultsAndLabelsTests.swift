import CMEDomain
import Testing

/// Defaults and labels the command line and the board pack share.
struct DefaultsAndLabelsTests {
  @Test func year_groups_have_one_set_of_labels() {
    #expect(YearGroup.label(-2) == "Nursery")
    #expect(YearGroup.label(-1) == "Nursery")
    #expect(YearGroup.label(0) == "Reception")
    #expect(YearGroup.label(7) == "Year 7")
    #expect(YearGroup.label(13) == "Year 13")
    #expect(YearGroup.label(14) == "Beyond Year 13")
    #expect(YearGroup.labels == (-1...14).map(YearGroup.label))
    let today = LocalDate(year: 2026, month: 11, day: 16)!
    #expect(YearGroup.label(LocalDate(year: 2023, month: 1, day: 10)!.yearGroup(on: today)) == "Nursery")
  }

  @Test func whereabouts_are_unknown_by_default_only_for_a_missing_child() throws {
    #expect(!CaseReason.whereaboutsUnknown.whereaboutsKnownByDefault)
    #expect(!CaseReason.believedMovedOutOfCountry.whereaboutsKnownByDefault)
    #expect(!CaseReason.notKnown.whereaboutsKnownByDefault)
    #expect(CaseReason.schoolApplicationAwaitingOutcome.whereaboutsKnownByDefault)
    #expect(CaseReason.eheUnsuitable.whereaboutsKnownByDefault)
    #expect(try Whereabouts.parse("Known", field: "--whereabouts"))
    #expect(try !Whereabouts.parse("UNKNOWN", field: "--whereabouts"))
    #expect(
      throws: InvalidInput(
        field: "--whereabouts", problem: "'lost' is not known or unknown", fix: "Write known or unknown")
    ) { try Whereabouts.parse("lost", field: "--whereabouts") }
  }

  @Test func an_la_number_is_checked_against_the_table() throws {
    #expect(try LACode.Table.default.parse("891", field: "--care-authority") == "891")
    #expect(try LACode.Table.default.parse("660", field: "--care-authority") == "660")
    #expect(
      throws: InvalidInput(
        field: "--care-authority", problem: "'999' is not an LA number", fix: "Give the 3-digit DfE LA number, e.g. 891"
      )
    ) { try LACode.Table.default.parse("999", field: "--care-authority") }
    #expect(throws: InvalidInput.self) { try LACode.Table.default.parse("89", field: "--care-authority") }
  }

  @Test func a_case_status_is_open_or_closed() throws {
    #expect(try CaseStatus.parse("Open", field: "--status") == .open)
    #expect(try CaseStatus.parse("closed", field: "--status") == .closed)
    #expect(
      throws: InvalidInput(field: "--status", problem: "'shut' is not a case status", fix: "Use open or closed")
    ) { try CaseStatus.parse("shut", field: "--status") }
  }

  @Test func caseworkers_and_managers_lead_cases() {
    #expect(Role.allCases.filter(\.leadsCases) == [.caseworker, .manager])
  }
}
