import CMEDomain
import Testing

struct ChildEnrichmentTests {
  let dob = LocalDate(year: 2014, month: 3, day: 2)!

  func upn(_ s: String) throws -> UPN { try UPN.validate(s).get() }

  @Test func gaps_are_filled_and_what_the_register_holds_is_kept() throws {
    var ours = Child(legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: dob)
    ours.ethnicity = Ethnicity(checked: "WBRI")
    ours.addresses = [Address(text: "12 Meadow Lane, Nottingham", postcode: "NG2 3HJ")]
    var theirs = Child(legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: dob)
    theirs.sex = .male
    theirs.upn = try upn("B801200005001")
    theirs.formerUPNs = [try upn("G80120000101A")]
    theirs.ethnicity = Ethnicity(checked: "WIRT")
    theirs.firstLanguage = LanguageCode(checked: "ENG")
    theirs.senProvision = .senSupport
    theirs.addresses = [
      Address(text: "12, meadow lane nottingham", postcode: "NG2 3HJ"),
      Address(text: "Plot 3, Green Lane site, Newark", postcode: "NG24 4XY"),
      Address(text: "14 Meadow Lane, Nottingham", postcode: "NG2 3HJ"),
    ]
    theirs.lastSchool = .laEstablishment(la: "892", establishment: "4001")

    let e = ChildEnrichment(existing: ours, offered: theirs)
    #expect(e.filled == ["upn", "first language", "last school", "SEN provision", "sex", "former UPNs", "addresses"])
    #expect(e.child.upn == theirs.upn && e.child.sex == .male && e.child.senProvision == .senSupport)
    #expect(e.child.formerUPNs == theirs.formerUPNs)
    // The same address written differently is not added again; a new one is.
    #expect(
      e.child.addresses.map(\.text) == [
        "12 Meadow Lane, Nottingham", "Plot 3, Green Lane site, Newark", "14 Meadow Lane, Nottingham",
      ])
    // The register's ethnicity stays; the difference is listed.
    #expect(e.child.ethnicity?.code == "WBRI")
    #expect(e.differences == ["ethnicity: the register has WBRI, the file has WIRT"])
  }

  @Test func free_school_meals_and_new_contacts_are_filled_in() {
    var ours = Child(legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: dob)
    ours.carers = [Carer(name: "Mary Ward", relationship: "mother", phone: "07700 900123")]
    var theirs = ours
    theirs.freeSchoolMeals = true
    theirs.carers = [
      Carer(name: "MARY WARD", relationship: "parent", phone: "07700 900999"),
      Carer(name: "John Lovell", relationship: "relative"),
    ]
    let e = ChildEnrichment(existing: ours, offered: theirs)
    #expect(e.filled == ["free school meals", "contacts"])
    #expect(e.child.freeSchoolMeals == true)
    // Mary is already known (her details stay as the register has them); John is added.
    #expect(e.child.carers.map(\.name) == ["Mary Ward", "John Lovell"])
    #expect(e.child.carers[0].phone == "07700 900123")
    var known = ours
    known.freeSchoolMeals = false
    #expect(
      ChildEnrichment(existing: known, offered: theirs).differences == [
        "free school meals: the register has not eligible, the file has eligible"
      ])
  }

  @Test func being_in_care_is_reported_not_set() {
    let ours = Child(legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: dob)
    var theirs = ours
    theirs.lookedAfter = true
    theirs.careAuthority = "891"
    let e = ChildEnrichment(existing: ours, offered: theirs)
    #expect(!e.child.lookedAfter && e.filled.isEmpty)
    #expect(
      e.differences == [
        "looked after: the file says the child is in care of LA 891; the register does not: check, and record it on the child's record"
      ])
  }

  @Test func a_record_with_nothing_new_is_unchanged() throws {
    var ours = Child(legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: dob)
    ours.upn = try upn("B801200005001")
    let e = ChildEnrichment(existing: ours, offered: ours)
    #expect(e.child == ours && e.filled.isEmpty && e.differences.isEmpty)
  }
}
