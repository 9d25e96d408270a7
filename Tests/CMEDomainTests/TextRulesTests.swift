import CMEDomain
import Testing

struct TextRulesTests {
  func refusal(_ text: String, kind: TextKind, field: String = "surname") -> String? {
    do {
      try TextRules.check(text, field: field, kind: kind)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func a_control_character_is_refused_naming_the_field_the_character_and_where() {
    #expect(
      refusal("Wa\u{1B}rd", kind: .name)
        == "surname: contains a control character (U+001B) at position 3. Remove it")
    #expect(
      refusal("Ward\nSmith", kind: .name)
        == "surname: contains a control character (U+000A) at position 5; this field is one line. Remove it")
    #expect(refusal("Wa\u{0}rd", kind: .name) == "surname: contains a NUL character (U+0000) at position 3. Remove it")
    #expect(refusal("Wa\u{0}rd", kind: .note) != nil)
    #expect(refusal("a\u{7F}", kind: .line) != nil)
    #expect(refusal("a\u{85}", kind: .note)?.contains("U+0085") == true)
    #expect(refusal("a\u{9B}2J", kind: .note)?.contains("U+009B") == true)
  }

  @Test(arguments: [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] as [UInt32])
  func bidirectional_overrides_and_isolates_are_refused(_ v: UInt32) {
    let s = "Ward" + String(Unicode.Scalar(v)!)
    #expect(
      refusal(s, kind: .note)?.contains("bidirectional override (\(TextRules.codePoint(Unicode.Scalar(v)!)))") == true)
  }

  @Test func text_that_was_not_utf8_is_refused() {
    let s = String(decoding: [0x57, 0xFF, 0x61], as: UTF8.self)
    #expect(refusal(s, kind: .name)?.contains("not valid UTF-8") == true)
  }

  @Test func tabs_and_line_breaks_are_allowed_only_in_notes() {
    #expect(refusal("Seen at home.\n\tMother present.\r\nNext week.", kind: .note) == nil)
    #expect(refusal("12 Meadow Lane\nNottingham", kind: .address) == nil)
    #expect(refusal("Hill Top\nSchool", kind: .line) != nil)
    #expect(refusal("Ward\tSmith", kind: .name) != nil)
    #expect(refusal("a\rb", kind: .note) != nil)
  }

  @Test func lengths_are_limited_by_kind() {
    #expect(refusal(String(repeating: "a", count: 100), kind: .name) == nil)
    #expect(
      refusal(String(repeating: "a", count: 101), kind: .name)
        == "surname: is 101 characters long; the most it may hold is 100. Shorten it")
    #expect(refusal(String(repeating: "a", count: 500), kind: .line) == nil)
    #expect(refusal(String(repeating: "a", count: 501), kind: .line) != nil)
    #expect(refusal(String(repeating: "a", count: 10_000), kind: .note) == nil)
    #expect(refusal(String(repeating: "a", count: 10_000_000), kind: .note) != nil)
    #expect(refusal("Łódź Zoë 李", kind: .name) == nil)
  }

  @Test func a_child_with_a_control_character_in_any_text_is_refused() {
    let today = LocalDate(year: 2026, month: 11, day: 16)!
    var c = Child(legalSurname: "Ward", legalForename: "Amy", dateOfBirth: LocalDate(year: 2014, month: 3, day: 2)!)
    c.addresses = [Address(text: "12 Meadow Lane\u{1B}[2J")]
    #expect(throws: InvalidInput.self) { try c.validate(today: today) }
    c.addresses = []
    c.carers = [Carer(name: "Mary\u{202E}", relationship: "mother")]
    #expect(throws: InvalidInput.self) { try c.validate(today: today) }
    c.carers = []
    c.circumstances = "Line one\nLine two"
    #expect(throws: Never.self) { try c.validate(today: today) }
  }

  @Test func required_and_optional_notes_meet_the_rules() {
    #expect(throws: InvalidInput.self) { _ = try requireText("No\u{0} answer", field: "outcome", what: "the outcome") }
    #expect(throws: InvalidInput.self) { _ = try optionalText("J\u{1B}", field: "owner", kind: .name) }
    #expect((try? optionalText("  ", field: "owner", kind: .name)) == .some(nil))
  }

  @Test func stored_control_characters_are_made_visible() {
    #expect(TextRules.visible("T\u{1B}[2J") == "T\\u{1B}[2J")
    #expect(TextRules.visible("a\u{202E}b\u{0}") == "a\\u{202E}b\\u{0}")
    #expect(TextRules.visible("Łódź") == "Łódź")
  }

  @Test(
    arguments: [
      0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x00AD, 0x180E, 0x061C, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
      0xFEFF,
    ] as [UInt32])
  func a_formula_behind_an_invisible_character_is_neutralised(_ v: UInt32) {
    let cell = String(Unicode.Scalar(v)!) + "=HYPERLINK(\"http://x\")"
    // (Compared as scalars: a joiner joins the apostrophe into one character.)
    #expect(CSVWriter.cell(cell).unicodeScalars.starts(with: "\"'".unicodeScalars), "U+\(String(v, radix: 16))")
  }

  @Test(arguments: [0xFF1D, 0xFF0B, 0xFF0D, 0xFF20, 0xFF5C, 0xFF05] as [UInt32])
  func a_fullwidth_formula_character_is_neutralised(_ v: UInt32) {
    let cell = String(Unicode.Scalar(v)!) + "SUM(A1)"
    #expect(CSVWriter.cell(cell) == "'" + cell)
    #expect(CSVWriter.cell("\u{200B}" + cell) == "'\u{200B}" + cell)
  }

  @Test func numbers_and_plain_text_are_left_alone() {
    #expect(CSVWriter.cell("-12") == "-12")
    #expect(CSVWriter.cell("Ward") == "Ward")
  }

  @Test func html_escapes_every_markup_character() {
    #expect(
      PackRenderer.esc("<script>\"x\" & 'y'</script>") == "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
    )
  }
}

struct ImportTextRulesTests {
  @Test func an_import_refuses_control_characters_naming_file_line_and_column() {
    let csv = """
      upn,surname,forename,date_of_birth,school,deletion_date,ground,parent_name,emergency_phone,address\r
      ,Wa\u{1B}[2Jrd,Tommy,2014-03-02,892/4001,2026-11-10,A,Mary Ward,07700 900123,"12 Meadow Lane\u{202E}"\r

      """
    #expect {
      _ = try DeletionReturnFile.read(
        csv: Array(csv.utf8), file: "autumn.csv", today: LocalDate(year: 2026, month: 11, day: 16)!)
    } throws: { error in
      let text = (error as? FileProblems)?.description ?? ""
      return text.contains("autumn.csv:2:surname: contains a control character (U+001B) at position 3")
        && text.contains("autumn.csv:2:address: contains a bidirectional override (U+202E)")
    }
  }
}

struct EventDateTests {
  let today = LocalDate(year: 2026, month: 11, day: 16)!

  @Test func no_event_is_dated_after_today() throws {
    try EventDate.notAfterToday(today, field: "doneOn", today: today, fix: "x")
    #expect(throws: InvalidInput(field: "doneOn", problem: "2030-01-01 is in the future", fix: "x")) {
      try EventDate.notAfterToday(LocalDate(year: 2030, month: 1, day: 1)!, field: "doneOn", today: today, fix: "x")
    }
    let future = LocalDate(year: 2031, month: 1, day: 1)!
    #expect(throws: InvalidInput.self) {
      try Visit.validate(date: future, time: nil, caseOpenedOn: today, today: today)
    }
    #expect(throws: InvalidInput.self) {
      try CaseRules.validateDates(
        CMECase(
          reference: "CME-2031-00001", childId: 1, openedOn: future, referralSource: .other, reason: .other,
          whereaboutsKnown: false),
        today: today)
    }
  }
}

struct InvisibleCharacterTests {
  @Test(arguments: [0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD, 0x061C, 0x180E])
  func an_invisible_character_in_a_name_is_refused(_ code: Int) {
    let name = "Zebe" + String(Character(Unicode.Scalar(UInt32(code))!)) + "dee"
    #expect(throws: InvalidInput.self) { try TextRules.check(name, field: "legalSurname", kind: .name) }
  }

  @Test func joiners_that_scripts_need_are_kept() throws {
    try TextRules.check("ශ්\u{200D}රී", field: "legalForename", kind: .name)
    try TextRules.check("می\u{200C}خواهم", field: "legalForename", kind: .name)
  }
}

/// Escaping scalar by scalar: a quote, a pipe, a line break or a `<` that a
/// combining mark or a joiner follows is escaped like any other (Foundation's
/// replacement on Linux leaves it as it is).
struct ScalarEscapingTests {
  @Test func a_character_that_a_combining_mark_follows_is_replaced_too() {
    #expect("x\"\u{301}y".replacingScalars(["\"": "\"\""]) == "x\"\"\u{301}y")
    #expect("a|\u{200D}b".replacingScalars(["|": "\\|"]) == "a\\|\u{200D}b")
    #expect("plain".replacingScalars(["|": "\\|"]) == "plain")
    // All at once: what one replacement writes is not replaced again.
    #expect("\\|".replacingScalars(["\\": "\\\\", "|": "\\|"]) == "\\\\\\|")
  }

  @Test func a_school_calendar_description_with_a_quote_and_a_combining_mark_reads_back() throws {
    let csv =
      "kind,start,end,description\nterm,2026-09-03,2026-12-18,Autumn term\n"
      + "closure,2026-12-11,2026-12-11,\"Staff \"\"day\"\"\u{301}, all schools\"\n"
      + "closure,2026-12-14,2026-12-14,\"Inset\"\"\u{301}\"\n"
    let calendar = try SchoolCalendar.read(csv: Array(csv.utf8), file: "calendar.csv")
    let again = try SchoolCalendar.read(csv: Array(calendar.csv.utf8), file: "calendar.csv")
    #expect(
      again.periods.map(\.description) == ["Autumn term", "Staff \"day\"\u{301}, all schools", "Inset\"\u{301}"])
  }
}
