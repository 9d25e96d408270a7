import CMEDomain
import Foundation
import Testing

/// Transfer files as an attacker, a damaged disk or a careless hand would
/// write them. Each is refused quickly with its place and the problem in
/// words: never a crash, a hang or an error number. Several of these once
/// crashed the process or took minutes; large inputs are made here, never
/// kept in the repository.
struct CTFHostileInputTests {
  let today = LocalDate(year: 2026, month: 11, day: 16)!

  static let head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CTfile><Header><CTFversion>25.0</CTFversion></Header>\n<CTFpupilData>"
  static let kai =
    "<Pupil><Surname>Lee</Surname><Forename>Kai</Forename><DOB>2015-01-01</DOB><Gender>M</Gender></Pupil>"
  static let tail = "</CTFpupilData></CTfile>\n"

  /// A CTF with `pupils` between the header and the end, as bytes.
  static func ctf(_ pupils: String) -> [UInt8] { Array((head + pupils + tail).utf8) }

  /// What reading `bytes` as `t.xml` says (`FILE:LINE:COLUMN: message`), or "read N pupils".
  func outcome(_ bytes: [UInt8], limits: CTFReader.Limits = .standard) -> String {
    outcome(InputStream(data: Data(bytes)), limits: limits)
  }

  func outcome(_ stream: InputStream, limits: CTFReader.Limits = .standard) -> String {
    var pupils = 0
    do {
      if limits == .standard {
        try CTFFile.read(stream: stream, file: "t.xml", today: today) { _ in pupils += 1 }
      } else {
        try CTFReader(file: "t.xml", limits: limits) { _, _ in pupils += 1 }.read(stream: stream)
      }
      return "read \(pupils) pupils"
    } catch {
      return "\(error)"
    }
  }

  @Test func a_good_file_still_reads() {
    #expect(outcome(Self.ctf(Self.kai)) == "read 1 pupils")
  }

  @Test func an_invalid_byte_in_an_element_name_is_refused_before_the_parser_sees_it() {
    // 22 bytes that crashed the process (SIGILL) inside FoundationXML.
    let bytes = Array("<CTfile><a".utf8) + [0xFF] + Array("/></CTfile>".utf8)
    #expect(bytes.count == 22)
    #expect(
      outcome(bytes)
        == "t.xml:1:11: the text is not UTF-8 (byte 0xFF); a CTF is UTF-8: check the file was not saved in another encoding or damaged"
    )
  }

  @Test(
    arguments: [
      ([0xC3, 0x28], "0xC3"),  // a lead byte without its continuation
      ([0xC0, 0xAF], "0xC0"),  // an overlong '/'
      ([0xED, 0xA0, 0x80], "0xED"),  // a surrogate
      ([0xF4, 0x90, 0x80, 0x80], "0xF4"),  // above U+10FFFF
      ([0x80], "0x80"),  // a continuation byte alone
    ] as [([UInt8], String)])
  func bytes_that_are_not_utf8_are_refused_where_they_are(_ bad: [UInt8], _ byte: String) {
    let bytes =
      Array(Self.head.utf8) + Array("<Pupil><Surname>Le".utf8) + bad + Array("e</Surname></Pupil>".utf8)
      + Array(Self.tail.utf8)
    #expect(
      outcome(bytes)
        == "t.xml:3:33: the text is not UTF-8 (byte \(byte)); a CTF is UTF-8: check the file was not saved in another encoding or damaged"
    )
  }

  @Test func a_file_cut_in_the_middle_of_a_character_is_refused() {
    let cut = Array(Self.head.utf8) + Array("<Pupil><Surname>Sia".utf8) + [0xC3]
    #expect(outcome(cut) == "t.xml:3:34: the file ends in the middle of a character; check it was not cut short")
  }

  @Test func a_nul_byte_is_refused() {
    let bytes =
      Array(Self.head.utf8) + Array("<Pupil><Surname>Le".utf8) + [0] + Array("e</Surname></Pupil>".utf8)
      + Array(Self.tail.utf8)
    #expect(outcome(bytes) == "t.xml:3:33: a NUL byte (0x00), which text never holds; a CTF is a text file")
  }

  @Test func forty_thousand_levels_of_nesting_are_refused_at_once() {
    // Once quadratic: 59 s with the import holding the register's write lock.
    let n = 40_000
    let bytes = Array(
      ("<CTfile>" + String(repeating: "<a>", count: n) + String(repeating: "</a>", count: n) + "</CTfile>").utf8)
    let clock = ContinuousClock()
    var said = ""
    let took = clock.measure { said = outcome(bytes) }
    // The 65th level is the 64th <a>, after <CTfile> and 63 <a>.
    #expect(
      said
        == "t.xml:1:198: elements nested more than 64 deep; a CTF nests a few levels: this is not a CTF, or it is damaged"
    )
    #expect(took < .seconds(5))
  }

  @Test func an_element_with_a_hundred_thousand_attributes_is_refused_at_once() {
    // Found while hardening: the parser checks attributes for repeats pair by pair (200,000 took 40 s).
    let attributes = (0..<100_000).map { "a\($0)=''" }.joined(separator: " ")
    let clock = ContinuousClock()
    var said = ""
    let took = clock.measure { said = outcome(Self.ctf("<Pupil \(attributes)/>")) }
    #expect(
      said
        == "t.xml:3:15: an element with more than 32 attributes; a CTF's elements have few or none: this is not a CTF, or it is damaged"
    )
    #expect(took < .seconds(5))
  }

  @Test func a_stream_that_never_ends_stops_at_the_size_limit() {
    let clock = ContinuousClock()
    var said = ""
    let took = clock.measure {
      said = outcome(EndlessStream(start: "<CTfile>"), limits: CTFReader.Limits(fileBytes: 1 << 20))
    }
    #expect(
      said
        == "t.xml:1:1048577: the file is larger than 1,048,576 bytes (1 MiB), the most cme reads for a CTF (a whole school's is a few MB); check it is the right file"
    )
    #expect(took < .seconds(5))
  }

  @Test func a_processing_instruction_is_refused() {
    // Found by fuzzing: an instruction without data made FoundationXML read a null pointer (SIGSEGV).
    #expect(
      outcome(Array("<?x?> vers".utf8))
        == "t.xml:1:1: a processing instruction (<?…?>); a CTF holds none but the XML declaration at its start")
    #expect(
      outcome(Array(("<CTfile><?xml-stylesheet href='a.css'?>" + Self.tail).utf8))
        == "t.xml:1:9: a processing instruction (<?…?>); a CTF holds none but the XML declaration at its start")
    // Found by fuzzing: where the parser recovers from an error (a quote where a name should be), it
    // read markup this check had taken for an attribute's value, and crashed the same way.
    #expect(
      outcome(Array("<C\"<?x?>".utf8))
        == "t.xml:1:4: a processing instruction (<?…?>); a CTF holds none but the XML declaration at its start")
    #expect(
      outcome(Array("<CTfile a='<!DOCTYPE x>'/>".utf8))
        == "t.xml:1:12: a DOCTYPE declaration; a CTF has none, and cme reads no declarations or entities")
  }

  @Test func an_unclosed_xml_declaration_is_refused_before_the_parser_acts_on_it() {
    // Found by fuzzing: libxml2 switched to the encoding of an unclosed declaration, failed, and
    // stopping it from its error report crashed the process (SIGSEGV).
    let bytes = Array("<?xml version=\"1.\" encoding=\"UTF7\"".utf8) + [0x11]
    #expect(bytes.count == 35)
    #expect(
      outcome(bytes) == "t.xml:1:1: the file ends inside the XML declaration (<?xml …); check it was not cut short")
    // Longer than a declaration ever is: refused without waiting for its end.
    let long = "<?xml version=\"1.0\"" + String(repeating: " ", count: 300) + "encoding=\"UTF-7\"?><CTfile/>"
    #expect(
      outcome(Array(long.utf8))
        == "t.xml:1:1: the XML declaration (<?xml …?>) is not closed with '?>' within 256 characters")
    #expect(
      outcome(Array("<?xml version=~1.0\"?><CTfile/>".utf8))
        == "t.xml:1:1: the XML declaration (<?xml …?>) is malformed; a CTF's reads <?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    )
    #expect(
      outcome(Array("<?xml version=\"1.0\" encoding=\"UTF-7\"?><CTfile/>".utf8))
        == "t.xml:1:1: the XML declaration gives the encoding 'UTF-7'; cme reads CTFs in UTF-8, as the DfE specifies them"
    )
  }

  @Test func a_doctype_and_so_any_entity_expansion_is_refused() {
    let laughs =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE CTfile [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
      + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n<CTfile>&c;</CTfile>"
    #expect(
      outcome(Array(laughs.utf8))
        == "t.xml:2:1: a DOCTYPE declaration; a CTF has none, and cme reads no declarations or entities")
  }

  @Test func an_encoding_other_than_utf8_is_refused() {
    #expect(
      outcome(Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><CTfile/>".utf8))
        == "t.xml:1:1: the XML declaration gives the encoding 'ISO-8859-1'; cme reads CTFs in UTF-8, as the DfE specifies them"
    )
  }

  @Test func a_truncated_file_says_which_element_is_left_open() {
    let cut = Array((Self.head + "<Pupil><Surname>Le").utf8)
    #expect(
      outcome(cut)
        == "t.xml:3:33: the XML is malformed: the file ends before <Surname> is closed; check it was not cut short")
    #expect(
      outcome(Array("<CT".utf8))
        == "t.xml:1:1: the XML is malformed: the file ends before </CTfile>; check it was not cut short")
    #expect(outcome([]) == "t.xml:1:1: the file is empty; a Common Transfer File holds a header and pupils")
  }

  @Test func mismatched_tags_name_the_element_left_open() {
    #expect(
      outcome(Self.ctf("<Pupil><Surname>Lee</Forename></Pupil>"))
        == "t.xml:3:45: the XML is malformed: an end tag does not match <Surname>, the element open here: an element is not closed, or a tag is misspelt"
    )
  }

  @Test func malformed_xml_is_explained_in_words() {
    #expect(
      outcome(Self.ctf(Self.kai) + Array("junk".utf8))
        == "t.xml:4:1: the XML is malformed: text after the end of the document (after </CTfile>)")
    #expect(
      outcome(Self.ctf("<Pupil><Surname>L&e</Surname></Pupil>"))
        == "t.xml:3:34: the XML is malformed: an '&' that starts no reference such as &amp;: write '&' in text as &amp;"
    )
    #expect(
      outcome(Self.ctf("<Pupil><Surname>L&nbsp;</Surname></Pupil>"))
        == "t.xml:3:38: the XML is malformed: an unknown entity (&name;): a CTF uses only &amp;, &lt;, &gt;, &quot;, &apos; and character references"
    )
    #expect(
      outcome(Self.ctf("<Pupil><Surname>a < b</Surname></Pupil>"))
        == "t.xml:3:34: the XML is malformed: a '<' that starts no tag: write '<' in text as &lt;")
    #expect(
      outcome(Array("<html><body/></html>".utf8))
        == "t.xml:1:6: the document is <html>, not <CTfile>: this is not a Common Transfer File")
  }

  @Test func every_parser_error_is_told_in_words() {
    for code in Array(0...120) + Array(200...210) + [1000, -1] {
      let text = CTFReader.words(forParserError: code, openElement: "Pupil")
      #expect(text.hasPrefix("the XML is malformed"), "\(code): \(text)")
      #expect(!text.replacingOccurrences(of: "UTF-8", with: "").contains { $0.isNumber }, "\(code): \(text)")
    }
  }
}

/// A stream of `start` and then spaces for ever, as `/dev/zero` is of zeros.
final class EndlessStream: InputStream {
  private let start: [UInt8]
  private var sent = 0

  init(start: String) {
    self.start = Array(start.utf8)
    super.init(data: Data())
  }

  override func open() {}
  override func close() {}
  override var hasBytesAvailable: Bool { true }

  override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
    for k in 0..<length { buffer[k] = sent + k < start.count ? start[sent + k] : UInt8(ascii: " ") }
    sent += length
    return length
  }
}
