import Foundation

/// The checks a transfer file's bytes pass before the XML parser sees them.
///
/// FoundationXML's parser crashes the process on some bytes that are not
/// UTF-8 and slows down on some shapes of document, so every byte is checked
/// here first, one at a time as the file streams in: it must be UTF-8
/// without NUL; the file, the nesting of elements and their attributes must
/// keep within the reader's ``CTFReader/Limits``; a DOCTYPE (and so any entity of
/// its own) is refused, and so is a processing instruction; the XML
/// declaration may name no encoding but UTF-8. The shape is followed well enough to count nesting; whether the
/// XML is well formed is the parser's to say.
struct CTFByteCheck {
  /// Where a problem is and what it is.
  struct Problem: Equatable {
    var line: Int
    var column: Int
    var message: String
  }

  private enum State: Equatable {
    case text, open, startTag
    case quoted(UInt8)
    case endTag, bang, comment, cdata, instruction
  }

  let limits: CTFReader.Limits

  private(set) var problem: Problem?
  /// Bytes taken so far.
  private(set) var count = 0
  private var line = 1
  /// The column of the character last taken (characters, not bytes).
  private var column = 0
  // UTF-8: the character being read, while its continuation bytes come in.
  private var continuations = 0
  private var low: UInt8 = 0x80
  private var high: UInt8 = 0xBF
  private var lead: UInt8 = 0
  private var leadColumn = 0
  private var characterBytes = 0
  // The shape of the document.
  private var state = State.text
  private var depth = 0
  private var attributes = 0
  private var slash = false
  /// What follows `<!` or `<?`, to tell what it is (kept short).
  private var construct: [UInt8] = []
  /// The two bytes before this one, for `-->`, `]]>` and `?>`.
  private var previous: (UInt8, UInt8) = (0, 0)
  private var tagLine = 1
  private var tagColumn = 1
  /// Whether anything but text has ended: an XML declaration can no longer come.
  private var pastProlog = false

  init(limits: CTFReader.Limits) { self.limits = limits }

  /// The bytes at the end of what was taken that start a character not yet
  /// complete: they are held back until it is.
  var unfinishedBytes: Int { continuations > 0 ? characterBytes : 0 }

  /// Takes the next byte; false (and ``problem`` says why) if the file is refused here.
  mutating func take(_ b: UInt8) -> Bool {
    guard problem == nil else { return false }
    count += 1
    if count > limits.fileBytes {
      return fail(
        line, column + 1,
        "the file is larger than \(TextBytes.size(limits.fileBytes)), the most cme reads for a CTF (a whole school's is a few MB); check it is the right file"
      )
    }
    if continuations > 0 {
      guard b >= low && b <= high else { return fail(line, leadColumn, notUTF8(lead)) }
      continuations -= 1
      low = 0x80
      high = 0xBF
      characterBytes += 1
      // A whole character beyond ASCII: never XML syntax.
      return continuations > 0 || shape(0x80)
    }
    column += 1
    if b == 0 { return fail(line, column, TextBytes.nul + "; a CTF is a text file") }
    if b >= 0x80 {
      guard let (n, l, h) = TextBytes.lead(b) else { return fail(line, column, notUTF8(b)) }
      (continuations, low, high, lead, leadColumn, characterBytes) = (n, l, h, b, column, 1)
      return true
    }
    let ok = shape(b)
    if b == UInt8(ascii: "\n") {
      line += 1
      column = 0
    }
    return ok
  }

  /// The end of the file: false if it ends in the middle of a character, or is empty.
  mutating func finish() -> Bool {
    guard problem == nil else { return false }
    if continuations > 0 {
      return fail(line, leadColumn, "the file ends in the middle of a character; check it was not cut short")
    }
    if state == .instruction {
      // libxml2 would read an unclosed declaration at the end of the file, encoding and all.
      return fail(tagLine, tagColumn, "the file ends inside the XML declaration (<?xml …); check it was not cut short")
    }
    if count == 0 { return fail(1, 1, "the file is empty; a Common Transfer File holds a header and pupils") }
    return true
  }

  /// The file could not be read to the end.
  mutating func unreadable() {
    if problem == nil {
      _ = fail(line, column, "the file could not be read to the end; check it is on a disk that can be read")
    }
  }

  private func notUTF8(_ b: UInt8) -> String {
    TextBytes.notUTF8(b) + "; a CTF is UTF-8: check the file was not saved in another encoding or damaged"
  }

  private mutating func fail(_ line: Int, _ column: Int, _ message: String) -> Bool {
    problem = Problem(line: line, column: Swift.max(1, column), message: message)
    return false
  }

  /// Follows the document's shape by one ASCII byte (0x80 stands for any other character).
  private mutating func shape(_ b: UInt8) -> Bool {
    let before = previous
    previous = (previous.1, b)
    switch state {
    case .text:
      if b == UInt8(ascii: "<") {
        state = .open
        (tagLine, tagColumn) = (line, column)
      }
    case .open:
      switch b {
      case UInt8(ascii: "/"): state = .endTag
      case UInt8(ascii: "!"):
        state = .bang
        construct = []
      case UInt8(ascii: "?"):
        state = .instruction
        construct = []
      default:
        depth += 1
        guard depth <= limits.depth else {
          return fail(
            tagLine, tagColumn,
            "elements nested more than \(limits.depth) deep; a CTF nests a few levels: this is not a CTF, or it is damaged"
          )
        }
        (state, attributes, slash) = (.startTag, 0, false)
      }
    case .startTag:
      switch b {
      case UInt8(ascii: "\""), UInt8(ascii: "'"):
        state = .quoted(b)
        slash = false
      case UInt8(ascii: "="):
        attributes += 1
        guard attributes <= limits.attributes else {
          return fail(
            tagLine, tagColumn,
            "an element with more than \(limits.attributes) attributes; a CTF's elements have few or none: this is not a CTF, or it is damaged"
          )
        }
        slash = false
      case UInt8(ascii: ">"):
        if slash { depth -= 1 }
        (state, pastProlog) = (.text, true)
      case UInt8(ascii: "/"): slash = true
      case UInt8(ascii: "<"):
        // Not well formed (the parser says so); counted as a new element, to be safe.
        state = .open
        (tagLine, tagColumn) = (line, column)
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): break
      default: slash = false
      }
    case .quoted(let quote):
      if b == quote { state = .startTag }
    case .endTag:
      if b == UInt8(ascii: ">") {
        depth = Swift.max(0, depth - 1)
        (state, pastProlog) = (.text, true)
      }
    case .bang:
      construct.append(b)
      // The opening's own "--" or "[" does not count towards its close.
      if construct == Array("--".utf8) {
        state = .comment
        previous = (0, 0)
        return true
      }
      if construct == Array("[CDATA[".utf8) {
        state = .cdata
        previous = (0, 0)
        return true
      }
      if construct == Array("DOCTYPE".utf8) {
        return fail(
          tagLine, tagColumn, "a DOCTYPE declaration; a CTF has none, and cme reads no declarations or entities")
      }
      let known = ["--", "[CDATA[", "DOCTYPE"].contains { Array($0.utf8).starts(with: construct) }
      if !known {
        return fail(tagLine, tagColumn, "'<!' that starts neither a comment (<!-- -->) nor a CDATA section")
      }
    case .comment:
      if b == UInt8(ascii: ">") && before == (UInt8(ascii: "-"), UInt8(ascii: "-")) {
        (state, pastProlog) = (.text, true)
      }
    case .cdata:
      if b == UInt8(ascii: ">") && before == (UInt8(ascii: "]"), UInt8(ascii: "]")) {
        (state, pastProlog) = (.text, true)
      }
    case .instruction:
      // Only the XML declaration may come here: FoundationXML crashes on an
      // instruction without data (`<?x?>`), and libxml2 acts on the
      // declaration's encoding as soon as it reads it.
      let ends = b == UInt8(ascii: ">") && before.1 == UInt8(ascii: "?")
      if !ends { construct.append(b) }
      if pastProlog || ((ends || construct.count > 3) && !Self.isDeclaration(construct)) {
        return fail(
          tagLine, tagColumn, "a processing instruction (<?…?>); a CTF holds none but the XML declaration at its start")
      }
      guard ends else {
        if construct.count > 256 {
          return fail(tagLine, tagColumn, "the XML declaration (<?xml …?>) is not closed with '?>'")
        }
        return true
      }
      (state, pastProlog) = (.text, true)
      if let encoding = Self.declaredEncoding(construct),
        !["utf-8", "utf8", "us-ascii", "ascii"].contains(encoding.lowercased())
      {
        return fail(
          tagLine, tagColumn,
          "the XML declaration gives the encoding '\(encoding)'; cme reads CTFs in UTF-8, as the DfE specifies them")
      }
    }
    return true
  }

  /// Whether what follows `<?` is an XML declaration: `xml` and a space.
  static func isDeclaration(_ construct: [UInt8]) -> Bool {
    construct.count > 3 && construct.starts(with: Array("xml".utf8))
      && [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")].contains(construct[3])
  }

  /// The encoding an XML declaration (`xml version="1.0" encoding="…"?`) names, if it names one.
  static func declaredEncoding(_ declaration: [UInt8]) -> String? {
    let text = String(decoding: declaration, as: UTF8.self)
    guard let name = text.range(of: "encoding") else { return nil }
    var rest = text[name.upperBound...].drop { $0.isWhitespace }
    guard rest.first == "=" else { return nil }
    rest = rest.dropFirst().drop { $0.isWhitespace }
    guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
    return String(rest.dropFirst().prefix { $0 != quote })
  }
}

/// A stream of a transfer file's bytes that hands the XML parser only bytes
/// ``CTFByteCheck`` has passed, whole characters at a time. Once the check
/// refuses the file, it reports a read error and the parser stops: the
/// refused bytes never reach it.
final class CheckedCTFStream: InputStream {
  private let source: InputStream
  private(set) var check: CTFByteCheck
  /// Checked bytes not yet handed over.
  private var ready: [UInt8] = []
  private var readyStart = 0
  /// Checked bytes of a character not yet complete.
  private var carry: [UInt8] = []
  private var ended = false
  private var stopped = false
  private var chunk = [UInt8](repeating: 0, count: 1 << 16)

  init(_ source: InputStream, check: CTFByteCheck) {
    self.source = source
    self.check = check
    super.init(data: Data())
  }

  override func open() { source.open() }
  override func close() { source.close() }
  override var hasBytesAvailable: Bool { readyStart < ready.count || (!ended && check.problem == nil) }
  override var streamError: (any Error)? { nil }

  /// Hands over nothing more: the reader has found a problem, and the
  /// parser stops at the end of what it was given.
  func stop() { stopped = true }

  override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
    if stopped { return -1 }
    while readyStart == ready.count {
      if check.problem != nil { return -1 }
      if ended { return 0 }
      refill()
    }
    let n = Swift.min(length, ready.count - readyStart)
    ready.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + readyStart, count: n) }
    readyStart += n
    return n
  }

  private func refill() {
    let got = chunk.withUnsafeMutableBufferPointer { source.read($0.baseAddress!, maxLength: $0.count) }
    guard got >= 0 else { return check.unreadable() }
    guard got > 0 else {
      ended = true
      _ = check.finish()
      return
    }
    for k in 0..<got {
      guard check.take(chunk[k]) else { return }
    }
    ready = carry + chunk[0..<got]
    let keep = check.unfinishedBytes
    carry = Array(ready.suffix(keep))
    ready.removeLast(keep)
    readyStart = 0
  }
}
