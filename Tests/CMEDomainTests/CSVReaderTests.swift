import Foundation
import Testing

@testable import CMEDomain

/// RFC 4180 and the ways real files differ from it.
struct CSVReaderTests {
  func parse(_ text: String) throws -> [[String]] { try CSVReader.parse(Array(text.utf8)).map(\.fields) }

  @Test func plain_fields_and_line_ends() throws {
    #expect(try parse("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]])
    #expect(try parse("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
    #expect(try parse("a,b\n1,2") == [["a", "b"], ["1", "2"]])  // no final line end
  }

  @Test func quoted_fields_hold_commas_quotes_and_line_breaks() throws {
    #expect(try parse("\"Ward, Tommy\",\"say \"\"hi\"\"\"\n") == [["Ward, Tommy", "say \"hi\""]])
    let records = try CSVReader.parse(Array("a,\"two\nlines\"\nnext,row\n".utf8))
    #expect(records.map(\.fields) == [["a", "two\nlines"], ["next", "row"]])
    #expect(records.map(\.line) == [1, 3])
    #expect(try parse("\"\",x\n") == [["", "x"]])
  }

  @Test func empty_fields_blank_lines_and_bom() throws {
    #expect(try parse("a,,c\n,,\n") == [["a", "", "c"], ["", "", ""]])
    #expect(try parse("a\n\n\nb\n") == [["a"], ["b"]])
    #expect(try CSVReader.parse([0xEF, 0xBB, 0xBF] + Array("kind,x\n".utf8)).map(\.fields) == [["kind", "x"]])
  }

  @Test(arguments: [
    ("a,b\"c\n", "1:4: a quote inside an unquoted field; put the whole field in quotes and double the quote (\"\")"),
    ("a,\"b\"c\n", "1:6: text after a closing quote; a quoted field must end at a comma or the line end"),
    ("a,b\nc,\"open\n", "2:3: a quoted field is not closed before the end of the file"),
  ])
  func malformed_input_is_located(_ text: String, _ message: String) {
    do {
      _ = try CSVReader.parse(Array(text.utf8))
      Issue.record("should fail")
    } catch {
      #expect(error.description == message)
    }
  }

  @Test func non_utf8_bytes_are_refused() {
    do {
      _ = try CSVReader.parse(Array("a,".utf8) + [0xE9] + Array("t\n".utf8))  // Latin-1 é
      Issue.record("should fail")
    } catch {
      #expect(error.line == 1 && error.column == 3)
      #expect(error.message.hasPrefix("the text is not UTF-8"))
    }
  }
}

struct CSVWriterTests {
  @Test(arguments: [
    ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""), ("+44 115 496 0000", "'+44 115 496 0000"), ("-5", "-5"),
    ("@SUM(A1)", "'@SUM(A1)"), (" =1+1", "' =1+1"), ("\u{200B}=1", "'\u{200B}=1"), ("|cmd", "'|cmd"), ("%x", "'%x"),
    ("Ward, Tommy", "\"Ward, Tommy\""), ("plain", "plain"), ("two\nlines", "\"two\nlines\""),
    ("Keep open\r\n=2+5+cmd|' /C calc'!A0", "\"Keep open\r\n=2+5+cmd|' /C calc'!A0\""), ("a\rb", "\"a\rb\""),
    // A quote that a combining mark or a joiner follows is doubled all the
    // same, so the cell cannot end early and leave a formula outside it.
    ("x\"\u{301}", "\"x\"\"\u{301}\""), ("é\"\u{301},=1+1", "\"é\"\"\u{301},=1+1\""),
    ("=\"\u{200D},cmd", "\"'=\"\"\u{200D},cmd\""),
  ])
  func cells_that_a_spreadsheet_would_run_are_neutralised(_ raw: String, _ written: String) {
    #expect(CSVWriter.cell(raw) == written)
  }

  /// The quick check on bytes gives what the check character by character
  /// gives, for text of every kind of character a cell can start or hold.
  @Test func the_quick_path_writes_what_the_full_check_writes() {
    let pieces = [
      "a", "Z", "0", "7", " ", ",", "\"", "'", "=", "+", "-", "@", "|", "%", "\t", "\r", "\n", ".", "/", "~", "é",
      "\u{200B}", "\u{FF1D}", "\u{202E}", "\u{7F}", "\u{1}", "😀", "Ł", "CME-2026-00001", "2026-11-30", "1e3",
      "\u{301}", "\u{200D}", "\u{FE0F}", "\u{1F3FD}",
    ]
    var g = SystemRandomNumberGenerator()
    var quick = 0
    var quoted = 0
    for _ in 0..<20_000 {
      let text = (0..<Int.random(in: 0...4, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
      #expect(CSVWriter.cell(text) == CSVWriter.guarded(text), "\(text.debugDescription)")
      if let cell = CSVWriter.quick(text) {
        quick += 1
        if cell != text { quoted += 1 }
      }
    }
    #expect(quick > 5_000, "the quick path was taken")
    #expect(quoted > 1_000, "the quick path quoted cells")
  }

  @Test func what_is_written_reads_back() throws {
    let rows = [["a", "b,c", "say \"hi\""], ["", "x\ny", "3"], ["Keep open\r\n=2+5", "z\r\n"]]
    #expect(try CSVReader.parse(Array(CSVWriter.rows(rows).utf8)).map(\.fields) == rows)
  }
}

struct CalendarCellTrimTests {
  @Test func a_cell_is_trimmed_as_foundation_trims_spaces() {
    let cells = [
      "term", " term", "term ", "\tterm\t", "\u{00A0}term\u{3000}", "term\n", "\nterm", "", " ", "é", " é ",
      "Autumn term 2024 (first half)", "2024-09-03", "a\u{2003}", "\u{2003}",
    ]
    for cell in cells {
      #expect(
        SchoolCalendar.spaceTrimmed(cell) == cell.trimmingCharacters(in: .whitespaces), "\(Array(cell.unicodeScalars))")
    }
  }
}
