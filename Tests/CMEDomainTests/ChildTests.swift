import CMEDomain
import Testing

struct ChildTests {
  let today = LocalDate(year: 2026, month: 11, day: 16)!

  func child(dob: String = "2014-03-02") throws -> Child {
    Child(legalSurname: "Smith", legalForename: "Jo", dateOfBirth: try LocalDate.parse(dob, field: "--dob"))
  }

  @Test func child_a_is_representable() throws {
    // The seeds' case study: 13, male, mixed White/Black, looked after since 4 with long-term foster carers.
    var a = try child(dob: "2013-06-10")
    a.sex = .male
    a.genderIdentity = "Male"
    a.ethnicity = try Ethnicity.parse("MWBC", field: "e")
    a.firstLanguage = try LanguageCode.parse("ENG", field: "l")
    a.sexualOrientation = "Heterosexual"
    a.lookedAfter = true
    a.careAuthority = "891"
    a.circumstances = "Looked after since age 4, long-term placement with foster carers."
    a.carers = [try Carer.parse("Foster carer;foster carer;07700 900123", field: "--carer")]
    try a.validate(today: today)
    #expect(a.dateOfBirth.age(on: today) == 13)
    #expect(a.safeguardingMarkers == ["looked after (care authority 891)"])
    #expect(a.ethnicity?.namedGroup == .whiteAndBlackCaribbean)
  }

  @Test func a_date_of_birth_in_the_future_is_refused() throws {
    #expect(
      throws: InvalidInput(field: "dateOfBirth", problem: "2027-01-01 is in the future", fix: "Check the year of birth")
    ) {
      try child(dob: "2027-01-01").validate(today: today)
    }
    #expect(throws: InvalidInput.self) { try child(dob: "1990-01-01").validate(today: today) }
  }

  @Test func care_authority_needs_looked_after() throws {
    var c = try child()
    c.careAuthority = "891"
    #expect(throws: InvalidInput.self) { try c.validate(today: today) }
  }

  @Test func postcodes_are_normalised_or_refused() throws {
    #expect(try Address.parsePostcode("ng51ab", field: "--postcode") == "NG5 1AB")
    #expect(try Address.parsePostcode("SW1A 1AA", field: "--postcode") == "SW1A 1AA")
    #expect(Address(text: "x", postcode: "NG5 1AB").postcodeDistrict == "NG5")
    #expect(
      throws: InvalidInput(field: "--postcode", problem: "'12345' is not a UK postcode", fix: "Write it like NG5 1AB")
    ) {
      try Address.parsePostcode("12345", field: "--postcode")
    }
  }

  @Test func carers_and_phones() throws {
    let c = try Carer.parse("Jane Smith; mother; 07700 900123", field: "--carer")
    #expect(c.name == "Jane Smith")
    #expect(c.relationship == "mother")
    #expect(c.phone == "07700 900123")
    #expect(throws: InvalidInput.self) { try Carer.parse("Jane Smith", field: "--carer") }
    #expect(throws: InvalidInput.self) { try Carer.parse("Jane;mother;call me", field: "--carer") }
  }

  @Test func schools_by_urn_or_la_establishment() throws {
    #expect(try SchoolRef.parse("122345", field: "--last-school") == .urn("122345"))
    #expect(
      try SchoolRef.parse("892/4001", field: "--last-school") == .laEstablishment(la: "892", establishment: "4001"))
    #expect(try SchoolRef.parse("8924001", field: "--last-school").storageKey == "laestab:8924001")
    #expect(throws: InvalidInput.self) { try SchoolRef.parse("999/4001", field: "--last-school") }
    #expect(throws: InvalidInput.self) { try SchoolRef.parse("Hill Top Primary", field: "--last-school") }
  }
}

struct CarerRecordTests {
  @Test func parental_responsibility_and_living_arrangements_are_recorded_as_given() throws {
    let mother = try Carer.parse("Jane Smith;mother;07700 900123", field: "--carer")
    #expect(mother.parentalResponsibility && mother.livesWithChild)
    // A foster carer does not hold parental responsibility by the relationship alone.
    let foster = try Carer.parse("Ann Lee;foster carer;07700 900124", field: "--carer")
    #expect(!foster.parentalResponsibility && foster.livesWithChild)
    let father = try Carer.parse("Tom Smith;father;;yes;no", field: "--carer")
    #expect(father.parentalResponsibility && !father.livesWithChild && father.phone == nil)
    let special = try Carer.parse("Mo Khan;special guardian", field: "--carer")
    #expect(special.parentalResponsibility)
    #expect(throws: InvalidInput.self) { try Carer.parse("Ann Lee;foster carer;;maybe", field: "--carer") }
    #expect(throws: InvalidInput.self) { try Carer.parse("Ann Lee;aunt;;no;no;extra", field: "--carer") }
  }
}
