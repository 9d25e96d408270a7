/// JSON written directly, byte for byte as `JSONEncoder` writes it (keys
/// sorted, slashes as they are): for the flat objects of texts that audit
/// entries and listings are made of, which the encoder writes slowly.
public enum JSONText {
  private static let hex = Array("0123456789abcdef".utf8)

  /// Appends `s` as a JSON string: quotes, backslashes and control
  /// characters escaped as the encoder escapes them, everything else as it is.
  public static func appendString(_ s: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
      case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
      case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
      case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
      case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
      case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
      case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
      case 0..<0x20: out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// The order the encoder's `sortedKeys` puts keys in.
  public static func sortedKeys(_ keys: [String]) -> [String] {
    keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  /// Appends an object of texts as the encoder writes it `prettyPrinted`,
  /// `indent` levels deep (two spaces a level, as in an array):
  /// `keys` already in ``sortedKeys(_:)`` order, each with its value.
  public static func appendPrettyObject(
    keys: [String], values: (Int) -> String, indent: Int, to out: inout [UInt8]
  ) {
    let outer = [UInt8](repeating: UInt8(ascii: " "), count: indent * 2)
    out += outer
    guard !keys.isEmpty else {
      out += Array("{\n\n".utf8) + outer + [UInt8(ascii: "}")]
      return
    }
    out += [UInt8(ascii: "{"), UInt8(ascii: "\n")]
    for (i, key) in keys.enumerated() {
      if i > 0 { out += [UInt8(ascii: ","), UInt8(ascii: "\n")] }
      out += outer + [UInt8(ascii: " "), UInt8(ascii: " ")]
      appendString(key, to: &out)
      out += Array(" : ".utf8)
      appendString(values(i), to: &out)
    }
    out.append(UInt8(ascii: "\n"))
    out += outer
    out.append(UInt8(ascii: "}"))
  }
}
