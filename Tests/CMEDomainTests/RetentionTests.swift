import CMEDomain
import Testing

struct RetentionTests {
  func date(_ text: String) throws -> LocalDate { try LocalDate.parse(text, field: "date") }

  @Test func a_record_is_kept_until_the_later_of_the_25th_birthday_and_six_years_after_the_last_case() throws {
    let policy = RetentionPolicy()
    #expect(try policy.retainedUntil(dateOfBirth: date("2001-03-02"), lastCaseClosed: nil) == date("2026-03-02"))
    #expect(
      try policy.retainedUntil(dateOfBirth: date("2001-03-02"), lastCaseClosed: date("2024-07-01"))
        == date("2030-07-01"))
    #expect(
      try policy.retainedUntil(dateOfBirth: date("2001-03-02"), lastCaseClosed: date("2015-07-01"))
        == date("2026-03-02"))
    // Born on 29 February: the 25th birthday falls on 28 February in a year without one.
    #expect(try policy.retainedUntil(dateOfBirth: date("2004-02-29"), lastCaseClosed: nil) == date("2029-02-28"))
    let local = RetentionPolicy(yearsAfterBirth: 30, yearsAfterLastCase: 10)
    #expect(try local.retainedUntil(dateOfBirth: date("2001-03-02"), lastCaseClosed: nil) == date("2031-03-02"))
  }

  @Test func only_a_record_past_its_date_with_no_open_case_and_no_hold_is_due() throws {
    let policy = RetentionPolicy()
    let born = try date("2001-03-02")
    func due(open: Bool = false, hold: Bool = false, today: String) throws -> Bool {
      policy.isDue(dateOfBirth: born, lastCaseClosed: nil, hasOpenCase: open, onHold: hold, today: try date(today))
    }
    #expect(try !due(today: "2026-03-02"))
    #expect(try due(today: "2026-03-03"))
    #expect(try !due(open: true, today: "2026-03-03"))
    #expect(try !due(hold: true, today: "2026-03-03"))
  }

  @Test func the_retention_years_are_settings_with_the_common_defaults() throws {
    var settings = LocalSettings()
    #expect(settings.retention == RetentionPolicy(yearsAfterBirth: 25, yearsAfterLastCase: 6))
    settings.apply(["retention.yearsAfterBirth": "30"])
    #expect(settings.retention.yearsAfterBirth == 30)
    #expect(try LocalSettings.validate(key: "retention.yearsAfterLastCase", value: "10") == 10)
  }
}
