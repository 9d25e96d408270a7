import Foundation

/// The checks a transfer file's bytes pass before the XML parser sees them.
///
/// FoundationXML's parser crashes the process on some bytes that are not
/// UTF-8 and on some markup, and slows down on some shapes of document, so
/// every byte is checked here first, one at a time as the file streams in:
///
/// - it must be UTF-8 without NUL;
/// - the file, the nesting of elements and their attributes must keep within
///   the reader's ``CTFReader/Limits``;
/// - `<?` may only start the XML declaration at the start of the file, which
///   must be a plain one naming no encoding but UTF-8, and `<!` may only
///   start a comment or a CDATA section: so no processing instruction (an
///   instruction without data crashes FoundationXML), no DOCTYPE and no
///   entity of the file's own. These hold wherever they are, even where the
///   parser, recovering from an error, reads the document otherwise.
///
/// The shape is followed well enough to count nesting and attributes;
/// whether the XML is well formed is the parser's to say.
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
    case endTag, bang, comment, cdata, declaration
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
  /// 3 if the file starts with a byte-order mark.
  private var bomBytes = 0
  // Markup, wherever it is: the character before this one and where it was,
  // and what follows a `<!` until it is known to open a comment or CDATA.
  private var last: UInt8 = 0
  private var lastLine = 1
  private var lastColumn = 0
  private var bang: [UInt8]?
  private var bangLine = 1
  private var bangColumn = 1
  // The shape of the document.
  private var state = State.text
  private var depth = 0
  private var attributes = 0
  private var slash = false
  /// What follows `<!` (to tell a comment from CDATA) or `<?` (the declaration).
  private var construct: [UInt8] = []
  /// The two bytes before this one, for `-->`, `]]>` and `?>`.
  private var previous: (UInt8, UInt8) = (0, 0)
  private var tagLine = 1
  private var tagColumn = 1

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
      guard continuations == 0 else { return true }
      if count == 3 && lead == 0xEF && characterBytes == 3 && b == 0xBF { bomBytes = 3 }
      // A whole character beyond ASCII: never XML syntax.
      return markup(0x80) && shape(0x80)
    }
    column += 1
    if b == 0 { return fail(line, column, TextBytes.nul + "; a CTF is a text file") }
    if b >= 0x80 {
      guard let (n, l, h) = TextBytes.lead(b) else { return fail(line, column, notUTF8(b)) }
      (continuations, low, high, lead, leadColumn, characterBytes) = (n, l, h, b, column, 1)
      return true
    }
    let ok = markup(b) && shape(b)
    if b == UInt8(ascii: "\n") {
      line += 1
      column = 0
    }
    return ok
  }

  /// The end of the file: false if it ends in the middle of a character or
  /// of the XML declaration, or is empty.
  mutating func finish() -> Bool {
    guard problem == nil else { return false }
    if continuations > 0 {
      return fail(line, leadColumn, "the file ends in the middle of a character; check it was not cut short")
    }
    if state == .declaration {
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

  /// Refuses `<?` but at the start and `<!` but for a comment or CDATA,
  /// wherever they are (0x80 stands for any character beyond ASCII).
  private mutating func markup(_ b: UInt8) -> Bool {
    defer { (last, lastLine, lastColumn) = (b, line, column) }
    if var opened = bang {
      opened.append(b)
      bang = opened
      if opened == commentOpening || opened == Array("[CDATA[".utf8) {
        bang = nil
      } else if opened == Array("DOCTYPE".utf8) {
        return fail(
          bangLine, bangColumn, "a DOCTYPE declaration; a CTF has none, and cme reads no declarations or entities")
      } else if ![commentOpening, Array("[CDATA[".utf8), Array("DOCTYPE".utf8)].contains(where: {
        $0.starts(with: opened)
      }) {
        return fail(bangLine, bangColumn, "'<!' that starts neither a comment (<!-- -->) nor a CDATA section")
      }
    }
    guard last == UInt8(ascii: "<") else { return true }
    if b == UInt8(ascii: "?") && count != bomBytes + 2 {
      return fail(
        lastLine, lastColumn, "a processing instruction (<?…?>); a CTF holds none but the XML declaration at its start")
    }
    if b == UInt8(ascii: "!") { (bang, bangLine, bangColumn) = ([], lastLine, lastColumn) }
    return true
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
        // Only at the start of the file (``markup(_:)``): the XML declaration.
        state = .declaration
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
        state = .text
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
        state = .text
      }
    case .bang:
      // Only a comment or CDATA (``markup(_:)``). The opening's own two hyphens or
      // "[" does not count towards its close.
      construct.append(b)
      if construct == commentOpening {
        state = .comment
        previous = (0, 0)
      } else if construct == Array("[CDATA[".utf8) {
        state = .cdata
        previous = (0, 0)
      }
    case .comment:
      if b == UInt8(ascii: ">") && before == (UInt8(ascii: "-"), UInt8(ascii: "-")) { state = .text }
    case .cdata:
      if b == UInt8(ascii: ">") && before == (UInt8(ascii: "]"), UInt8(ascii: "]")) { state = .text }
    case .declaration:
      // libxml2 acts on the declaration as it reads it, whether or not it
      // is closed: it must be plain and short.
      guard b == UInt8(ascii: ">") && before.1 == UInt8(ascii: "?") else {
        construct.append(b)
        guard construct.count <= 256 else {
          return fail(
            tagLine, tagColumn, "the XML declaration (<?xml …?>) is not closed with '?>' within 256 characters")
        }
        return true
      }
      state = .text
      if let problem = Self.declarationProblem(construct) { return fail(tagLine, tagColumn, problem) }
    }
    return true
  }

  /// What is wrong with an XML declaration (what follows `<?` up to the `>`
  /// of `?>`), or nil: it must be `xml`, `version="1.…"`, then optionally
  /// `encoding="UTF-8"` and `standalone="yes"` or `"no"`, in that order.
  static func declarationProblem(_ construct: [UInt8]) -> String? {
    let malformed =
      "the XML declaration (<?xml …?>) is malformed; a CTF's reads <?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    let text = String(decoding: construct, as: UTF8.self)
    func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }
    guard text.hasPrefix("xml"), text.dropFirst(3).first.map(isSpace) == true else {
      return "a processing instruction (<?…?>); a CTF holds none but the XML declaration at its start"
    }
    guard text.hasSuffix("?") else { return malformed }
    var rest = text.dropFirst(3).dropLast()
    var names: [String] = []
    var values: [String: String] = [:]
    while true {
      let spaced = rest.first.map(isSpace) ?? false
      rest = rest.drop(while: isSpace)
      if rest.isEmpty { break }
      guard spaced else { return malformed }
      let name = String(rest.prefix { $0.isLetter })
      rest = rest.dropFirst(name.count).drop(while: isSpace)
      guard rest.first == "=" else { return malformed }
      rest = rest.dropFirst().drop(while: isSpace)
      guard let quote = rest.first, quote == "\"" || quote == "'" else { return malformed }
      rest = rest.dropFirst()
      guard let close = rest.firstIndex(of: quote) else { return malformed }
      guard values[name] == nil else { return malformed }
      names.append(name)
      values[name] = String(rest[..<close])
      rest = rest[rest.index(after: close)...]
    }
    guard names == ["version", "encoding", "standalone"].filter({ values[$0] != nil }),
      let version = values["version"], version.hasPrefix("1."), version.count > 2,
      version.dropFirst(2).allSatisfy({ $0.isASCII && $0.isNumber }),
      ["yes", "no", nil].contains(values["standalone"])
    else { return malformed }
    if let encoding = values["encoding"], !["utf-8", "utf8"].contains(encoding.lowercased()) {
      return "the XML declaration gives the encoding '\(encoding)'; cme reads CTFs in UTF-8, as the DfE specifies them"
    }
    return nil
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
  /// Handed over a little at a time: after an error the parser recovers
  /// through what it has been given, and no further.
  private var chunk = [UInt8](repeating: 0, count: 1 << 14)

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

/// The two hyphens that follow `<!` to open an XML comment.
private let commentOpening: [UInt8] = [UInt8(ascii: "-"), UInt8(ascii: "-")]
