import CMEDomain
import Testing

struct SafeguardingWorkTests {
  func child(_ configure: (inout Child) -> Void) -> Child {
    var c = Child(legalSurname: "Ward", legalForename: "Tommy", dateOfBirth: LocalDate(year: 2014, month: 3, day: 2)!)
    configure(&c)
    return c
  }

  @Test func each_marker_is_referred_to_the_agency_that_must_know() {
    let c = child {
      $0.childProtectionPlan = true
      $0.concerns = [.criminalExploitation, .missingFromHome]
      $0.lookedAfter = true
      $0.careAuthority = "Leeds"
      $0.youthJustice = true
    }
    let work = SafeguardingWork.referrals(for: c)
    #expect(work.map(\.agency) == [.socialCare, .police, .virtualSchool, .youthJustice])
    #expect(work[0].description.contains("child protection plan, criminal exploitation"))
    #expect(!work[0].description.contains("missing from home"))
    #expect(work[2].description.hasSuffix("(care authority Leeds)"))
    #expect(work.allSatisfy { $0.description.hasPrefix(SafeguardingWork.referralPrefix) })
  }

  @Test func a_child_without_markers_needs_no_referral_and_an_open_one_is_not_raised_twice() {
    #expect(SafeguardingWork.referrals(for: child { _ in }).isEmpty)
    let c = child { $0.concerns = [.sexualExploitation, .missingFromHome] }
    let open = [(agency: Agency.police, description: "Safeguarding referral: report to the police …")]
    #expect(SafeguardingWork.referralsToRaise(for: c, open: open).map(\.agency) == [.socialCare])
    // Another open action to social care is not a referral.
    let other = [(agency: Agency.socialCare, description: "Check children's social care records")]
    #expect(SafeguardingWork.referralsToRaise(for: c, open: other).map(\.agency) == [.socialCare, .police])
  }

  @Test func a_check_without_an_explanation_or_an_escalation_creates_owned_work() {
    #expect(
      SafeguardingWork.afterCheck(outcome: .explained, note: "x", reference: "CME-1", lead: "cw", manager: "m") == nil)
    let required = SafeguardingWork.afterCheck(
      outcome: .actionRequired, note: "No visit for a month", reference: "CME-1", lead: "cw", manager: "mgr")
    #expect(required?.work.owner == "cw")
    #expect(required?.schoolDays == 5)
    #expect(required?.work.description.contains("No visit for a month") == true)
    let escalated = SafeguardingWork.afterCheck(
      outcome: .escalated, note: "Police to visit", reference: "CME-1", lead: nil, manager: "mgr")
    #expect(escalated?.work.owner == "mgr")
    #expect(escalated?.schoolDays == 1)
  }
}
