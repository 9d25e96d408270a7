import CMEDomain
import Testing

struct DfEReturnTests {
  func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

  func episode(
    _ id: Int64, born: String = "2014-03-02", sex: Sex = .female, reason: CaseReason = .whereaboutsUnknown,
    opened: String, closed: String? = nil, since: String? = nil
  ) -> DfECMEReturn.Episode {
    .init(
      childId: id, dateOfBirth: d(born), sex: sex, reason: reason, openedOn: d(opened), closedOn: closed.map(d),
      missingSince: since.map(d))
  }

  @Test func the_census_day_counts_open_cases_of_compulsory_school_age_only() {
    let figures = DfECMEReturn.figures(
      census: d("2026-11-12"),
      episodes: [
        episode(1, opened: "2026-10-01", since: "2026-09-20"),
        episode(2, sex: .male, opened: "2026-01-05", since: "2025-12-01"),
        episode(3, opened: "2026-10-01", closed: "2026-11-12"),  // closed on the day: not missing then
        episode(4, opened: "2026-11-13"),  // opened after
        episode(5, born: "2009-03-02", opened: "2026-10-01"),  // 17: outside compulsory school age
        episode(6, opened: "2025-10-01", closed: "2026-02-01"),  // last year only
        episode(7, reason: .partTimeTimetable, opened: "2026-10-01"),  // on roll: not missing education
      ])
    func count(_ measure: String, _ category: String) -> Int? {
      figures.first { $0.measure == measure && $0.category == category }?.count
    }
    #expect(count("census day", "children missing education") == 2)
    #expect(count("census day", "open cases of children outside compulsory school age (not counted)") == 1)
    #expect(
      count("census day", "open cases of children on roll but not in full-time education (not counted)") == 1)
    #expect(count("primary reason", "part-time-timetable") == nil)
    #expect(count("sex", "female") == 1 && count("sex", "male") == 1)
    #expect(count("time missing", "12 weeks or less") == 1)
    #expect(count("time missing", "more than 12 weeks") == 1)
    #expect(count("year group", "Year 8") == 2)
    #expect(count("at any point", "2026/27 to the census day") == 3)
    #expect(count("at any point", "2025/26") == 2)
  }

  @Test func the_academic_year_runs_from_september_to_august() {
    #expect(DfECMEReturn.academicYear(of: d("2026-11-12")).label == "2026/27")
    #expect(DfECMEReturn.academicYear(of: d("2027-08-31")).label == "2026/27")
    #expect(DfECMEReturn.academicYear(of: d("2027-09-01")).start == d("2027-09-01"))
  }
}
