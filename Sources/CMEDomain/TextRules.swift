import Foundation

/// What kind of free text a field holds, which sets what it may contain and
/// how long it may be.
public enum TextKind: Sendable {
  /// A person's name, a school's name, a relationship, a phone number: one
  /// line of at most 100 characters.
  case name
  /// An address: at most 500 characters, which may run over lines (a
  /// postal address is written on several).
  case address
  /// Any other single line of text (a school, a confirmation, a label):
  /// one line of at most 500 characters.
  case line
  /// A note, evidence, an outcome, a result, a reason, a description: may
  /// run over several lines (tab and line breaks allowed), at most 10,000
  /// characters.
  case note

  /// The most characters the field may hold.
  public var limit: Int {
    switch self {
    case .name: 100
    case .address, .line: 500
    case .note: 10_000
    }
  }

  /// Whether tabs and line breaks are allowed.
  public var multiline: Bool { self == .note || self == .address }
}

/// The rules every free text a user or a file gives must meet before it is
/// kept: no NUL or other control characters (tab and line breaks only in
/// notes), no Unicode bidirectional overrides or isolates (which make text
/// read differently from what it holds), no text that was not valid UTF-8
/// (read as U+FFFD), and a length limit by kind.
public enum TextRules {
  /// Checks `text`, naming `field` and the first character that breaks a
  /// rule with its 1-based position (counted in Unicode scalars).
  public static func check(_ text: String, field: String, kind: TextKind) throws(InvalidInput) {
    if let problem = problem(in: text, kind: kind) {
      throw InvalidInput(field: field, problem: problem.message, fix: problem.fix)
    }
  }

  /// Checks optional text; nil passes.
  public static func check(_ text: String?, field: String, kind: TextKind) throws(InvalidInput) {
    guard let text else { return }
    try check(text, field: field, kind: kind)
  }

  /// What is wrong with `text`, if anything: the message and the fix.
  public static func problem(in text: String, kind: TextKind) -> (message: String, fix: String)? {
    // Plain printable ASCII within the limit (most text, every import cell
    // of most files) passes without looking further.
    if text.utf8.count <= kind.limit && text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
    // Every code point is checked: the limit counts characters, and one
    // character may carry any number of combining marks, so checking only
    // the first few would let what follows them through. More code points
    // than a text of the limit could need are refused first, in words.
    let scalars = text.unicodeScalars
    var position = 0
    for i in scalars.indices {
      position += 1
      if position > kind.limit * 8 {
        return (
          "is too long: it holds more than \(kind.limit * 8) code points (letters and the marks on them); the most it may hold is \(kind.limit) characters",
          "Shorten it"
        )
      }
      let s = scalars[i]
      let v = s.value
      if v == 0 {
        return ("contains a NUL character (U+0000) at position \(position)", "Remove it")
      }
      if kind.multiline && (v == 0x09 || v == 0x0A) { continue }
      if kind.multiline && v == 0x0D, case let n = scalars.index(after: i), n < scalars.endIndex,
        scalars[n].value == 0x0A
      {
        continue
      }
      if v < 0x20 || (0x7F...0x9F).contains(v) {
        let allowed = [0x09, 0x0A, 0x0D].contains(v) && !kind.multiline ? "; this field is one line" : ""
        return (
          "contains a control character (\(codePoint(s))) at position \(position)\(allowed)", "Remove it"
        )
      }
      if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
        return (
          "contains a bidirectional override (\(codePoint(s))) at position \(position), which makes text read differently from what it holds",
          "Remove it"
        )
      }
      // Invisible characters that change nothing a reader sees but make two
      // texts differ (a name that search no longer finds): zero-width space,
      // left-to-right and right-to-left marks, word joiner, byte-order mark,
      // soft hyphen, Arabic letter mark, Mongolian vowel separator. (Zero-
      // width joiners and non-joiners stay: some scripts need them in names.)
      if [0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD, 0x061C, 0x180E].contains(v) {
        return (
          "contains an invisible character (\(codePoint(s))) at position \(position), which would make it differ from what it shows",
          "Remove it (retype the text rather than pasting it)"
        )
      }
      if v == 0xFFFD {
        return (
          "contains text that is not valid UTF-8 (read as \(codePoint(s))) at position \(position)",
          "Save the text or file as UTF-8 and give it again"
        )
      }
    }
    let count = text.count
    if count > kind.limit {
      return (
        "is \(count) characters long; the most it may hold is \(kind.limit)",
        "Shorten it"
      )
    }
    return nil
  }

  /// The text with every control character, bidirectional override or
  /// isolate shown as `\u{1B}`, so that text already stored cannot drive a
  /// terminal or reorder what is around it. Other text is returned as it is.
  public static func visible(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isHidden) else { return text }
    var out = ""
    for s in text.unicodeScalars {
      if isHidden(s) {
        out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
      } else {
        out.unicodeScalars.append(s)
      }
    }
    return out
  }

  /// A control character (C0, DEL, C1), or a bidirectional override or isolate.
  static func isHidden(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
  }

  /// `U+001B`.
  public static func codePoint(_ s: Unicode.Scalar) -> String {
    let hex = String(s.value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }
}

extension String {
  /// The text with each scalar that `replacements` names replaced by its
  /// text, scalar by scalar, all at once. For escaping: Foundation's
  /// `replacingOccurrences(of:with:)` on Linux skips a character that a
  /// combining mark or a joiner follows (`"` then U+0301), which would let a
  /// quote, a pipe or a line break through unescaped.
  public func replacingScalars(_ replacements: [Unicode.Scalar: String]) -> String {
    guard unicodeScalars.contains(where: { replacements[$0] != nil }) else { return self }
    var out = String.UnicodeScalarView()
    for scalar in unicodeScalars {
      if let replacement = replacements[scalar] {
        out.append(contentsOf: replacement.unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// The text escaped for HTML (text or a quoted attribute's value), scalar
  /// by scalar: a quote, `<` or `&` that a combining mark or a joiner
  /// follows is one Character, not equal to a quote, but is escaped all the
  /// same.
  public var htmlEscaped: String {
    replacingScalars(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"])
  }
}
