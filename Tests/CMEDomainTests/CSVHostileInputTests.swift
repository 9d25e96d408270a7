import CMEDomain
import Testing

/// School returns as an attacker, a damaged disk or a careless hand would
/// write them: each is refused with its place and the problem in words.
/// Large inputs are made here, never kept in the repository.
struct CSVHostileInputTests {
  /// What reading `bytes` says (`LINE:COLUMN: message`), or "N records".
  func outcome(_ bytes: [UInt8]) -> String {
    do {
      return "\(try CSVReader.parse(bytes).count) records"
    } catch {
      return error.description
    }
  }

  @Test func a_nul_byte_is_refused_where_it_is() {
    #expect(
      outcome(Array("a,b\nc,d".utf8) + [0] + Array("e\n".utf8))
        == "2:4: a NUL byte (0x00), which text never holds; save the file as CSV")
  }

  @Test func bytes_that_are_not_utf8_are_refused_where_they_are() {
    let notUTF8 = "the text is not UTF-8 (byte 0xE2); save the file as UTF-8 (CSV UTF-8 in a spreadsheet)"
    #expect(outcome(Array("name\nSi".utf8) + [0xE2, 0x28, 0xA1] + Array("n\n".utf8)) == "2:3: " + notUTF8)
    #expect(
      outcome(Array("a,b".utf8) + [0xC3])
        == "1:4: the text is not UTF-8 (byte 0xC3); save the file as UTF-8 (CSV UTF-8 in a spreadsheet)")
    #expect(
      outcome(Array("a,\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"\n".utf8))
        == "1:4: the text is not UTF-8 (byte 0xED); save the file as UTF-8 (CSV UTF-8 in a spreadsheet)")
  }

  @Test func columns_count_characters_not_bytes() {
    #expect(
      outcome(Array("Siân,Zoë,\"x\"y\n".utf8))
        == "1:13: text after a closing quote; a quoted field must end at a comma or the line end")
    #expect(outcome(Array("Siân,Zoë,Łódź\n".utf8)) == "1 records")
  }

  @Test func an_absurdly_long_field_is_refused_at_its_start() {
    #expect(
      outcome(Array(("a," + String(repeating: "x", count: 40_000) + "\n").utf8))
        == "1:3: a field longer than 32,768 bytes (32 KiB); a return's fields are far shorter: check the file is a CSV return"
    )
    // A quote left open makes the rest of the file one field: said where the quote is.
    #expect(
      outcome(Array(("a,b\nc,\"open\n" + String(repeating: "x,y\n", count: 10_000)).utf8))
        == "2:3: a field longer than 32,768 bytes (32 KiB); its closing quote may be missing (a quote inside a quoted field is doubled: \"\")"
    )
  }

  @Test func an_absurdly_long_record_is_refused() {
    let line = String(repeating: String(repeating: "x", count: 29) + ",", count: 10_000)
    #expect(
      outcome(Array(("a,b\n" + line + "\n").utf8))
        == "2:1: a record longer than 262,144 bytes (256 KiB); a return's rows are far shorter: check the file is a CSV return"
    )
  }

  @Test func a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let huge = [UInt8](repeating: UInt8(ascii: "a"), count: CSVReader.maxFileBytes + 1)
    #expect(
      outcome(huge)
        == "1:1: the file is larger than 268,435,456 bytes (256 MiB), the most cme reads; check it is the right file")
  }
}

/// The school returns' readers pass on the CSV reader's refusals with the file's name.
struct ReturnHostileInputTests {
  let today = LocalDate(year: 2026, month: 11, day: 16)!
  static let deletionHeader =
    "upn,surname,forename,date_of_birth,sex,address,postcode,school,deletion_date,ground,last_attended,parent_name,parent_address,emergency_phone,destination_address,destination_school,destination_start_date\n"

  @Test func a_deletion_return_with_a_nul_byte_is_refused() {
    let bytes =
      Array((Self.deletionHeader + ",Ward,Tommy,2014-03-02,M,,,892/4001,2026-11-06,I,,Mary").utf8) + [0]
      + Array(" Ward,,07700 900123,,,\n".utf8)
    #expect(
      throws: FileProblems([
        FileProblem(
          file: "r.csv", line: 2, column: "55",
          message: "a NUL byte (0x00), which text never holds; save the file as CSV")
      ])
    ) {
      try DeletionReturnFile.read(csv: bytes, file: "r.csv", today: today)
    }
  }

  @Test func a_new_pupil_return_that_is_not_utf8_is_refused() {
    let bytes =
      Array("surname,forename,date_of_birth,school,start_date\nM".utf8) + [0xFC]
      + Array("ller,Jo,2014-03-02,122345,2026-11-12\n".utf8)
    do {
      _ = try NewPupilFile.read(csv: bytes, file: "n.csv", today: today)
      Issue.record("must be refused")
    } catch {
      #expect(
        error.description
          == "n.csv:2:2: the text is not UTF-8 (byte 0xFC); save the file as UTF-8 (CSV UTF-8 in a spreadsheet)\n1 problem; nothing was imported"
      )
    }
  }

  @Test func a_return_with_a_quote_left_open_is_refused_where_the_quote_is() {
    let bytes = Array(
      ("surname,forename,date_of_birth,school,start_date\n\"Ward,Tommy,2014-03-02,122345,2026-11-12\n"
        + String(repeating: "Lee,Kai,2015-01-01,122345,2026-11-12\n", count: 1_000)).utf8)
    #expect(
      throws: FileProblems([
        FileProblem(
          file: "n.csv", line: 2, column: "1",
          message:
            "a field longer than 32,768 bytes (32 KiB); its closing quote may be missing (a quote inside a quoted field is doubled: \"\")"
        )
      ])
    ) {
      try NewPupilFile.read(csv: bytes, file: "n.csv", today: today)
    }
  }

  @Test func a_file_of_faulty_rows_lists_the_first_thousand_problems_and_counts_the_rest() {
    // Once every problem was kept: a file of empty rows, two bytes each, made millions.
    let bytes = Array(
      ("surname,forename,date_of_birth,school,start_date\n" + String(repeating: ",\n", count: 20_000)).utf8)
    do {
      _ = try NewPupilFile.read(csv: bytes, file: "n.csv", today: today)
      Issue.record("must be refused")
    } catch {
      #expect(error.problems.count == 1_000 && error.unlisted == 99_000)
      #expect(error.problems.last?.description == "n.csv:201:start_date: is empty; it is required")
      #expect(error.description.hasSuffix("\nthe first 1,000 of 100,000 problems are listed; nothing was imported"))
    }
  }
}
