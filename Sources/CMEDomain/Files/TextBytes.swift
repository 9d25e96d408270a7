/// What makes bytes text for an import: UTF-8 as RFC 3629 has it (no
/// overlong forms, no surrogates, nothing above U+10FFFF) and no NUL byte.
/// The readers check every byte with these before anything else sees it.
enum TextBytes {
  /// A byte that starts a character of more than one byte: how many
  /// continuation bytes follow and the range the first of them must be in
  /// (the rest are 0x80–0xBF). Nil for a byte that cannot start one: a
  /// continuation byte, 0xC0, 0xC1 (overlong) or 0xF5–0xFF.
  static func lead(_ b: UInt8) -> (continuations: Int, low: UInt8, high: UInt8)? {
    switch b {
    case 0xC2...0xDF: (1, 0x80, 0xBF)
    case 0xE0: (2, 0xA0, 0xBF)
    case 0xE1...0xEC, 0xEE, 0xEF: (2, 0x80, 0xBF)
    case 0xED: (2, 0x80, 0x9F)
    case 0xF0: (3, 0x90, 0xBF)
    case 0xF1...0xF3: (3, 0x80, 0xBF)
    case 0xF4: (3, 0x80, 0x8F)
    default: nil
    }
  }

  /// The length of the character of more than one byte that starts at `i`,
  /// or nil if the bytes there are not UTF-8 (or are cut short by the end).
  static func characterLength(_ bytes: ArraySlice<UInt8>, at i: Int) -> Int? {
    guard let (continuations, low, high) = lead(bytes[i]), i + continuations < bytes.endIndex else { return nil }
    guard (low...high).contains(bytes[i + 1]) else { return nil }
    for k in stride(from: 2, through: continuations, by: 1) where !(0x80...0xBF).contains(bytes[i + k]) {
      return nil
    }
    return continuations + 1
  }

  /// "the text is not UTF-8 (byte 0xE9)".
  static func notUTF8(_ b: UInt8) -> String { "the text is not UTF-8 (byte 0x\(hex(b)))" }

  static let nul = "a NUL byte (0x00), which text never holds"

  static func hex(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
  }

  /// A count with its thousands marked: "268,435,456".
  static func grouped(_ n: Int) -> String {
    var text = ""
    for (k, digit) in String(n).reversed().enumerated() {
      if k > 0 && k % 3 == 0 && digit != "-" { text.append(",") }
      text.append(digit)
    }
    return String(text.reversed())
  }

  /// A size for a message: "268,435,456 bytes (256 MiB)".
  static func size(_ bytes: Int) -> String {
    let text = grouped(bytes) + " bytes"
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return text + " (\(bytes >> 20) MiB)" }
    if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return text + " (\(bytes >> 10) KiB)" }
    return text
  }
}
