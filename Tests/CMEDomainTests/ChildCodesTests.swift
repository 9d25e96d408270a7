import CMEDomain
import Testing

/// The DfE's code sets as the register reads them.
struct ChildCodesTests {
  func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

  @Test func every_extended_first_language_is_accepted_and_iso_codes_are_named() throws {
    #expect(LanguageCode.extended.count > 300)
    for code in ["UKR", "RMN", "RMNM", "PAT", "SLO", "PRSD", "TGR", "PNJM", "KURS", "BSL", "ZZZ"] {
      #expect(throws: Never.self, "\(code)") { try LanguageCode.parse(code.lowercased(), field: "--language") }
    }
    #expect(try LanguageCode.parse("pnjm", field: "x").label == "Panjabi (Mirpuri)")
    #expect(try LanguageCode.parse("PNJM", field: "x").language == "PNJ")
    #expect(try LanguageCode.parse("UKR", field: "x").isAdditionalLanguage)
    // The ISO code of a language whose DfE code differs is refused with the one meant.
    for (iso, meant) in [("RUM", "Romanian is RMN"), ("PUS", "Pashto/Pakhto is PAT"), ("PER", "Persian/Farsi is PRS")] {
      let e = #expect(throws: InvalidInput.self) { try LanguageCode.parse(iso, field: "--language") }
      #expect(e?.description.contains("The DfE code for \(meant)") == true, "\(iso)")
    }
    let unknown = #expect(throws: InvalidInput.self) { try LanguageCode.parse("XQZ", field: "--language") }
    #expect(unknown?.description.contains("'XQZ' is not a DfE first-language code") == true)
  }

  @Test func free_school_meals_are_periods_with_eligibility_and_ever_6_worked_out() throws {
    #expect(
      try FSMPeriod.parse("2019-09-01:2020-07-31", field: "p")
        == FSMPeriod(start: d("2019-09-01"), end: d("2020-07-31")))
    #expect(try FSMPeriod.parse("2025-09-01:", field: "p").end == nil)
    #expect(try FSMPeriod.parse("2025-09-01::wls", field: "p").country == "WLS")
    for bad in ["2025-09-01", "2025-13-01:", "2025-09-01:2025-08-01", "2025-09-01::FR", "a:b:c:d"] {
      #expect(throws: InvalidInput.self, "\(bad)") { try FSMPeriod.parse(bad, field: "--fsm-period") }
    }
    var child = Child(legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: d("2014-03-02"))
    #expect(child.fsmEligible(on: d("2026-11-16")) == nil)
    child.freeSchoolMeals = true
    #expect(child.fsmEligible(on: d("2026-11-16")) == true)  // a yes/no, without periods
    child.fsmPeriods = [FSMPeriod(start: d("2021-02-01"), end: d("2022-07-20"))]
    #expect(child.fsmEligible(on: d("2026-11-16")) == false)  // the periods decide once recorded
    #expect(child.everFSM6(on: d("2026-11-16")) == true)
    #expect(child.everFSM6(on: d("2028-07-21")) == false)  // ended more than six years before
    child.fsmPeriods.append(FSMPeriod(start: d("2026-09-01")))
    #expect(child.fsmEligible(on: d("2026-11-16")) == true)
    #expect(!PopulationBaseline.groups(of: child, on: d("2026-08-31")).contains { $0 == ("fsm", "yes") })
    #expect(PopulationBaseline.groups(of: child, on: d("2026-11-16")).contains { $0 == ("fsm", "yes") })
    child.fsmPeriods.append(FSMPeriod(start: d("2027-01-01")))
    let overlap = #expect(throws: InvalidInput.self) { try child.validate(today: d("2026-11-16")) }
    #expect(overlap?.problem == "the free-school-meals periods 2026-09-01 to now and 2027-01-01 to now overlap")
    child.fsmPeriods[1].end = d("2026-12-31")
    let future = #expect(throws: InvalidInput.self) { try child.validate(today: d("2026-11-16")) }
    #expect(future?.problem == "a free-school-meals period starts in the future (2027-01-01)")
  }

  @Test func ethnicity_source_service_child_and_disability_are_recorded_and_counted() throws {
    var child = Child(legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: d("2014-03-02"))
    child.ethnicitySource = .parent
    let orphan = #expect(throws: InvalidInput.self) { try child.validate(today: d("2026-11-16")) }
    #expect(orphan?.problem == "an ethnicity source is given without an ethnicity")
    child.ethnicity = try Ethnicity.parse("BSOM", field: "x")
    #expect(throws: Never.self) { try child.validate(today: d("2026-11-16")) }
    child.serviceChild = .yes
    child.disability = "hearing impairment"
    let groups = PopulationBaseline.groups(of: child, on: d("2026-11-16"))
    #expect(groups.contains { $0 == ("service-child", "yes") })
    #expect(groups.contains { $0 == ("disability", "yes") })
    #expect(PopulationBaseline.codes(for: "disability") == ["yes"])
    #expect(EthnicitySource(rawValue: "ascribed") == .ascribed)
    #expect(ServiceChild(rawValue: "not-known") == .notKnown)
    child.clear(.ethnicity)
    #expect(child.ethnicitySource == nil)
  }
}
