import CMEDomain
import Testing

/// School-day arithmetic against hand-counted examples on the default calendar.
struct SchoolCalendarTests {
  let cal = SchoolCalendar.englandDefault
  func d(_ s: String) -> LocalDate { try! LocalDate.parse(s, field: "date") }

  @Test func the_default_calendar_covers_2024_25_to_2027_28() throws {
    #expect(cal.coverage == d("2024-09-03")...d("2028-07-21"))
    #expect(cal.periods.filter { $0.kind == .term }.count == 24)
    // Re-reading its own CSV gives the same calendar.
    #expect(try SchoolCalendar.read(csv: Array(cal.csv.utf8), file: "x") == cal)
  }

  @Test func weekends_holidays_and_bank_holidays_are_not_school_days() {
    #expect(cal.isSchoolDay(d("2025-10-20")))  // a Monday in term
    #expect(!cal.isSchoolDay(d("2025-10-25")))  // Saturday
    #expect(!cal.isSchoolDay(d("2025-10-29")))  // October half-term
    #expect(!cal.isSchoolDay(d("2026-05-04")))  // Early May bank holiday, in term
    #expect(!cal.isSchoolDay(d("2025-12-24")))  // Christmas holiday
    #expect(!cal.isSchoolDay(d("2026-08-10")))  // summer holiday
  }

  @Test func every_year_of_the_default_calendar_has_190_pupil_days() {
    for year in 2024...2027 {
      #expect(cal.pupilDays(inAcademicYearStarting: year) == 190, "\(year)")
    }
    #expect(!cal.isSchoolDay(d("2026-09-03")))  // the autumn term's training day
  }

  @Test func counting_across_half_term() {
    // Tue 21 – Fri 24 Oct (4), half-term 27–31 Oct, Mon 3 Nov a training day, Tue 4 – Fri 7 Nov (4).
    #expect(cal.schoolDays(after: d("2025-10-20"), through: d("2025-11-07")) == 8)
  }

  @Test func counting_across_christmas() {
    // Tue 16 – Fri 19 Dec (4), holiday to Fri 2 Jan, Mon 5 Jan a training day, Tue 6 – Fri 9 Jan (4).
    #expect(cal.schoolDays(after: d("2025-12-15"), through: d("2026-01-09")) == 8)
  }

  @Test func counting_across_a_bank_holiday_in_term() {
    // Fri 1 May (1), Mon 4 May bank holiday, Tue 5 – Fri 8 May (4).
    #expect(cal.schoolDays(after: d("2026-04-30"), through: d("2026-05-08")) == 5)
  }

  @Test func counting_across_easter_and_its_bank_holidays() {
    // Mon 23 – Fri 27 Mar (5); Easter holiday 30 Mar – 10 Apr with Good Friday and Easter Monday; Mon 13 Apr a
    // training day; Tue 14 – Wed 15 Apr (2).
    #expect(cal.schoolDays(after: d("2026-03-20"), through: d("2026-04-15")) == 7)
  }

  @Test func counting_across_the_academic_year_boundary() {
    // Thu 16 – Tue 21 Jul (4; Wed 22 a training day), summer holiday, Thu 3 Sep a training day, Fri 4 – Wed 9 Sep (4).
    #expect(cal.schoolDays(after: d("2026-07-15"), through: d("2026-09-09")) == 8)
    // Christmas 2026: Boxing Day substitute on Mon 28 Dec falls in the holiday anyway.
    // Fri 18 Dec, Tue 5 Jan (Mon 4 a training day).
    #expect(cal.schoolDays(after: d("2026-12-17"), through: d("2027-01-05")) == 2)
  }

  @Test func adding_school_days() {
    // 10 school days after Mon 20 Oct 2025: 21–24 Oct (4), 4–7 Nov (8; Mon 3 a training day), 10–11 Nov (10).
    #expect(cal.adding(schoolDays: 10, to: d("2025-10-20")) == d("2025-11-11"))
    // 20 school days after Mon 1 Dec 2025: 2–5, 8–12, 15–19 Dec (14), 6–9 Jan (18; Mon 5 training), 12–13 Jan (20).
    #expect(cal.adding(schoolDays: 20, to: d("2025-12-01")) == d("2026-01-13"))
    // From a holiday day, counting starts at the next school day (after the spring term's training day).
    #expect(cal.adding(schoolDays: 1, to: d("2025-12-25")) == d("2026-01-06"))
    #expect(cal.adding(schoolDays: 5, to: d("2028-07-19")) == nil)  // beyond the calendar
    #expect(cal.schoolDays(after: d("2026-01-09"), through: d("2026-01-09")) == 0)
  }

  @Test func reading_a_calendar_lists_every_problem_with_its_place() {
    let text = """
      kind,start,end,description
      term,2026-09-03,2026-10-23,Autumn 1
      term,2026-10-20,2026-12-18,Autumn 2
      holiday,2026-12-25,2026-12-25,Christmas
      closure,2026-02-30,2026-03-01,Bad
      term,2027-01-04,2027-01-01,Backwards
      term,2027-02-01
      """
    do {
      _ = try SchoolCalendar.read(csv: Array(text.utf8), file: "cal.csv")
      Issue.record("should fail")
    } catch {
      #expect(
        error.problems.map(\.description) == [
          "cal.csv:3:start: the term 2026-10-20 to 2026-12-18 overlaps the term on line 2 (2026-09-03 to 2026-10-23)",
          "cal.csv:4:kind: 'holiday' is not term, closure or training",
          "cal.csv:5:start: '2026-02-30' is not a real date: February 2026 has 28 days",
          "cal.csv:6:end: 2027-01-01 is before the start, 2027-01-04",
          "cal.csv:7:3: 2 fields; each line needs 4: kind,start,end,description",
        ])
      #expect(error.description.hasSuffix("5 problems; nothing was imported"))
    }
  }

  @Test func a_calendar_needs_its_header() {
    #expect(
      throws: FileProblems([
        FileProblem(
          file: "c.csv", line: 1, column: "1", message: "the header is 'from,to'; it must be kind,start,end,description"
        )
      ])
    ) {
      try SchoolCalendar.read(csv: Array("from,to\n".utf8), file: "c.csv")
    }
  }
}

/// A calendar file is a calendar: bounded, no repeats, training days in term.
struct CalendarFileLimitsTests {
  func read(_ text: String) -> [String] {
    do {
      _ = try SchoolCalendar.read(csv: Array(text.utf8), file: "c.csv")
      return []
    } catch { return error.problems.map(\.description) }
  }

  @Test func repeats_training_days_out_of_term_and_huge_files_are_refused() {
    let head = "kind,start,end,description\nterm,2026-09-03,2026-12-18,Autumn\n"
    #expect(
      read(head + "closure,2026-12-25,2026-12-25,Xmas\nclosure,2026-12-25,2026-12-25,Xmas again\n")
        == ["c.csv:4:1: the same period as line 3"])
    #expect(
      read(head + "training,2027-01-20,2027-01-20,INSET\n")
        == [
          "c.csv:3:start: the training day 2027-01-20 to 2027-01-20 is not inside a term (a training day is a term day pupils are not taught)"
        ])
    let huge = head + String(repeating: "closure,2026-10-01,2026-10-01,x\n", count: 2500)
    #expect(read(huge) == ["c.csv:2002:1: the file has 2501 rows; a calendar has at most 2000"])
    #expect(read(head + "training,2026-09-03,2026-09-03,INSET\n").isEmpty)
  }
}
